/**
 * Row ↔ record mapping shared by both dialects. SQLite returns TEXT for timestamps and JSON; PostgreSQL returns
 * Date for timestamptz, parsed values for jsonb and strings for bigint. Everything leaves here as the port's types.
 */
import type { ApplyOperation, CardRecord, CardViewer, Grant } from '../../app/store.js';
import type { ConversationRef } from '../../app/chat.js';
import type { AccessRequest, AuditEvent, AuditType, Party, RequestStatus } from '../../core/requests/index.js';

export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function json<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export function jsonOrNull<T>(v: unknown): T | null {
  return v === null || v === undefined ? null : json<T>(v);
}

export function requestFromRow(row: Record<string, unknown>): AccessRequest {
  return json<AccessRequest>(row.data);
}

/** Column values mirrored from a request, in the order of REQUEST_COLUMNS. */
export const REQUEST_COLUMNS = [
  'id',
  'version',
  'kind',
  'status',
  'registry_id',
  'registry_name',
  'ip_rule',
  'requester_platform',
  'requester_id',
  'extends_request_id',
  'pending_until',
  'next_reminder_at',
  'ends_at',
  'created_at',
  'updated_at',
  'data',
] as const;

export function requestColumns(r: AccessRequest): unknown[] {
  return [
    r.id,
    r.version,
    r.kind,
    r.status,
    r.registry.id,
    r.registry.name,
    r.rule,
    r.requester.platform,
    r.requester.id,
    r.extendsRequestId,
    r.pendingUntil,
    r.nextReminderAt,
    r.endsAt,
    r.createdAt,
    r.updatedAt,
    JSON.stringify(r),
  ];
}

/** Column values of a grant row, in the order of GRANT_COLUMNS (id first). */
export const GRANT_COLUMNS = [
  'id',
  'registry_id',
  'registry_name',
  'ip_rule',
  'starts_at',
  'ends_at',
  'status',
  'expiry_warned_at',
  'rule_removed_at',
  'rule_added',
  'updated_at',
] as const;

export function grantColumns(g: Grant): unknown[] {
  return [
    g.id,
    g.registryId,
    g.registryName,
    g.rule,
    g.startsAt,
    g.endsAt,
    g.status,
    g.expiryWarnedAt,
    g.ruleRemovedAt,
    g.ruleAdded,
    g.updatedAt,
  ];
}

export function grantFromRow(row: Record<string, unknown>): Grant {
  return {
    id: String(row.id),
    requestId: String(row.id),
    registryId: String(row.registry_id),
    registryName: String(row.registry_name),
    rule: String(row.ip_rule),
    startsAt: iso(row.starts_at)!,
    endsAt: iso(row.ends_at),
    status: row.status as Grant['status'],
    expiryWarnedAt: iso(row.expiry_warned_at),
    ruleRemovedAt: iso(row.rule_removed_at),
    ruleAdded: (row.rule_added as string | null | undefined) ?? null,
    updatedAt: iso(row.updated_at)!,
  };
}

export function auditFromRow(row: Record<string, unknown>): AuditEvent {
  return {
    seq: Number(row.seq),
    at: iso(row.occurred_at)!,
    type: row.event_type as AuditType,
    requestId: (row.request_id as string | null) ?? null,
    registryId: (row.registry_id as string | null) ?? null,
    registryName: (row.registry_name as string | null) ?? null,
    rule: (row.ip_rule as string | null) ?? null,
    actor: jsonOrNull<Party>(row.actor),
    fromStatus: (row.from_status as RequestStatus | null) ?? null,
    toStatus: (row.to_status as RequestStatus | null) ?? null,
    before: jsonOrNull<string[]>(row.rules_before),
    after: jsonOrNull<string[]>(row.rules_after),
    correlationId: (row.correlation_id as string | null) ?? null,
    summary: String(row.summary),
    details: json<Record<string, unknown>>(row.details),
  };
}

export function operationFromRow(row: Record<string, unknown>): ApplyOperation {
  return {
    id: String(row.id),
    registryId: String(row.registry_id),
    kind: row.kind as ApplyOperation['kind'],
    requestIds: json<string[]>(row.request_ids),
    status: row.status as ApplyOperation['status'],
    operationState: String(row.operation_state),
    correlationId: (row.correlation_id as string | null) ?? null,
    before: json<string[]>(row.rules_before),
    target: json<string[]>(row.rules_target),
    error: (row.error as string | null) ?? null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export function cardFromRow(row: Record<string, unknown>): CardRecord {
  return {
    requestId: String(row.request_id),
    purpose: row.purpose as CardRecord['purpose'],
    conversation: json<ConversationRef>(row.ref),
    messageId: String(row.message_id),
    viewer: jsonOrNull<CardViewer>(row.viewer),
    updatedAt: iso(row.updated_at)!,
  };
}
