/**
 * A new request, from the terms policy gave (core/policy planRequest). The store supplies the id and the time; the
 * result is the request and its `requested` audit event, written together.
 */
import { formatDuration } from '../policy/duration.js';
import { MAX_TICKET } from '../policy/ticket.js';
import type { RequestTerms } from '../policy/plan.js';
import type { ChannelRef, Refusal } from '../policy/types.js';
import type { RuleCleanup } from '../quota/cleanup.js';
import { slotsFreed } from '../quota/cleanup.js';
import { auditFor, nameOf } from './audit.js';
import type { AccessRequest, AuditDraft, Party, RequestKind } from './types.js';

/** What a request starts from: its terms as recorded on the request, plus the two durations its deadlines come from. */
export type NewRequest = Pick<
  AccessRequest,
  | 'kind'
  | 'extendsRequestId'
  | 'registry'
  | 'rule'
  | 'durationMs'
  | 'reason'
  | 'ticket'
  | 'requester'
  | 'channel'
  | 'breakGlass'
  | 'requiredApprovals'
> & {
  /** Only for a cleanup. */
  cleanup?: RuleCleanup;
  pendingTimeoutMs: number;
  reminderIntervalMs: number | null;
  /** Scheduled access: when the window opens (ISO time); absent, null or not in the future = when approved. */
  startsAt?: string | null;
};

/** A NewRequest from planRequest's terms. */
export function newRequestFrom(
  terms: RequestTerms,
  ask: {
    requester: Party;
    channel: ChannelRef | null;
    registry: NewRequest['registry'];
    kind?: RequestKind;
    extendsRequestId?: string | null;
  },
): NewRequest {
  return {
    kind: ask.kind ?? 'grant',
    extendsRequestId: ask.extendsRequestId ?? null,
    registry: ask.registry,
    rule: terms.rule,
    durationMs: terms.durationMs,
    reason: terms.reason,
    ticket: terms.ticket,
    requester: ask.requester,
    channel: ask.channel,
    breakGlass: terms.breakGlass,
    requiredApprovals: terms.requiredApprovals,
    pendingTimeoutMs: terms.pendingTimeoutMs,
    reminderIntervalMs: terms.reminderIntervalMs,
    startsAt: terms.startsAt,
  };
}

export function describeDuration(ms: number | null): string {
  return ms === null ? 'permanently' : `for ${formatDuration(ms)}`;
}

export function openRequest(
  input: NewRequest,
  ctx: { id: string; now: Date },
): { ok: true; request: AccessRequest; audit: AuditDraft } | Refusal<'invalid_request'> {
  const bad = (reason: string): Refusal<'invalid_request'> => ({ ok: false, code: 'invalid_request', reason });
  if (!Number.isInteger(input.requiredApprovals) || input.requiredApprovals < 1)
    return bad('requiredApprovals must be at least 1');
  if (input.durationMs !== null && !(Number.isFinite(input.durationMs) && input.durationMs > 0))
    return bad('durationMs must be positive or null (permanent)');
  if (!(Number.isFinite(input.pendingTimeoutMs) && input.pendingTimeoutMs > 0))
    return bad('pendingTimeoutMs must be positive');
  if (input.reminderIntervalMs !== null && !(Number.isFinite(input.reminderIntervalMs) && input.reminderIntervalMs > 0))
    return bad('reminderIntervalMs must be positive or null');
  if (input.rule.trim() === '' || input.registry.id.trim() === '' || input.requester.id.trim() === '')
    return bad('rule, registry id and requester id are required');
  if (input.kind === 'extension' && !input.extendsRequestId)
    return bad('an extension must name the request whose grant it extends');
  if (input.kind === 'extension' && input.durationMs === null) return bad('an extension adds a finite duration');
  if (input.kind === 'grant' && input.extendsRequestId !== null) return bad('only an extension names another request');
  if (input.kind === 'cleanup') {
    if (!input.cleanup || input.cleanup.remove.length === 0) return bad('a cleanup must list the rules it takes off');
    if (input.durationMs !== null || input.breakGlass) return bad('a cleanup is neither timed nor break-glass');
  } else if (input.cleanup) return bad('only a cleanup lists rules to take off');
  if (input.ticket !== null && (input.ticket.trim() === '' || input.ticket.length > MAX_TICKET))
    return bad(`ticket must be null or 1 to ${MAX_TICKET} characters`);
  const start = input.startsAt ? Date.parse(input.startsAt) : null;
  if (start !== null && !Number.isFinite(start)) return bad('startsAt must be an ISO time or null');
  if (start !== null && input.kind === 'extension') return bad('an extension cannot be scheduled');

  const now = ctx.now.getTime();
  const at = ctx.now.toISOString();
  const startsAt = start !== null && start > now ? new Date(start).toISOString() : null;
  // The approval deadline runs from now; a scheduled request cannot wait past the end of its own window.
  const windowEnd =
    startsAt !== null && input.durationMs !== null ? start! + input.durationMs : Number.POSITIVE_INFINITY;
  const pendingUntil = Math.min(now + input.pendingTimeoutMs, windowEnd);
  const request: AccessRequest = {
    id: ctx.id,
    version: 1,
    kind: input.kind,
    extendsRequestId: input.extendsRequestId,
    registry: { ...input.registry },
    rule: input.rule,
    durationMs: input.durationMs,
    reason: input.reason,
    ticket: input.ticket,
    requester: { ...input.requester },
    channel: input.channel ? { ...input.channel } : null,
    breakGlass: input.breakGlass,
    requiredApprovals: input.requiredApprovals,
    approvals: [],
    approvedByRule: null,
    startsAt,
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    pendingUntil: new Date(pendingUntil).toISOString(),
    reminderIntervalMs: input.reminderIntervalMs,
    nextReminderAt: input.reminderIntervalMs === null ? null : new Date(now + input.reminderIntervalMs).toISOString(),
    remindersSent: 0,
    decision: null,
    apply: { attempts: 0, lastError: null, retryable: false, correlationId: null },
    appliedAt: null,
    endsAt: null,
    expiryWarnedAt: null,
    extendedBy: [],
    ruleAdded: null,
    ruleRemovedAt: null,
    ruleKept: null,
    unreached: null,
    ...(input.cleanup ? { cleanup: input.cleanup } : {}),
  };
  const what =
    input.kind === 'extension'
      ? `an extension of ${input.rule} by ${formatDuration(input.durationMs ?? 0)}`
      : input.cleanup
        ? `taking ${input.cleanup.remove.length} redundant rule${input.cleanup.remove.length === 1 ? '' : 's'} off (${slotsFreed(input.cleanup)} slots freed)`
        : `${input.rule} ${describeDuration(input.durationMs)}${startsAt ? ` from ${startsAt}` : ''}`;
  const audit = auditFor(request, at, 'requested', {
    actor: request.requester,
    from: null,
    to: 'pending',
    summary: `${nameOf(request.requester)} requested ${what} on ${request.registry.name}${request.ticket ? ` for ticket ${request.ticket}` : ''}${request.breakGlass ? ' (break-glass)' : ''}`,
    details: {
      kind: request.kind,
      extendsRequestId: request.extendsRequestId,
      durationMs: request.durationMs,
      reason: request.reason,
      ticket: request.ticket,
      breakGlass: request.breakGlass,
      requiredApprovals: request.requiredApprovals,
      pendingUntil: request.pendingUntil,
      startsAt: request.startsAt,
      channel: request.channel,
      ...(request.cleanup ? { cleanup: request.cleanup } : {}),
    },
  });
  return { ok: true, request, audit };
}
