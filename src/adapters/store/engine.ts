/**
 * The Store, written once over a Driver (sqlite.ts, postgres.ts). Every state change is one driver transaction:
 * read the row (locked where the dialect can), run the pure transition, update `WHERE id = ? AND version = ?`,
 * insert the audit event and keep the side tables (approvals, grants) in step, then commit.
 */
import { randomUUID } from 'node:crypto';
import type {
  ApplyOperation,
  AuditQuery,
  BatchOutcome,
  CardRecord,
  CreateOutcome,
  Grant,
  NewApplyOperation,
  RegistryLock,
  RegistryLockOptions,
  RequestQuery,
  Store,
  StoreHealth,
  StoreRefusal,
  StoreRefusalCode,
  TransitionOutcome,
  TransitionStep,
} from '../../app/store.js';
import type { ConversationRef } from '../../app/chat.js';
import type { Clock } from '../../app/ports.js';
import {
  grantOf,
  openRequest,
  transition as applyTransition,
  type AccessRequest,
  type AuditDraft,
  type AuditEvent,
  type NewRequest,
  type RequestEvent,
} from '../../core/requests/index.js';
import type { Driver, Sql } from './driver.js';
import { currentVersion, LATEST_SCHEMA_VERSION } from './migrate.js';
import {
  auditFromRow,
  cardFromRow,
  GRANT_COLUMNS,
  grantColumns,
  grantFromRow,
  json,
  operationFromRow,
  REQUEST_COLUMNS,
  requestColumns,
  requestFromRow,
} from './rows.js';

/** Thrown inside a transaction to roll it back and return a refusal instead. */
class Refused extends Error {
  constructor(readonly refusal: StoreRefusal & { index: number }) {
    super(refusal.reason);
  }
}

const AUDIT_COLUMNS =
  'occurred_at, event_type, request_id, registry_id, registry_name, ip_rule, actor, from_status, to_status, rules_before, rules_after, correlation_id, summary, details';

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function jsonOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

function clampLimit(limit: number | undefined, dflt: number, max: number): number {
  return Number.isInteger(limit) && limit! > 0 ? Math.min(limit!, max) : dflt;
}

