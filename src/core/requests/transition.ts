/**
 * The request state machine: `transition(request, event, now)` gives the next request and the audit event that
 * records the move, or a refusal with a reason. Pure: the store runs it inside the transaction that writes both,
 * conditionally on the version it read.
 */
import { formatDuration } from '../policy/duration.js';
import { samePerson } from '../policy/identity.js';
import { auditFor, nameOf } from './audit.js';
import type { RequestEvent } from './events.js';
import { DECISION_EVENTS, TRANSITIONS } from './table.js';
import type { AccessRequest, AuditDraft, Party, RequestStatus } from './types.js';

export type TransitionRefusalCode =
  /** A pending-phase decision arrived after the request left pending (the loser of two clicks). */
  | 'already_decided'
  /** The table has no such move from this status. */
  | 'invalid_transition'
  /** This person's approval is already counted. */
  | 'already_approved'
  /** The requester's own approval, without policy's self-approval or break-glass verdict. */
  | 'self_approval'
  /** Narrowing must shorten. */
  | 'not_narrower'
  /** A scheduler event before its time (timeout, expiry, reminder). */
  | 'not_due'
  /** The last failure cannot be retried. */
  | 'not_retryable'
  /** The event is malformed or does not fit this request (e.g. `extend` on a permanent grant). */
  | 'invalid_event';

export interface TransitionRefusal {
  ok: false;
  code: TransitionRefusalCode;
  reason: string;
}

export type TransitionResult = { ok: true; request: AccessRequest; audit: AuditDraft } | TransitionRefusal;

const MAX_TEXT = 500;

function clip(text: string | null | undefined): string | null {
  const t = (text ?? '').trim();
  return t === '' ? null : t.slice(0, MAX_TEXT);
}

function refuse(code: TransitionRefusalCode, reason: string): TransitionRefusal {
  return { ok: false, code, reason };
}

/** "already denied by carol@contoso.com at 2026-…" for the loser of a race. */
function alreadyDecided(r: AccessRequest): TransitionRefusal {
  const by = r.decision
    ? ` by ${nameOf(r.decision.by)} at ${r.decision.at}`
    : r.status === 'approved' && r.approvals.length > 0
      ? ` by ${r.approvals.map((a) => nameOf(a.by)).join(', ')}`
      : '';
  return refuse('already_decided', `This request was already decided: it is ${r.status.replace('_', ' ')}${by}.`);
}

