/**
 * Words for the approval flow in Slack: status labels, button labels, times and durations. `Record<RequestStatus,…>`
 * and `Record<RequestAction,…>` make the compiler refuse a new status or action until it has words here.
 */
import type { RequestAction } from '../../../core/approval-views.js';
import { formatDuration } from '../../../core/policy/duration.js';
import type { AccessRequest, AuditType, RequestStatus } from '../../../core/requests/types.js';
import { APPROVAL_ACTION_IDS } from '../settings.js';
import { clip, prose } from './escape.js';

export const STATUS: Record<RequestStatus, { emoji: string; label: string }> = {
  pending: { emoji: ':hourglass_flowing_sand:', label: 'Waiting for approval' },
  approved: { emoji: ':white_check_mark:', label: 'Approved: applying next' },
  applying: { emoji: ':gear:', label: 'Applying the rule' },
  applied: { emoji: ':large_green_circle:', label: 'Applied' },
  failed: { emoji: ':x:', label: 'Apply failed' },
  expired: { emoji: ':checkered_flag:', label: 'Expired' },
  revoked: { emoji: ':no_entry_sign:', label: 'Revoked' },
  denied: { emoji: ':no_entry:', label: 'Denied' },
  cancelled: { emoji: ':heavy_multiplication_x:', label: 'Cancelled' },
  timed_out: { emoji: ':alarm_clock:', label: 'Timed out: nobody decided' },
};

/** Button text (≤ 75 chars), style, and the action_id (= the verb) of every request action. */
export const ACTION_BUTTONS: Record<RequestAction, { label: string; style?: 'primary' | 'danger'; actionId: string }> =
  {
    approve: { label: 'Approve', style: 'primary', actionId: APPROVAL_ACTION_IDS.approve },
    deny: { label: 'Deny…', style: 'danger', actionId: APPROVAL_ACTION_IDS.deny },
    narrow: { label: 'Narrow…', actionId: APPROVAL_ACTION_IDS.narrow },
    cancel: { label: 'Cancel request', actionId: APPROVAL_ACTION_IDS.cancel },
    retry: { label: 'Retry', style: 'primary', actionId: APPROVAL_ACTION_IDS.retry },
    extend: { label: 'Extend…', actionId: APPROVAL_ACTION_IDS.extend },
    revoke: { label: 'Revoke…', style: 'danger', actionId: APPROVAL_ACTION_IDS.revoke },
  };

/** Who ended a request, as a field label. */
export const DECISION_LABEL: Partial<Record<RequestStatus, string>> = {
  denied: 'Denied by',
  cancelled: 'Cancelled by',
  revoked: 'Revoked by',
  timed_out: 'Timed out',
};

export const AUDIT_LABEL: Record<AuditType, string> = {
  requested: 'Requested',
  approval_recorded: 'Approval recorded',
  approved: 'Approved',
  denied: 'Denied',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
  narrowed: 'Narrowed',
  reminded: 'Approvers reminded',
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

/** `4h`, `1d12h`, or `permanent`; an extension reads `+4h`. */
export function durationText(request: Pick<AccessRequest, 'durationMs' | 'kind'>): string {
  if (request.durationMs === null) return 'permanent';
  return `${request.kind === 'extension' ? '+' : ''}${formatDuration(request.durationMs)}`;
}

/**
 * A time every reader sees in their own time zone (`<!date^unix^format|fallback>`, Slack's date formatting), with a
 * UTC fallback for clients that cannot format it. Only ISO times we parsed go in; anything else is shown as `-`.
 */
export function slackTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '-';
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/** Risk flags on one line: escaped, at most 10, each cut before escaping so huge input costs little. */
export function flagsText(flags: readonly string[], max: number): string {
  const shown = flags.slice(0, 10).map((f) => prose(f.slice(0, 400)));
  const more = flags.length > 10 ? ` · and ${flags.length - 10} more` : '';
  return clip(`:warning: ${shown.join(' · ')}${more}`, max);
}
