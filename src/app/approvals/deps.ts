/**
 * What the approval flow is built from (ports only) and its timings. Production timings are the defaults; tests
 * shorten the debounce and the retry back-off, never the logic.
 */
import type { Policy } from '../../core/policy/types.js';
import type { Logger } from '../../log.js';
import type { Notifier } from '../notifier.js';
import type { People } from '../people.js';
import type { Clock, RegistryGateway } from '../ports.js';
import type { Store } from '../store.js';

export interface ApprovalSettings {
  /** Wait this long after an approval before taking the registry lock, so approvals that arrive together share one PATCH. */
  debounceMs: number;
  /** Attempts of one apply (read → PATCH → wait → verify) before it fails retryable; each re-reads the registry. */
  applyAttempts: number;
  /** Back-off between attempts: doubles from this, capped at retryMaxMs; ARM's Retry-After is honoured up to the cap. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a worker waits for another instance's registry lock before trying again later. */
  lockTimeoutMs: number;
  /** Scheduler tick (timeouts, reminders, expiry warnings, expiry, recovery). */
  tickMs: number;
  /** Compare bot-managed grants with the registries this often. */
  reconcileEveryMs: number;
  /** Forget processed chat-event keys this old (Slack and Teams stop redelivering after minutes). */
  pruneOlderThanMs: number;
  pruneEveryMs: number;
  /** Warn the requester at most this long before a grant ends (a quarter of the grant for short ones). */
  warnLeadMaxMs: number;
  /** An operation whose poller state was never saved (crash right after the PATCH) is given up after this long. */
  unknownOperationMs: number;
  /** How long stop() waits for a running apply to reach a resumable point. */
  stopTimeoutMs: number;
  /**
   * After a write, the Activity Log is read at once for writes by others in the window before it; it lags the writes
   * it records, so when that finds nothing it is read once more this long after (0: only once).
   */
  activityLogRecheckMs: number;
}

export const DEFAULT_APPROVAL_SETTINGS: ApprovalSettings = {
  debounceMs: 1_500,
  applyAttempts: 3,
  retryBaseMs: 1_000,
  retryMaxMs: 15_000,
  lockTimeoutMs: 60_000,
  tickMs: 30_000,
  reconcileEveryMs: 15 * 60_000,
  pruneOlderThanMs: 24 * 3_600_000,
  pruneEveryMs: 3_600_000,
  warnLeadMaxMs: 3_600_000,
  unknownOperationMs: 15 * 60_000,
  stopTimeoutMs: 10_000,
  activityLogRecheckMs: 5 * 60_000,
};

export interface ApprovalDeps {
  store: Store;
  gateway: RegistryGateway;
  notifier: Notifier;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  settings?: Partial<ApprovalSettings>;
  /** Channels outside policy whose conversation reference to keep when the bot hears from them (audit channels). */
  alsoRemember?: ReadonlyArray<{ platform: 'teams' | 'slack'; channelId: string }>;
}

/** The deps every part of the flow shares, with settings filled in. */
export interface Ctx extends Omit<ApprovalDeps, 'settings'> {
  settings: ApprovalSettings;
  /** Display names for the people cards name (approvers, requesters, deciders). */
  people: People;
  /** Side effects after a commit (card updates, DMs): tracked so tests and stop() can wait for them. */
  background(what: string, work: () => Promise<unknown>): void;
}
