/**
 * Access requests: the one record that moves through the approval flow. Times are ISO-8601
 * UTC strings (`Date#toISOString()`), so records compare, serialise and store the same way on every backend.
 * Durations are milliseconds; `null` means permanent.
 */
import type { ApprovalRole } from '../policy/evaluate.js';
import type { ApproverEntry, ChannelRef } from '../policy/types.js';
import type { RuleCleanup } from '../quota/cleanup.js';

export type RequestStatus =
  | 'pending' // waiting for approvers
  | 'approved' // enough approvals; waiting for the apply worker
  | 'applying' // the apply worker owns it: the ARM write is in progress (or being resumed after a restart)
  | 'applied' // the rule is in the registry's firewall (for an extension: the grant's end moved)
  | 'failed' // the apply failed; retryable ones may go back to applying
  | 'expired' // the grant ended
  | 'revoked' // an approver (or the requester) ended the grant early
  | 'denied'
  | 'cancelled'
  | 'timed_out'; // nobody decided before the pending timeout

export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'pending',
  'approved',
  'applying',
  'applied',
  'failed',
  'expired',
  'revoked',
  'denied',
  'cancelled',
  'timed_out',
];

/** Nothing happens to these any more. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['expired', 'revoked', 'denied', 'cancelled', 'timed_out'];

/**
 * `grant`: add a rule for a while. `extension`: move the end of an applied grant (`extendsRequestId`); it is
 * approved like a grant (policy may ask again), and when applied its `extend` event moves the grant's end.
 * `cleanup`: take redundant rules off (and write merged prefixes), as listed in `cleanup`; applied once, for good.
 */
export type RequestKind = 'grant' | 'extension' | 'cleanup';

/** A person as recorded on a request or audit event: enough to recognise them again on either platform. */
export interface Party {
  platform: 'teams' | 'slack' | 'cli' | 'workload';
  /** Teams AAD object id / Slack user id / CLI OS user / a workload identity's object id (lower-case). */
  id: string;
  email: string | null;
  displayName: string | null;
  /** A CI workload identity (platform `workload`), as its verified tokens said: what the audit log keeps of it. */
  workload?: WorkloadFacts;
}

export interface WorkloadFacts {
  appId: string;
  tenantId: string;
  /** The CI job's subject (`repo:contoso/payments:ref:refs/heads/main`) and its issuer; null when none was sent. */
  subject: string | null;
  issuer: string | null;
  /** The policy entry that let it ask (`ci.identities[0]`). */
  source: string;
}

export interface Approval {
  by: Party;
  at: string;
  as: ApprovalRole;
  comment: string | null;
}

