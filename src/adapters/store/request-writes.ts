/**
 * The only ways a request row is written, each one driver transaction: open it (with its `requested` event), or
 * move it, alone or in a batch. A move reads the rows (locked where the dialect can), runs core's transition,
 * updates `WHERE id = ? AND version = ?`, inserts the audit event and writes what core says the request projects to
 * (its approval row, its grant row), then commits. Decisions are core's; this file only persists them.
 */
import { randomUUID } from 'node:crypto';
import type { BatchOutcome, CreateOutcome, StoreRefusalCode, TransitionStep } from '../../app/store.js';
import {
  grantOf,
  openRequest,
  transition,
  type AccessRequest,
  type AuditEvent,
  type NewRequest,
  type RequestEvent,
} from '../../core/requests/index.js';
import type { Sql } from './driver.js';
import { GRANT_COLUMNS, grantColumns, REQUEST_COLUMNS, requestColumns } from './rows.js';
import {
  claimKey,
  insertAudit,
  placeholders,
  readAudit,
  readRequest,
  recordClaimResult,
  Refused,
  type Shell,
} from './shell.js';

export async function createRequest(
  shell: Shell,
  input: NewRequest,
  options: { idempotencyKey?: string } = {},
): Promise<CreateOutcome> {
  const opened = openRequest(input, { id: randomUUID(), now: shell.clock.now() });
  if (!opened.ok) return opened;
  const refused = (reason: string): never => {
    // Thrown, not returned: the claimed key must roll back with the rest.
    throw new Refused({ ok: false, index: 0, code: 'invalid_event', reason, request: null });
  };
  try {
    return await shell.driver.tx(async (sql) => {
      const key = options.idempotencyKey;
      if (key !== undefined) {
        const prior = (await claimKey(shell, sql, key, 'create_request')) as {
          requestId?: string;
          auditSeq?: number;
        } | null;
        if (prior !== null) {
          const request = prior.requestId === undefined ? null : await readRequest(shell, sql, prior.requestId, false);
          const audit = prior.auditSeq === undefined ? null : await readAudit(sql, prior.auditSeq);
          if (request && audit) return { ok: true as const, request, audit, duplicate: true };
          refused(`idempotency key ${key} was already used for something else`);
        }
      }
      if (input.extendsRequestId !== null && (await readRequest(shell, sql, input.extendsRequestId, false)) === null)
        refused(`request ${input.extendsRequestId} (to extend) does not exist`);
      await sql.run(
        `INSERT INTO requests (${REQUEST_COLUMNS.join(', ')}) VALUES (${placeholders(REQUEST_COLUMNS.length)})`,
        requestColumns(opened.request),
      );
      const audit = await insertAudit(shell, sql, opened.audit);
      if (key !== undefined) await recordClaimResult(sql, key, { requestId: opened.request.id, auditSeq: audit.seq });
      return { ok: true as const, request: opened.request, audit, duplicate: false };
    });
  } catch (err) {
    if (err instanceof Refused) return { ok: false, code: 'invalid_request', reason: err.refusal.reason };
    throw err;
  }
}

export async function transitionAll(
  shell: Shell,
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
    return await shell.driver.tx(async (sql) => {
      const key = options.idempotencyKey;
      if (key !== undefined) {
        const prior = await claimKey(shell, sql, key, 'transition');
        if (prior !== null) return replay(shell, sql, prior as Array<{ requestId: string; auditSeq: number }>);
      }
      // Lock rows in one global order (by id) so two batches over the same requests cannot deadlock.
      const current = new Map<string, AccessRequest>();
      for (const id of [...ids].sort()) {
        const r = await readRequest(shell, sql, id, true);
        if (r) current.set(id, r);
      }
      const now = shell.clock.now();
      const results: Array<{ request: AccessRequest; audit: AuditEvent }> = [];
      for (const [index, step] of steps.entries()) {
        const before = current.get(step.requestId) ?? null;
        const refuse = (code: StoreRefusalCode, reason: string): never => {
          throw new Refused({ ok: false, index, code, reason, request: before });
        };
        if (before === null) return refuse('not_found', `There is no request ${step.requestId}.`);
        if (step.expectedVersion !== undefined && before.version !== step.expectedVersion) {
          refuse(
            'stale',
            `This card is out of date: the request has changed since (it is ${before.status.replace('_', ' ')} now).`,
          );
        }
        const out = transition(before, step.event, now);
        if (!out.ok) return refuse(out.code, out.reason);
        const changed = await sql.run(
          `UPDATE requests SET ${REQUEST_COLUMNS.slice(1)
            .map((c) => `${c} = ?`)
            .join(', ')} WHERE id = ? AND version = ?`,
          [...requestColumns(out.request).slice(1), before.id, before.version],
        );
        // Cannot happen while the driver serialises writers on this row; if it does, nothing is written.
        if (changed !== 1)
          refuse('already_decided', 'Someone else changed this request at the same moment; look at it again.');
        const audit = await insertAudit(shell, sql, out.audit);
        await project(sql, out.request, step.event);
        current.set(step.requestId, out.request);
        results.push({ request: out.request, audit });
      }
      if (key !== undefined)
        await recordClaimResult(
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

async function replay(
  shell: Shell,
  sql: Sql,
  prior: Array<{ requestId: string; auditSeq: number }>,
): Promise<BatchOutcome> {
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
    const request = await readRequest(shell, sql, p.requestId, false);
    const audit = await readAudit(sql, p.auditSeq);
    if (request && audit) results.push({ request, audit });
  }
  return { ok: true, results, duplicate: true };
}

/** Keep the approval rows and the grant row in step with the request, in the same transaction. */
async function project(sql: Sql, after: AccessRequest, event: RequestEvent): Promise<void> {
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
