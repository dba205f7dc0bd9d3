/**
 * The store port: everything the approval flow keeps between messages and across restarts, as one role per concern
 * (src/app/store/: requests, grants, operations, audit and its outbox, cards and conversations, people, claims,
 * locks). Implemented by adapters/store on SQLite (default; one bot instance) and PostgreSQL (any number of
 * instances); both pass the same contract suite (test/integration/store.contract.ts). A use case that needs one role can ask for just that one.
 *
 * Guarantees every implementation gives:
 * - `createRequest`, `transition` and `transitionAll` each run in ONE transaction: the request row is updated only
 *   if it still has the version that was read, and its audit event is inserted in the same commit. Two clicks, on
 *   one or two instances, give exactly one transition; the other gets a refusal (`already_decided`, …), never an
 *   exception.
 * - Audit events are append-only (the schema refuses UPDATE and DELETE) and numbered in commit order per writer.
 *   Each is queued in the audit outbox for every outside sink the store was opened with, in the same transaction.
 * - A grant is its request seen through core's grantOf(), written in the request's own transaction.
 * - Refusals and "not found" are values; exceptions mean the database itself failed.
 */
import type { AuditStore } from './store/audit.js';
import type { CardStore } from './store/cards.js';
import type { ClaimStore } from './store/claims.js';
import type { GrantStore } from './store/grants.js';
import type { LockStore } from './store/locks.js';
import type { OperationStore } from './store/operations.js';
import type { PeopleStore } from './store/people.js';
import type { AuditOutboxStore } from './store/outbox.js';
import type { RequestStore } from './store/requests.js';

export type { Grant } from '../core/requests/index.js';
export type { AuditStore } from './store/audit.js';
export { userConversationKey } from './store/cards.js';
export type { CardPurpose, CardRecord, CardStore, CardViewer } from './store/cards.js';
export type { ClaimStore } from './store/claims.js';
export type { GrantStore } from './store/grants.js';
export { RegistryLockTimeoutError } from './store/locks.js';
export type { LockStore, RegistryLock, RegistryLockOptions } from './store/locks.js';
export type { ApplyOperation, OperationStore } from './store/operations.js';
export type { AuditOutboxStore } from './store/outbox.js';
export type { PeopleStore, PersonName } from './store/people.js';
export type {
  BatchOutcome,
  CreateOutcome,
  RequestQuery,
  RequestStore,
  StoreRefusal,
  StoreRefusalCode,
  TransitionOutcome,
  TransitionStep,
} from './store/requests.js';

export interface StoreHealth {
  ok: boolean;
  /** "sqlite /data/acr-access.db, schema v1" or why it is not usable. */
  detail: string;
}

export interface Store
  extends RequestStore,
    GrantStore,
    OperationStore,
    AuditStore,
    AuditOutboxStore,
    CardStore,
    ClaimStore,
    PeopleStore,
    LockStore {
  readonly kind: 'sqlite' | 'postgres';
  /** For /readyz: the database answers and its schema is the one this binary knows. */
  health(): Promise<StoreHealth>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