export interface AccessRequest {
  id: string;
  /** Bumped by every transition; stores update `WHERE version = <read version>`, so two clicks make one change. */
  version: number;
  kind: RequestKind;
  /** For an extension: the request whose grant it extends. */
  extendsRequestId: string | null;
  registry: { id: string; name: string; loginServer: string | null };
  /** Canonical IPv4 CIDR (`203.0.113.7/32`); for a cleanup, what it does in a few words (`free 5 slots`). */
  rule: string;
  /** Only on a cleanup: the rules it takes off, each with its proof, and the prefixes it writes. */
  cleanup?: RuleCleanup;
  /** How long the grant lasts once applied (for an extension: how much longer); null = permanent. */
  durationMs: number | null;
  reason: string;
  /** The change or incident ticket it is for (policy `requireTicket`); null when none was given. */
  ticket: string | null;
  requester: Party;
  /** Where it was requested (policy scope); the chat conversation for replies is kept by the store's card records. */
  channel: ChannelRef | null;
  breakGlass: boolean;
  /** N of N-of-M, fixed when the request is made. */
  requiredApprovals: number;
  approvals: Approval[];
  /** The policy rule that approved it without a person (`auto_approve`); null when people decided. */
  approvedByRule: { name: string; source: string; at: string } | null;
  /**
   * Scheduled access: when the access window opens (the rule is added then, not before, however early it is
   * approved); null = as soon as it is approved. The window closes `durationMs` after it.
   */
  startsAt: string | null;
  status: RequestStatus;
  createdAt: string;
  updatedAt: string;
  /** When a still-pending request times out. */
  pendingUntil: string;
  reminderIntervalMs: number | null;
  /** Next approver reminder while pending; null when reminders are off or the request is no longer pending. */
  nextReminderAt: string | null;
  remindersSent: number;
  /** Who closed it and why: deny, cancel, time-out, revoke. */
  decision: { by: Party | null; at: string; reason: string | null } | null;
  apply: {
    attempts: number;
    lastError: string | null;
    /** Whether the last failure may be retried (failed → applying). */
    retryable: boolean;
    correlationId: string | null;
  };
  appliedAt: string | null;
  /** When the grant ends: set when applied (and moved by extensions); null while not applied, or permanent. */
  endsAt: string | null;
  /** When the requester was warned that the grant is about to end (reset by an extension). */
  expiryWarnedAt: string | null;
  /** Extension requests applied to this grant, oldest first. */
  extendedBy: string[];
  /**
   * The rule value the bot wrote to the registry for this grant, or took over from an ended grant that still
   * covered it (`adopt_rule`); null when a rule the bot did not add already admitted the address. Only this value is
   * ever removed when the grant ends, so a rule someone else added is never taken off. Decided when applied.
   */
  ruleAdded: string | null;
  /**
   * For an ended grant: when its rule removal was recorded (the value came off, or stays and the audit says why);
   * null while it is still to do, which is what a restarted worker looks for.
   */
  ruleRemovedAt: string | null;
  /**
   * Why an ended grant's rule stayed on the registry (another active grant needs it, someone else had already
   * removed it, the bot never added it); null when it came off or is still to be removed. Absent on records made
   * before it was kept.
   */
  ruleKept?: string | null;
  /**
   * The approvers no message about this new request reached (every direct message failed and no notify channel took
   * its card), kept so every later drawing of every copy says who could not be reached; null when someone was
   * reached. Absent on records made before it was kept.
   */
  unreached?: ApproverEntry[] | null;
}

/** What an audit event is about. Transition events are named after what happened, in the past tense. */
export type AuditType =
  | 'requested'
  | 'approval_recorded' // one of N approvals; still pending
  | 'approved'
  | 'denied'
  | 'cancelled'
  | 'timed_out'
  | 'narrowed'
  | 'reminded'
  | 'approvers_unreached'
  | 'apply_started'
  | 'applied'
  | 'apply_failed'
  | 'expiry_warned'
  | 'extended'
  | 'expired'
  | 'revoked'
  | 'rule_adopted'
  | 'rule_removed'
  // Not transitions: written by use cases through Store.appendAudit.
  | 'refused'
  | 'drift'
  /** Someone else wrote the registry between the bot's last read and its PATCH: their change may have been overwritten. */
  | 'concurrent_write'
  | 'note';

/** One append-only audit record before the store numbers it. */
export interface AuditDraft {
  at: string;
  type: AuditType;
  requestId: string | null;
  registryId: string | null;
  registryName: string | null;
  rule: string | null;
  /** Who did it; null = the bot itself (scheduler, apply worker). */
  actor: Party | null;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  /** The registry's IP rules before and after an ARM write, when this event made or observed one. */
  before: string[] | null;
  after: string[] | null;
  /** `x-ms-correlation-request-id` of the ARM write. */
  correlationId: string | null;
  /** One line for people: "carol@contoso.com approved (1 of 2)". */
  summary: string;
  /** Event-specific facts (durations, reasons, approvals, old/new end). JSON-serialisable. */
  details: Record<string, unknown>;
}

export interface AuditEvent extends AuditDraft {
  /** Position in the log, assigned by the store; strictly increasing. */
  seq: number;
}
