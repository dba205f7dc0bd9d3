/**
 * The words of a request card, for every platform: the status line, the button labels and their weight, and the
 * words a snapshot copy carries. `Record<RequestStatus, …>` and `Record<RequestAction, …>` make the compiler refuse
 * a new status or action until it has words here. Renderers map a tone to a colour or an emoji, never to words.
 */
import type { RequestAction } from './request-actions.js';
import type { AccessRequest, AuditType, RequestStatus } from '../requests/types.js';

/** How a status feels: renderers pick a colour (Teams) or an emoji (Slack) from it. */
export type StatusTone = 'waiting' | 'working' | 'good' | 'bad' | 'ended';

export const STATUS_WORDS: Readonly<Record<RequestStatus, { label: string; tone: StatusTone }>> = {
  pending: { label: 'Waiting for approval', tone: 'waiting' },
  approved: { label: 'Approved: applying next', tone: 'working' },
  applying: { label: 'Approved: adding the rule', tone: 'working' },
  applied: { label: 'Applied', tone: 'good' },
  failed: { label: 'Apply failed', tone: 'bad' },
  expired: { label: 'Expired', tone: 'ended' },
  revoked: { label: 'Revoked', tone: 'ended' },
  denied: { label: 'Denied', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'ended' },
  timed_out: { label: 'Timed out: nobody decided in time', tone: 'ended' },
};

export type ButtonWeight = 'positive' | 'destructive' | null;

/** Button text and weight; `…` marks a button that opens a form first. */
export const ACTION_WORDS: Readonly<Record<RequestAction, { label: string; weight: ButtonWeight }>> = {
  approve: { label: 'Approve', weight: 'positive' },
  deny: { label: 'Deny…', weight: 'destructive' },
  narrow: { label: 'Narrow…', weight: null },
  cancel: { label: 'Cancel request', weight: null },
  retry: { label: 'Retry', weight: 'positive' },
  extend: { label: 'Extend…', weight: null },
  revoke: { label: 'Revoke…', weight: 'destructive' },
};

/** Heading of the risk flags, shown only while someone may still approve. */
export const WARNINGS_HEADING = 'Read before approving';

/** Who ended a request, as a fact label. */
export const DECISION_LABEL: Readonly<Partial<Record<RequestStatus, string>>> = {
  denied: 'Denied by',
  cancelled: 'Cancelled by',
  revoked: 'Revoked by',
};

/**
 * The second half of the status line of an ended grant, from what the record says about its rule: still to be
 * removed, removed, or kept (and why: another active grant needs it, someone else already removed it, the bot never
 * added it). Null for any other status.
 */
export function ruleOutcome(
  r: Pick<AccessRequest, 'status' | 'kind' | 'ruleRemovedAt' | 'ruleKept' | 'ruleAdded'>,
): string | null {
  if ((r.status !== 'expired' && r.status !== 'revoked') || r.kind !== 'grant') return null;
  if (r.ruleRemovedAt === null) return 'the bot is removing the rule';
  if (typeof r.ruleKept === 'string') return `the rule was not removed: ${r.ruleKept}`;
  if (r.ruleKept === null) return 'the rule was removed';
  // Recorded before the record kept the outcome: the audit log has it.
  return 'the rule removal was recorded (the audit log says whether it came off)';
}

/**
 * What the card everyone in a conversation sees says under it while someone can still act: the same on every
 * platform, whether the buttons sit on the card (Slack) or on each person's own view of it (Teams).
 */
export const SHARED_CARD_NOTE = 'Only approvers can use the decision buttons; every click is checked.';

/** What a snapshot copy says about itself. */
export const SNAPSHOT_NOTE = "A snapshot: it does not change. The request's card in its thread stays current";

/** The facts a list entry shows on its second line, in this order (labels of RequestView.facts). */
export const LIST_FACTS: readonly string[] = [
  'Requested by',
  'Duration',
  'Extends by',
  'Ends at',
  'Approvals',
  'Ticket',
];

/** What a list of requests says about itself. */
export const SNAPSHOT_LIST_NOTE =
  "A snapshot: this list does not change and has no buttons. Each request's own card stays current";

/** `2026-01-05 13:00 UTC`: readable in a card on any platform, unambiguous across time zones. */
export function when(iso: string | null): string {
  if (!iso) return 'never';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** What an audit event is called on a card. */
export const AUDIT_WORDS: Readonly<Record<AuditType, string>> = {
  requested: 'Requested',
  approval_recorded: 'Approval recorded',
  approved: 'Approved',
  denied: 'Denied',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
  narrowed: 'Narrowed',
  reminded: 'Approvers reminded',
  approvers_unreached: 'No approver reached',
  apply_started: 'Apply started',
  applied: 'Applied',
  apply_failed: 'Apply failed',
  expiry_warned: 'Expiry warned',
  extended: 'Extended',
  expired: 'Expired',
  revoked: 'Revoked',
  rule_adopted: 'Rule taken over',
  rule_removed: 'Rule removed',
  refused: 'Refused',
  drift: 'Drift',
  concurrent_write: 'Change may be overwritten',
  note: 'Note',
};
