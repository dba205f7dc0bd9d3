/**
 * What every transition handler shares: the refusal codes and result shape, and the step being taken (the request
 * before, its next version's base, the time). transition.ts picks the handler; the handlers build the next request
 * and its audit event.
 */
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
  /** A rule removal for a grant that has not ended. */
  | 'still_active'
  /** The grant's rule removal is already on record. */
  | 'already_recorded'
  /** The event is malformed or does not fit this request (e.g. `extend` on a permanent grant). */
  | 'invalid_event';

export interface TransitionRefusal {
  ok: false;
  code: TransitionRefusalCode;
  reason: string;
}

export type TransitionResult = { ok: true; request: AccessRequest; audit: AuditDraft } | TransitionRefusal;

export interface Step {
  request: AccessRequest;
  from: RequestStatus;
  /** The request with its version bumped and `updatedAt` set: what every handler builds on. */
  base: AccessRequest;
  /** The time as ISO text and as epoch milliseconds. */
  at: string;
  t: number;
}

const MAX_TEXT = 500;

export function clip(text: string | null | undefined): string | null {
  const t = (text ?? '').trim();
  return t === '' ? null : t.slice(0, MAX_TEXT);
}

export function refuse(code: TransitionRefusalCode, reason: string): TransitionRefusal {
  return { ok: false, code, reason };
}

export function done(request: AccessRequest, audit: AuditDraft): TransitionResult {
  return { ok: true, request, audit };
}

/** The request closed by a decision (deny, cancel, time-out, expiry, revoke): no more reminders. */
export function closed(step: Step, status: RequestStatus, by: Party | null, reason: string | null): AccessRequest {
  return { ...step.base, status, nextReminderAt: null, decision: { by, at: step.at, reason } };
}
