/** What the registry worker's modules share: their ports, one run on one registry, and how a write ended. */
import type { RegistrySnapshot } from '../../core/registry.js';
import type { Logger } from '../../log.js';
import type { Clock, RegistryGateway } from '../ports.js';
import type { ApplyOperation, RegistryLock, Store } from '../store.js';
import type { FailureInfo } from './arm-errors.js';
import type { ApprovalSettings } from './deps.js';

export interface WorkerDeps {
  store: Store;
  gateway: RegistryGateway;
  /** Business time: expiries, how old an operation is. */
  clock: Clock;
  logger: Logger;
  settings: ApprovalSettings;
}

/** One run on one registry, holding its lock until the run ends. */
export interface Run {
  registryId: string;
  lock: RegistryLock;
  /** Aborted when the worker stops: waits end at once, and no new write starts. */
  stop: AbortSignal;
}

/** How a recorded write ended, judged by a re-read of the registry (never by the PATCH's answer alone). */
export type Resolution =
  /** The registry shows the change. The operation stays open until the step has recorded it (FirewallWrite.close). */
  | { status: 'succeeded'; op: ApplyOperation; fresh: RegistrySnapshot }
  /** Closed as failed. */
  | { status: 'failed'; error: FailureInfo }
  /** Still running in Azure, unreadable, or the worker is stopping: left open for the next run. */
  | { status: 'pending' };

/** The wall-clock moments around a write, for the Activity Log check: the last read it was planned from, the PATCH. */
export interface WriteWindow {
  readAt: Date;
  sentAt: Date;
}

export type WriteOutcome =
  /** ARM refused the PATCH (the operation is closed as failed). */
  { submitError: unknown } | { resolution: Resolution; window: WriteWindow };
