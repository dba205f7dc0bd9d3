/**
 * Which buttons a request card may offer, to whom, in which status: ONE table, read by every view of a request
 * (the thread card, personal and refresh views, DMs, notify-channel copies). A cell lists what a role may be
 * offered; the request's own facts then narrow it (only a retryable failure offers Retry, only an active grant
 * with an end offers Extend), and per-person policy checks narrow a personal view further. A status whose cells
 * are empty offers no button anywhere, so no copy of an ended request keeps a live button. Every click is checked
 * again server-side whatever a card offered.
 */
import type { AccessRequest, RequestStatus } from '../requests/types.js';

/** The buttons a request card can offer. */
export type RequestAction = 'approve' | 'deny' | 'narrow' | 'cancel' | 'retry' | 'extend' | 'revoke';

/** Who looks at a card: the person who asked, an approver policy names, or anyone else in the conversation. */
export type RequestRole = 'requester' | 'approver' | 'other';

export const REQUEST_ROLES: readonly RequestRole[] = ['requester', 'approver', 'other'];

/** The order buttons appear in, whatever the cells list. */
export const ACTION_ORDER: readonly RequestAction[] = [
  'approve',
  'deny',
  'narrow',
  'cancel',
  'retry',
  'extend',
  'revoke',
];

const NONE: readonly RequestAction[] = [];

export const REQUEST_ACTIONS: Readonly<Record<RequestStatus, Readonly<Record<RequestRole, readonly RequestAction[]>>>> =
  {
    pending: { requester: ['narrow', 'cancel'], approver: ['approve', 'deny', 'narrow'], other: NONE },
    approved: { requester: NONE, approver: NONE, other: NONE },
    applying: { requester: NONE, approver: NONE, other: NONE },
    applied: { requester: ['extend', 'revoke'], approver: ['revoke'], other: NONE },
    failed: { requester: ['retry'], approver: ['retry'], other: NONE },
    expired: { requester: NONE, approver: NONE, other: NONE },
    revoked: { requester: NONE, approver: NONE, other: NONE },
    denied: { requester: NONE, approver: NONE, other: NONE },
    cancelled: { requester: NONE, approver: NONE, other: NONE },
    timed_out: { requester: NONE, approver: NONE, other: NONE },
  };

/** Facts of the request that rule an action out whatever the status cell says. */
function factsAllow(r: Pick<AccessRequest, 'kind' | 'endsAt' | 'apply'>, a: RequestAction): boolean {
  switch (a) {
    case 'retry':
      return r.apply.retryable;
    case 'extend':
      return r.kind === 'grant' && r.endsAt !== null;
    case 'revoke':
      return r.kind === 'grant';
    default:
      return true;
  }
}

/** What someone holding `roles` may be offered on this request (before per-person policy checks), in button order. */
export function actionsForRoles(
  r: Pick<AccessRequest, 'status' | 'kind' | 'endsAt' | 'apply'>,
  roles: readonly RequestRole[],
): RequestAction[] {
  const offered = new Set(roles.flatMap((role) => REQUEST_ACTIONS[r.status][role]));
  return ACTION_ORDER.filter((a) => offered.has(a) && factsAllow(r, a));
}

/** May this action still be offered in the request's current status, to anyone? */
export function statusAllows(
  r: Pick<AccessRequest, 'status' | 'kind' | 'endsAt' | 'apply'>,
  a: RequestAction,
): boolean {
  return actionsForRoles(r, REQUEST_ROLES).includes(a);
}