export function transition(request: AccessRequest, event: RequestEvent, now: Date): TransitionResult {
  const edge = TRANSITIONS[event.type];
  if (!edge) return refuse('invalid_event', `unknown event ${(event as { type: unknown }).type as string}`);
  const from = request.status;
  if (!edge.from.includes(from)) {
    if (DECISION_EVENTS.includes(event.type)) return alreadyDecided(request);
    return refuse(
      'invalid_transition',
      `Cannot ${event.type.replace('_', ' ')} a request that is ${from.replace('_', ' ')}.`,
    );
  }
  const at = now.toISOString();
  const t = now.getTime();
  const base: AccessRequest = { ...request, version: request.version + 1, updatedAt: at };
  const done = (next: AccessRequest, audit: AuditDraft): TransitionResult => ({ ok: true, request: next, audit });
  const closed = (status: RequestStatus, by: Party | null, reason: string | null): AccessRequest => ({
    ...base,
    status,
    nextReminderAt: null,
    decision: { by, at, reason },
  });

  switch (event.type) {
    case 'approve': {
      const by = event.by;
      if (request.approvals.some((a) => samePerson(a.by, by)))
        return refuse('already_approved', `${nameOf(by)} has already approved this request.`);
      const isRequester = samePerson(request.requester, by);
      if (event.as === 'approver' && isRequester)
        return refuse('self_approval', 'The requester cannot approve their own request.');
      if (event.as !== 'approver' && !isRequester)
        return refuse('invalid_event', `An approval "as ${event.as}" must come from the requester.`);
      if (event.as === 'break_glass' && !request.breakGlass)
        return refuse('self_approval', 'This is not a break-glass request; the requester cannot approve it.');
      const approvals = [...request.approvals, { by, at, as: event.as, comment: clip(event.comment) }];
      const complete = event.as === 'break_glass' || approvals.length >= request.requiredApprovals;
      const next: AccessRequest = {
        ...base,
        approvals,
        status: complete ? 'approved' : 'pending',
        nextReminderAt: complete ? null : request.nextReminderAt,
      };
      const count = `${approvals.length} of ${request.requiredApprovals}`;
      return done(
        next,
        auditFor(next, at, complete ? 'approved' : 'approval_recorded', {
          actor: by,
          from,
          to: next.status,
          summary:
            event.as === 'break_glass'
              ? `${nameOf(by)} approved their own break-glass request (every approver is notified)`
              : `${nameOf(by)} approved (${count})${complete ? '; request approved' : ''}`,
          details: {
            as: event.as,
            approvals: approvals.length,
            requiredApprovals: request.requiredApprovals,
            comment: clip(event.comment),
            breakGlass: event.as === 'break_glass',
          },
        }),
      );
    }
    case 'deny': {
      const reason = clip(event.reason);
      const next = closed('denied', event.by, reason);
      return done(
        next,
        auditFor(next, at, 'denied', {
          actor: event.by,
          from,
          to: 'denied',
          summary: `${nameOf(event.by)} denied the request${reason ? `: ${reason}` : ''}`,
          details: { reason },
        }),
      );
    }
    case 'cancel': {
      const reason = clip(event.reason);
      const next = closed('cancelled', event.by, reason);
      return done(
        next,
        auditFor(next, at, 'cancelled', {
          actor: event.by,
          from,
          to: 'cancelled',
          summary: `${nameOf(event.by)} cancelled the request${reason ? `: ${reason}` : ''}`,
          details: { reason },
        }),
      );
    }
    case 'time_out': {
      if (t < Date.parse(request.pendingUntil))
        return refuse('not_due', `The request is pending until ${request.pendingUntil}.`);
      const next = closed('timed_out', null, 'no decision before the pending timeout');
      return done(
        next,
        auditFor(next, at, 'timed_out', {
          actor: null,
          from,
          to: 'timed_out',
          summary: `No decision by ${request.pendingUntil}; the request timed out`,
          details: { pendingUntil: request.pendingUntil, approvals: request.approvals.length },
        }),
      );
    }
    case 'narrow': {
      const ms = event.durationMs;
      if (!Number.isFinite(ms) || ms <= 0)
        return refuse('invalid_event', 'A narrowed duration must be longer than zero.');
      if (request.durationMs !== null && ms >= request.durationMs) {
        return refuse(
          'not_narrower',
          `Narrowing can only shorten the duration: ${formatDuration(ms)} is not shorter than ${formatDuration(request.durationMs)}.`,
        );
      }
      const next: AccessRequest = { ...base, durationMs: ms };
      return done(
        next,
        auditFor(next, at, 'narrowed', {
          actor: event.by,
          from,
          to: 'pending',
          summary: `${nameOf(event.by)} shortened the duration from ${request.durationMs === null ? 'permanent' : formatDuration(request.durationMs)} to ${formatDuration(ms)}`,
          details: { fromDurationMs: request.durationMs, toDurationMs: ms },
        }),
      );
    }
    case 'remind': {
      if (request.nextReminderAt === null || request.reminderIntervalMs === null)
        return refuse('not_due', 'Reminders are off for this request.');
      if (t < Date.parse(request.nextReminderAt))
        return refuse('not_due', `The next reminder is due at ${request.nextReminderAt}.`);
      const next: AccessRequest = {
        ...base,
        remindersSent: request.remindersSent + 1,
        nextReminderAt: new Date(t + request.reminderIntervalMs).toISOString(),
      };
      return done(
        next,
        auditFor(next, at, 'reminded', {
          actor: null,
          from,
          to: 'pending',
          summary: `Reminded the approvers (reminder ${next.remindersSent})`,
          details: { remindersSent: next.remindersSent, nextReminderAt: next.nextReminderAt },
        }),
      );
    }
    case 'start_apply': {
      if (from === 'failed' && !request.apply.retryable)
        return refuse(
          'not_retryable',
          `The last attempt failed in a way a retry cannot fix: ${request.apply.lastError ?? 'unknown error'}.`,
        );
      const next: AccessRequest = {
        ...base,
        status: 'applying',
        apply: { ...request.apply, attempts: request.apply.attempts + 1 },
      };
      const retry = from === 'failed';
      return done(
        next,
        auditFor(next, at, 'apply_started', {
          actor: event.by,
          from,
          to: 'applying',
          summary: `${retry ? `${event.by ? `${nameOf(event.by)} retried` : 'Retrying'}` : 'Applying'} ${request.kind === 'extension' ? 'the extension' : request.rule} (attempt ${next.apply.attempts})`,
          details: { attempt: next.apply.attempts, retry },
        }),
      );
    }
    case 'applied': {
      const endsAt =
        request.kind === 'grant' && request.durationMs !== null ? new Date(t + request.durationMs).toISOString() : null;
      const next: AccessRequest = {
        ...base,
        status: 'applied',
        appliedAt: at,
        endsAt,
        apply: { ...request.apply, lastError: null, retryable: false, correlationId: event.correlationId },
      };
      return done(
        next,
        auditFor(next, at, 'applied', {
          actor: null,
          from,
          to: 'applied',
          summary:
            request.kind === 'extension'
              ? `Extension applied: the grant of request ${request.extendsRequestId ?? '?'} is extended`
              : `${request.rule} is allowed on ${request.registry.name} ${endsAt ? `until ${endsAt}` : 'permanently'}`,
          before: event.before,
          after: event.after,
          correlationId: event.correlationId,
          details: { endsAt, attempt: request.apply.attempts },
        }),
      );
    }
    case 'fail': {
      const error = clip(event.error) ?? 'unknown error';
      const next: AccessRequest = {
        ...base,
        status: 'failed',
        apply: {
          ...request.apply,
          lastError: error,
          retryable: event.retryable,
          correlationId: event.change?.correlationId ?? request.apply.correlationId,
        },
      };
      return done(
        next,
        auditFor(next, at, 'apply_failed', {
          actor: null,
          from,
          to: 'failed',
          summary: `Applying ${request.rule} failed${event.retryable ? ' (can be retried)' : ''}: ${error}`,
          before: event.change?.before ?? null,
          after: event.change?.after ?? null,
          correlationId: event.change?.correlationId ?? null,
          details: { error, retryable: event.retryable, attempt: request.apply.attempts },
        }),
      );
    }
    case 'warn_expiry': {
      if (request.endsAt === null) return refuse('invalid_event', 'A permanent grant does not expire.');
      if (request.expiryWarnedAt !== null)
        return refuse('invalid_event', `The requester was already warned at ${request.expiryWarnedAt}.`);
      const next: AccessRequest = { ...base, expiryWarnedAt: at };
      return done(
        next,
        auditFor(next, at, 'expiry_warned', {
          actor: null,
          from,
          to: 'applied',
          summary: `Told ${nameOf(request.requester)} the grant ends at ${request.endsAt}`,
          details: { endsAt: request.endsAt },
        }),
      );
    }
    case 'extend': {
      if (request.kind !== 'grant') return refuse('invalid_event', 'Only a grant can be extended.');
      if (request.endsAt === null) return refuse('invalid_event', 'A permanent grant cannot be extended.');
      const newEnd = Date.parse(event.endsAt);
      if (!Number.isFinite(newEnd)) return refuse('invalid_event', `"${event.endsAt}" is not a time.`);
      if (t >= Date.parse(request.endsAt))
        return refuse('invalid_event', `The grant already ended at ${request.endsAt}; request access again.`);
      if (newEnd <= Date.parse(request.endsAt) || newEnd <= t)
        return refuse('invalid_event', `An extension must end after the current end (${request.endsAt}).`);
      if (request.extendedBy.includes(event.extensionRequestId))
        return refuse('invalid_event', `Extension ${event.extensionRequestId} was already applied.`);
      const endsAt = new Date(newEnd).toISOString();
      const next: AccessRequest = {
        ...base,
        endsAt,
        expiryWarnedAt: null,
        extendedBy: [...request.extendedBy, event.extensionRequestId],
      };
      return done(
        next,
        auditFor(next, at, 'extended', {
          actor: event.by,
          from,
          to: 'applied',
          summary: `The grant of ${request.rule} now ends at ${endsAt} (was ${request.endsAt})`,
          details: { fromEndsAt: request.endsAt, toEndsAt: endsAt, extensionRequestId: event.extensionRequestId },
        }),
      );
    }
    case 'expire': {
      if (request.endsAt === null)
        return refuse('invalid_event', 'A permanent grant does not expire; revoke it instead.');
      if (t < Date.parse(request.endsAt)) return refuse('not_due', `The grant runs until ${request.endsAt}.`);
      const note = clip(event.note);
      const next = closed('expired', null, note ?? 'the grant ended');
      return done(
        next,
        auditFor(next, at, 'expired', {
          actor: null,
          from,
          to: 'expired',
          summary: `The grant of ${request.rule} on ${request.registry.name} ended${note ? `: ${note}` : ''}`,
          before: event.change?.before ?? null,
          after: event.change?.after ?? null,
          correlationId: event.change?.correlationId ?? null,
          details: { endsAt: request.endsAt, ruleRemoval: event.change ? 'done' : 'pending', note },
        }),
      );
    }
    case 'revoke': {
      const reason = clip(event.reason);
      const next = closed('revoked', event.by, reason);
      return done(
        next,
        auditFor(next, at, 'revoked', {
          actor: event.by,
          from,
          to: 'revoked',
          summary: `${nameOf(event.by)} revoked ${request.rule} on ${request.registry.name}${reason ? `: ${reason}` : ''}`,
          before: event.change?.before ?? null,
          after: event.change?.after ?? null,
          correlationId: event.change?.correlationId ?? null,
          details: {
            reason,
            endsAt: request.endsAt,
            ruleRemoval: event.change ? 'done' : 'pending',
            note: clip(event.note),
          },
        }),
      );
    }
  }
}