export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres';

  constructor(
    private readonly driver: Driver,
    private readonly clock: Clock,
  ) {
    this.kind = driver.dialect;
  }

  // ---- requests -------------------------------------------------------------------------------------------------

  async createRequest(input: NewRequest, options: { idempotencyKey?: string } = {}): Promise<CreateOutcome> {
    const opened = openRequest(input, { id: randomUUID(), now: this.clock.now() });
    if (!opened.ok) return opened;
    try {
      return await this.driver.tx(async (sql) => {
        const key = options.idempotencyKey;
        if (key !== undefined) {
          const prior = (await this.claimInTx(sql, key, 'create_request')) as {
            requestId?: string;
            auditSeq?: number;
          } | null;
          if (prior !== null) {
            const request = prior.requestId === undefined ? null : await this.readRequest(sql, prior.requestId, false);
            const audit = prior.auditSeq === undefined ? null : await this.readAudit(sql, prior.auditSeq);
            if (request && audit) return { ok: true as const, request, audit, duplicate: true };
            throw new Refused({
              ok: false,
              index: 0,
              code: 'invalid_event',
              reason: `idempotency key ${key} was already used for something else`,
              request: null,
            });
          }
        }
        if (input.extendsRequestId !== null && (await this.readRequest(sql, input.extendsRequestId, false)) === null) {
          // Thrown, not returned: the claimed key must roll back with the rest.
          throw new Refused({
            ok: false,
            index: 0,
            code: 'invalid_event',
            reason: `request ${input.extendsRequestId} (to extend) does not exist`,
            request: null,
          });
        }
        await sql.run(
          `INSERT INTO requests (${REQUEST_COLUMNS.join(', ')}) VALUES (${placeholders(REQUEST_COLUMNS.length)})`,
          requestColumns(opened.request),
        );
        const audit = await this.insertAudit(sql, opened.audit);
        if (key !== undefined) await this.recordResult(sql, key, { requestId: opened.request.id, auditSeq: audit.seq });
        return { ok: true as const, request: opened.request, audit, duplicate: false };
      });
    } catch (err) {
      if (err instanceof Refused) return { ok: false, code: 'invalid_request', reason: err.refusal.reason };
      throw err;
    }
  }

  async getRequest(id: string): Promise<AccessRequest | null> {
    const rows = await this.driver.read('SELECT data FROM requests WHERE id = ?', [id]);
    return rows[0] ? requestFromRow(rows[0]) : null;
  }

  async transition(
    requestId: string,
    event: RequestEvent,
    options: { expectedVersion?: number; idempotencyKey?: string } = {},
  ): Promise<TransitionOutcome> {
    const step: TransitionStep =
      options.expectedVersion === undefined
        ? { requestId, event }
        : { requestId, event, expectedVersion: options.expectedVersion };
    const out = await this.transitionAll(
      [step],
      options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey },
    );
    if (!out.ok) {
      const { index: _index, ...refusal } = out;
      return refusal;
    }
    const first = out.results[0]!;
    return { ok: true, request: first.request, audit: first.audit, duplicate: out.duplicate };
  }

  async transitionAll(
    steps: readonly TransitionStep[],
    options: { idempotencyKey?: string } = {},
  ): Promise<BatchOutcome> {
    const ids = steps.map((s) => s.requestId);
    if (steps.length === 0 || new Set(ids).size !== ids.length) {
      return {
        ok: false,
        index: 0,
        code: 'invalid_batch',
        reason: 'a batch needs at least one step and each request at most once',
        request: null,
      };
    }
    try {
      return await this.driver.tx(async (sql) => {
        const key = options.idempotencyKey;
        if (key !== undefined) {
          const prior = await this.claimInTx(sql, key, 'transition');
          if (prior !== null) return this.replay(sql, prior as Array<{ requestId: string; auditSeq: number }>);
        }
        // Lock rows in one global order (by id) so two batches over the same requests cannot deadlock.
        const current = new Map<string, AccessRequest>();
        for (const id of [...ids].sort()) {
          const r = await this.readRequest(sql, id, true);
          if (r) current.set(id, r);
        }
        const now = this.clock.now();
        const results: Array<{ request: AccessRequest; audit: AuditEvent }> = [];
        for (const [index, step] of steps.entries()) {
          const before = current.get(step.requestId) ?? null;
          const refuse = (code: StoreRefusalCode, reason: string): never => {
            throw new Refused({ ok: false, index, code, reason, request: before });
          };
          if (before === null) refuse('not_found', `There is no request ${step.requestId}.`);
          if (step.expectedVersion !== undefined && before!.version !== step.expectedVersion) {
            refuse(
              'stale',
              `This card is out of date: the request has changed since (it is ${before!.status.replace('_', ' ')} now).`,
            );
          }
          const out = applyTransition(before!, step.event, now);
          if (!out.ok) refuse(out.code, out.reason);
          if (!out.ok) throw new Error('unreachable');
          const changed = await sql.run(
            `UPDATE requests SET ${REQUEST_COLUMNS.slice(1)
              .map((c) => `${c} = ?`)
              .join(', ')} WHERE id = ? AND version = ?`,
            [...requestColumns(out.request).slice(1), before!.id, before!.version],
          );
          // Cannot happen while the driver serialises writers on this row; if it does, nothing is written.
          if (changed !== 1)
            refuse('already_decided', 'Someone else changed this request at the same moment; look at it again.');
          const audit = await this.insertAudit(sql, out.audit);
          await this.project(sql, out.request, step.event);
          current.set(step.requestId, out.request);
          results.push({ request: out.request, audit });
        }
        if (key !== undefined)
          await this.recordResult(
            sql,
            key,
            results.map((r) => ({ requestId: r.request.id, auditSeq: r.audit.seq })),
          );
        return { ok: true as const, results, duplicate: false };
      });
    } catch (err) {
      if (err instanceof Refused) return err.refusal;
      throw err;
    }
  }

  async listRequests(query: RequestQuery = {}): Promise<AccessRequest[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status !== undefined) {
      const statuses = typeof query.status === 'string' ? [query.status] : [...query.status];
      if (statuses.length === 0) return [];
      where.push(`status IN (${placeholders(statuses.length)})`);
      params.push(...statuses);
    }
    if (query.registry !== undefined) {
      where.push('(lower(registry_id) = ? OR lower(registry_name) = ?)');
      params.push(query.registry.toLowerCase(), query.registry.toLowerCase());
    }
    if (query.kind !== undefined) {
      where.push('kind = ?');
      params.push(query.kind);
    }
    if (query.requesterId !== undefined) {
      where.push('requester_id = ?');
      params.push(query.requesterId);
    }
    if (query.extendsRequestId !== undefined) {
      where.push('extends_request_id = ?');
      params.push(query.extendsRequestId);
    }
    if (query.rule !== undefined) {
      where.push('ip_rule = ?');
      params.push(query.rule);
    }
    const order = query.order === 'oldest' ? 'ASC' : 'DESC';
    params.push(clampLimit(query.limit, 100, 1000));
    const rows = await this.driver.read(
      `SELECT data FROM requests${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at ${order}, id ${order} LIMIT ?`,
      params,
    );
    return rows.map(requestFromRow);
  }

  // ---- scheduler ------------------------------------------------------------------------------------------------

  async requestsPendingPast(t: Date): Promise<AccessRequest[]> {
    const rows = await this.driver.read(
      "SELECT data FROM requests WHERE status = 'pending' AND pending_until <= ? ORDER BY pending_until, id",
      [t.toISOString()],
    );
    return rows.map(requestFromRow);
  }

  async remindersDue(t: Date): Promise<AccessRequest[]> {
    const rows = await this.driver.read(
      "SELECT data FROM requests WHERE status = 'pending' AND next_reminder_at IS NOT NULL AND next_reminder_at <= ? ORDER BY next_reminder_at, id",
      [t.toISOString()],
    );
    return rows.map(requestFromRow);
  }

  async grantsEndingBefore(t: Date, options: { unwarnedOnly?: boolean } = {}): Promise<Grant[]> {
    const rows = await this.driver.read(
      `SELECT * FROM grants WHERE status = 'active' AND ends_at IS NOT NULL AND ends_at <= ?${options.unwarnedOnly ? ' AND expiry_warned_at IS NULL' : ''} ORDER BY ends_at, id`,
      [t.toISOString()],
    );
    return rows.map(grantFromRow);
  }

  async activeGrants(registryId?: string): Promise<Grant[]> {
    const rows =
      registryId === undefined
        ? await this.driver.read("SELECT * FROM grants WHERE status = 'active' ORDER BY starts_at, id")
        : await this.driver.read(
            "SELECT * FROM grants WHERE status = 'active' AND lower(registry_id) = ? ORDER BY starts_at, id",
            [registryId.toLowerCase()],
          );
    return rows.map(grantFromRow);
  }

  async getGrant(id: string): Promise<Grant | null> {
    const rows = await this.driver.read('SELECT * FROM grants WHERE id = ?', [id]);
    return rows[0] ? grantFromRow(rows[0]) : null;
  }

  async grantsAwaitingRemoval(): Promise<Grant[]> {
    const rows = await this.driver.read(
      "SELECT * FROM grants WHERE status <> 'active' AND rule_removed_at IS NULL ORDER BY updated_at, id",
    );
    return rows.map(grantFromRow);
  }

  // ---- apply operations -----------------------------------------------------------------------------------------

  async recordOperation(op: NewApplyOperation): Promise<ApplyOperation> {
    const now = this.clock.now().toISOString();
    const record: ApplyOperation = {
      id: randomUUID(),
      registryId: op.registryId,
      kind: op.kind,
      requestIds: [...op.requestIds],
      status: 'submitted',
      operationState: op.submitted.operationState,
      correlationId: op.submitted.correlationId,
      before: [...op.before],
      target: [...op.target],
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.driver.tx((sql) =>
      sql.run(
        'INSERT INTO apply_operations (id, registry_id, kind, request_ids, status, operation_state, correlation_id, rules_before, rules_target, error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          record.id,
          record.registryId,
          record.kind,
          JSON.stringify(record.requestIds),
          record.status,
          record.operationState,
          record.correlationId,
          JSON.stringify(record.before),
          JSON.stringify(record.target),
          null,
          now,
          now,
        ],
      ),
    );
    return record;
  }

  async updateOperationState(id: string, operationState: string): Promise<void> {
    await this.driver.tx((sql) =>
      sql.run("UPDATE apply_operations SET operation_state = ?, updated_at = ? WHERE id = ? AND status = 'submitted'", [
        operationState,
        this.clock.now().toISOString(),
        id,
      ]),
    );
  }

  async finishOperation(id: string, result: { status: 'succeeded' | 'failed'; error?: string | null }): Promise<void> {
    await this.driver.tx((sql) =>
      sql.run('UPDATE apply_operations SET status = ?, error = ?, updated_at = ? WHERE id = ?', [
        result.status,
        result.error ?? null,
        this.clock.now().toISOString(),
        id,
      ]),
    );
  }

  async openOperations(registryId?: string): Promise<ApplyOperation[]> {
    const rows =
      registryId === undefined
        ? await this.driver.read("SELECT * FROM apply_operations WHERE status = 'submitted' ORDER BY created_at, id")
        : await this.driver.read(
            "SELECT * FROM apply_operations WHERE status = 'submitted' AND lower(registry_id) = ? ORDER BY created_at, id",
            [registryId.toLowerCase()],
          );
    return rows.map(operationFromRow);
  }

  async operationForRequest(requestId: string): Promise<ApplyOperation | null> {
    // request_ids is a small JSON array; a LIKE on the quoted id narrows the scan portably, the exact check is below.
    const rows = await this.driver.read(
      `SELECT * FROM apply_operations WHERE ${this.kind === 'postgres' ? 'request_ids::text' : 'request_ids'} LIKE ? ORDER BY created_at DESC, id DESC`,
      [`%${JSON.stringify(requestId)}%`],
    );
    return rows.map(operationFromRow).find((op) => op.requestIds.includes(requestId)) ?? null;
  }

  // ---- audit ----------------------------------------------------------------------------------------------------

  async appendAudit(draft: AuditDraft): Promise<AuditEvent> {
    return this.driver.tx((sql) => this.insertAudit(sql, draft));
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.registry !== undefined) {
      where.push('(lower(registry_id) = ? OR lower(registry_name) = ?)');
      params.push(query.registry.toLowerCase(), query.registry.toLowerCase());
    }
    if (query.requestId !== undefined) {
      where.push('request_id = ?');
      params.push(query.requestId);
    }
    if (query.since !== undefined) {
      where.push('occurred_at >= ?');
      params.push(query.since.toISOString());
    }
    if (query.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(query.afterSeq);
    }
    params.push(clampLimit(query.limit, 1000, 10_000));
    const rows = await this.driver.read(
      `SELECT * FROM audit_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ASC LIMIT ?`,
      params,
    );
    return rows.map(auditFromRow);
  }

  // ---- chat -----------------------------------------------------------------------------------------------------

  async saveConversation(key: string, ref: ConversationRef): Promise<void> {
    await this.driver.tx((sql) =>
      sql.run(
        'INSERT INTO conversations (conversation_key, platform, ref, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (conversation_key) DO UPDATE SET platform = excluded.platform, ref = excluded.ref, updated_at = excluded.updated_at',
        [key, ref.platform, JSON.stringify(ref), this.clock.now().toISOString()],
      ),
    );
  }

  async getConversation(key: string): Promise<ConversationRef | null> {
    const rows = await this.driver.read('SELECT ref FROM conversations WHERE conversation_key = ?', [key]);
    return rows[0] ? json<ConversationRef>(rows[0].ref) : null;
  }

  async saveCard(card: Omit<CardRecord, 'updatedAt'>): Promise<void> {
    await this.driver.tx((sql) =>
      sql.run(
        'INSERT INTO request_cards (request_id, purpose, platform, conversation_id, message_id, ref, viewer, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (request_id, platform, conversation_id, message_id) DO UPDATE SET purpose = excluded.purpose, ref = excluded.ref, viewer = excluded.viewer, updated_at = excluded.updated_at',
        [
          card.requestId,
          card.purpose,
          card.conversation.platform,
          card.conversation.conversationId,
          card.messageId,
          JSON.stringify(card.conversation),
          card.viewer ? JSON.stringify(card.viewer) : null,
          this.clock.now().toISOString(),
        ],
      ),
    );
  }

  async listCards(requestId: string): Promise<CardRecord[]> {
    const rows = await this.driver.read(
      'SELECT * FROM request_cards WHERE request_id = ? ORDER BY updated_at, purpose, conversation_id, message_id',
      [requestId],
    );
    return rows.map(cardFromRow);
  }

  // ---- idempotency ----------------------------------------------------------------------------------------------

  async claimEvent(key: string, scope = 'chat'): Promise<boolean> {
    return this.driver.tx(async (sql) => (await this.claimInTx(sql, key, scope)) === null);
  }

  async pruneEvents(olderThan: Date): Promise<number> {
    return this.driver.tx((sql) =>
      sql.run('DELETE FROM processed_events WHERE created_at < ?', [olderThan.toISOString()]),
    );
  }

  // ---- locks, health --------------------------------------------------------------------------------------------

  withRegistryLock<T>(
    registryId: string,
    fn: (lock: RegistryLock) => Promise<T>,
    options?: RegistryLockOptions,
  ): Promise<T> {
    // ARM ids are case-insensitive: one registry, one lock, however a caller spells its id.
    return this.driver.withRegistryLock(registryId.toLowerCase(), fn, options);
  }

  async schemaVersion(): Promise<number> {
    return currentVersion({ all: (s, p) => this.driver.read(s, p) });
  }

  async health(): Promise<StoreHealth> {
    try {
      const v = await this.schemaVersion();
      if (v !== LATEST_SCHEMA_VERSION)
        return {
          ok: false,
          detail: `${this.driver.description}: schema v${v}, this bot needs v${LATEST_SCHEMA_VERSION}`,
        };
      return { ok: true, detail: `${this.driver.description}, schema v${v}` };
    } catch (err) {
      return { ok: false, detail: `${this.driver.description}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  // ---- inside transactions --------------------------------------------------------------------------------------

  private async readRequest(sql: Sql, id: string, lock: boolean): Promise<AccessRequest | null> {
    const rows = await sql.all(`SELECT data FROM requests WHERE id = ?${lock ? this.driver.forUpdate : ''}`, [id]);
    return rows[0] ? requestFromRow(rows[0]) : null;
  }

  private async readAudit(sql: Sql, seq: number): Promise<AuditEvent | null> {
    const rows = await sql.all('SELECT * FROM audit_events WHERE seq = ?', [seq]);
    return rows[0] ? auditFromRow(rows[0]) : null;
  }

  private async insertAudit(sql: Sql, d: AuditDraft): Promise<AuditEvent> {
    const rows = await sql.all<{ seq: number | string }>(
      `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES (${placeholders(14)}) RETURNING seq`,
      [
        d.at,
        d.type,
        d.requestId,
        d.registryId,
        d.registryName,
        d.rule,
        jsonOrNull(d.actor),
        d.fromStatus,
        d.toStatus,
        jsonOrNull(d.before),
        jsonOrNull(d.after),
        d.correlationId,
        d.summary,
        JSON.stringify(d.details),
      ],
    );
    return { ...d, seq: Number(rows[0]!.seq) };
  }

  /** Null when the key is new (now claimed in this transaction); the stored result (possibly {}) when seen before. */
  private async claimInTx(sql: Sql, key: string, scope: string): Promise<unknown> {
    const inserted = await sql.run(
      'INSERT INTO processed_events (event_key, scope, result, created_at) VALUES (?, ?, NULL, ?) ON CONFLICT (event_key) DO NOTHING',
      [key, scope, this.clock.now().toISOString()],
    );
    if (inserted === 1) return null;
    const rows = await sql.all('SELECT result FROM processed_events WHERE event_key = ?', [key]);
    return rows[0]?.result === null || rows[0]?.result === undefined ? {} : json(rows[0].result);
  }

  private async recordResult(sql: Sql, key: string, result: unknown): Promise<void> {
    await sql.run('UPDATE processed_events SET result = ? WHERE event_key = ?', [JSON.stringify(result), key]);
  }

  private async replay(sql: Sql, prior: Array<{ requestId: string; auditSeq: number }>): Promise<BatchOutcome> {
    if (!Array.isArray(prior))
      return {
        ok: false,
        index: 0,
        code: 'invalid_batch',
        reason: 'This idempotency key was used for something else.',
        request: null,
      };
    const results: Array<{ request: AccessRequest; audit: AuditEvent }> = [];
    for (const p of prior) {
      const request = await this.readRequest(sql, p.requestId, false);
      const audit = await this.readAudit(sql, p.auditSeq);
      if (request && audit) results.push({ request, audit });
    }
    return { ok: true, results, duplicate: true };
  }

  /** Keep approvals and the grant in step with the request, in the same transaction. */
  private async project(sql: Sql, after: AccessRequest, event: RequestEvent): Promise<void> {
    if (event.type === 'approve') {
      const a = after.approvals[after.approvals.length - 1]!;
      await sql.run(
        'INSERT INTO approvals (request_id, approver_platform, approver_id, approver_email, role, approved_at) VALUES (?, ?, ?, ?, ?, ?)',
        [after.id, a.by.platform, a.by.id, a.by.email, a.as, a.at],
      );
      return;
    }
    const grant = grantOf(after);
    if (grant === null) return;
    await sql.run(
      `INSERT INTO grants (${GRANT_COLUMNS.join(', ')}) VALUES (${placeholders(GRANT_COLUMNS.length)}) ON CONFLICT (id) DO UPDATE SET ${GRANT_COLUMNS.slice(
        1,
      )
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`,
      grantColumns(grant),
    );
  }
}
