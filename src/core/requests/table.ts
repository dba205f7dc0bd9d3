/**
 * The transition table: for every event, the statuses it may start from and the status(es) it leads to. This is
 * the one place that says which moves exist; `transition()` refuses anything not listed here before looking at
 * the event's own conditions.
 *
 *   pending ─approve(N-th), auto_approve→ approved ─start_apply→ applying ─applied→ applied ─expire→ expired
 *      │  ↺ approve(<N), narrow, remind, note_unreached                    │  ↑              │ ↺ warn_expiry, extend
 *      ├─deny→ denied                                       fail│  │start_apply (retry)
 *      ├─cancel→ cancelled                                     ↓  │          └─revoke→ revoked
 *      └─time_out→ timed_out                                  failed        ↺ adopt_rule
 *
 * An ended grant (expired, revoked) records its rule removal once, with `remove_rule` (↺ on either status).
 */
import type { RequestEventType } from './events.js';
import type { RequestStatus } from './types.js';

export interface Edge {
  from: readonly RequestStatus[];
  to: readonly RequestStatus[];
  /** The status never changes (from expired to expired, from revoked to revoked): not a move between them. */
  stays?: true;
}

export const TRANSITIONS: Readonly<Record<RequestEventType, Edge>> = {
  approve: { from: ['pending'], to: ['pending', 'approved'] },
  auto_approve: { from: ['pending'], to: ['approved'] },
  deny: { from: ['pending'], to: ['denied'] },
  cancel: { from: ['pending'], to: ['cancelled'] },
  time_out: { from: ['pending'], to: ['timed_out'] },
  narrow: { from: ['pending'], to: ['pending'] },
  remind: { from: ['pending'], to: ['pending'] },
  note_unreached: { from: ['pending'], to: ['pending'] },
  start_apply: { from: ['approved', 'failed'], to: ['applying'] },
  applied: { from: ['applying'], to: ['applied'] },
  fail: { from: ['applying'], to: ['failed'] },
  warn_expiry: { from: ['applied'], to: ['applied'] },
  extend: { from: ['applied'], to: ['applied'] },
  expire: { from: ['applied'], to: ['expired'] },
  revoke: { from: ['applied'], to: ['revoked'] },
  adopt_rule: { from: ['applied'], to: ['applied'] },
  remove_rule: { from: ['expired', 'revoked'], to: ['expired', 'revoked'], stays: true },
};

/** Events that are decisions on a pending request: from anywhere else the answer is "already decided". */
export const DECISION_EVENTS: readonly RequestEventType[] = [
  'approve',
  'auto_approve',
  'deny',
  'cancel',
  'time_out',
  'narrow',
  'remind',
];
