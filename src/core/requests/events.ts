/**
 * Everything that can happen to a request. Authorisation is decided by policy (core/policy) before an event is
 * made; the event records the verdict (`approve.as`) so the state machine can refuse an inconsistent one.
 */
import type { ApprovalRole } from '../policy/evaluate.js';
import type { ApproverEntry } from '../policy/types.js';
import type { Party } from './types.js';

/** The registry's IP rules around an ARM write (what `networkRuleSet.ipRules` held before and after). */
export interface RuleChange {
  before: string[];
  after: string[];
  /** ARM correlation id of the write, when there was one. */
  correlationId: string | null;
}

export type RequestEvent =
  /** An approver approves; with `as` from policy's canApprove. Completes the request at N approvals (or break-glass). */
  | { type: 'approve'; by: Party; as: ApprovalRole; comment?: string | null }
  /**
   * A policy rule approves the request on its own (core/approvals autoApproval: a chat `autoApprove` rule, or a CI
   * entry with `approval: auto`): approved at once, audited as "approved by rule <name>".
   */
  | { type: 'auto_approve'; rule: string; source: string }
  | { type: 'deny'; by: Party; reason?: string | null }
  /** The requester withdraws it (or an approver closes a duplicate). */
  | { type: 'cancel'; by: Party; reason?: string | null }
  /** The scheduler closes a request nobody decided before `pendingUntil`. */
  | { type: 'time_out' }
  /** Shorten the duration while pending; never longer, never permanent. Approvals given so far still count. */
  | { type: 'narrow'; by: Party; durationMs: number }
  /** The scheduler reminded the approvers; schedules the next reminder. */
  | { type: 'remind' }
  /** No approver was reached about the new request (no DM delivered, no notify channel): who, for every copy. */
  | { type: 'note_unreached'; approvers: readonly ApproverEntry[] }
  /** The apply worker takes an approved request (or retries a failed one); `by` is who clicked Retry, if anyone. */
  | { type: 'start_apply'; by: Party | null }
  /** The rule is in the registry (verified by a re-read); starts the grant's clock. */
  | ({ type: 'applied' } & RuleChange)
  | { type: 'fail'; error: string; retryable: boolean; change?: RuleChange | null }
  /** The requester was warned that the grant ends soon. */
  | { type: 'warn_expiry' }
  /** An approved extension moves the grant's end (to `endsAt`, later than now and than the current end). */
  | { type: 'extend'; by: Party | null; extensionRequestId: string; endsAt: string }
  /**
   * The grant is over. With `change`, the rule was already removed (or kept, see `note`); without it, removal is
   * still to be done after commit and is recorded later by `remove_rule`, which survives restarts.
   */
  | { type: 'expire'; change?: RuleChange | null; note?: string | null }
  | { type: 'revoke'; by: Party; reason?: string | null; change?: RuleChange | null; note?: string | null }
  /**
   * An active grant takes over `value`: the ended grant that added it goes, and this one still needs it (or its own
   * narrower rule is added in the same write). From now on the value comes off when this grant ends.
   */
  | { type: 'adopt_rule'; value: string }
  /**
   * The ended grant's rule removal is done. `change` is the registry's rules around the write (before = after when
   * nothing had to be written); whether the value came off, and if not why, is read from it. `neededBy`: the active
   * grants that took the value over. `registryGone`: the registry no longer exists, so there was nothing to remove.
   */
  | { type: 'remove_rule'; change: RuleChange; neededBy?: readonly string[]; registryGone?: boolean };

export type RequestEventType = RequestEvent['type'];
