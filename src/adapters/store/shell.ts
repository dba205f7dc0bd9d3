/**
 * The SQL shell every store role is written on: the driver and clock they share, transactions, placeholders and the
 * few writes more than one role needs (audit insertion, idempotency claims, a request row's read). The role modules
 * (roles/) import this and rows.ts, never each other.
 */
import type { Clock } from '../../app/ports.js';
import type { StoreRefusal } from '../../app/store.js';
import type { AccessRequest, AuditDraft, AuditEvent } from '../../core/requests/index.js';
import type { Driver, Sql } from './driver.js';
import { auditFromRow, json, requestFromRow } from './rows.js';

export interface Shell {
  driver: Driver;
  clock: Clock;
  /** Every audit event is queued in the outbox for each of these sinks, in the transaction that appends it. */
  auditSinks: readonly string[];
}

/** Thrown inside a transaction to roll it back and return a refusal instead. */
export class Refused extends Error {
  constructor(readonly refusal: StoreRefusal & { index: number }) {
    super(refusal.reason);
  }
}

export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

export function clampLimit(limit: number | undefined, dflt: number, max: number): number {
  return Number.isInteger(limit) && limit! > 0 ? Math.min(limit!, max) : dflt;
}

/** A value as JSON text, or NULL. */
function jsonText(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

export async function readRequest(shell: Shell, sql: Sql, id: string, lock: boolean): Promise<AccessRequest | null> {
  const rows = await sql.all(`SELECT data FROM requests WHERE id = ?${lock ? shell.driver.forUpdate : ''}`, [id]);
  return rows[0] ? requestFromRow(rows[0]) : null;
}

export async function readAudit(sql: Sql, seq: number): Promise<AuditEvent | null> {
  const rows = await sql.all('SELECT * FROM audit_events WHERE seq = ?', [seq]);
  return rows[0] ? auditFromRow(rows[0]) : null;
}

const AUDIT_COLUMNS =
  'occurred_at, event_type, request_id, registry_id, registry_name, ip_rule, actor, from_status, to_status, rules_before, rules_after, correlation_id, summary, details';

/** Append an audit event and queue it for every outside sink, in the caller's transaction. */
export async function insertAudit(shell: Shell, sql: Sql, d: AuditDraft): Promise<AuditEvent> {
  const rows = await sql.all<{ seq: number | string }>(
    `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES (${placeholders(14)}) RETURNING seq`,
    [
      d.at,
      d.type,
      d.requestId,
      d.registryId,
      d.registryName,
      d.rule,
      jsonText(d.actor),
      d.fromStatus,
      d.toStatus,
      jsonText(d.before),
      jsonText(d.after),
      d.correlationId,
      d.summary,
      JSON.stringify(d.details),
    ],
  );
  const seq = Number(rows[0]!.seq);
  for (const sink of shell.auditSinks) {
    await sql.run('INSERT INTO audit_outbox (sink, seq, attempts, next_attempt_at) VALUES (?, ?, 0, ?)', [
      sink,
      seq,
      d.at,
    ]);
  }
  return { ...d, seq };
}

/** Null when the key is new (now claimed in this transaction); the stored result (possibly {}) when seen before. */
/** Claim an event key: changes one row the first time, none for a repeat. */
export const CLAIM_SQL =
  'INSERT INTO processed_events (event_key, scope, result, created_at) VALUES (?, ?, NULL, ?) ON CONFLICT (event_key) DO NOTHING';

export async function claimKey(shell: Shell, sql: Sql, key: string, scope: string): Promise<unknown> {
  const inserted = await sql.run(CLAIM_SQL, [key, scope, shell.clock.now().toISOString()]);
  if (inserted === 1) return null;
  const rows = await sql.all('SELECT result FROM processed_events WHERE event_key = ?', [key]);
  return rows[0]?.result === null || rows[0]?.result === undefined ? {} : json(rows[0].result);
}

/** What a claimed key produced, so a repeat returns it. */
export async function recordClaimResult(sql: Sql, key: string, result: unknown): Promise<void> {
  await sql.run('UPDATE processed_events SET result = ? WHERE event_key = ?', [JSON.stringify(result), key]);
}
