/**
 * The store port: everything the approval flow keeps between messages and across restarts. State
 * changes are atomic and versioned (the guarantees below). Implemented by adapters/store on SQLite (default; one bot
 * instance) and PostgreSQL (any number of instances). Both pass the same contract suite
 * (test/integration/store.contract.ts).
 *
 * Guarantees every implementation gives:
 * - `createRequest`, `transition` and `transitionAll` each run in ONE transaction: the request row is updated only
 *   if it still has the version that was read, and its audit event is inserted in the same commit. Two clicks, on
 *   one or two instances, give exactly one transition; the other gets a refusal (`already_decided`, …), never an
 *   exception.
 * - Audit events are append-only (the schema refuses UPDATE and DELETE) and numbered in commit order per writer.
 * - Grants are kept in step with their requests in the same transaction (applied → active; expired/revoked → ended).
 * - Refusals and "not found" are values; exceptions mean the database itself failed.
 */
import type { ConversationRef } from './chat.js';
import type { SubmittedUpdate } from './ports.js';
import type {
  AccessRequest,
  AuditDraft,
  Grant,
  AuditEvent,
  NewRequest,
  RequestEvent,
  RequestKind,
  RequestStatus,
  TransitionRefusalCode,
} from '../core/requests/index.js';

export type { Grant } from '../core/requests/index.js';

export type StoreRefusalCode =
  | TransitionRefusalCode
  /** No request with that id. */
  | 'not_found'
  /** The caller said which version it acted on (a card's version) and the request has moved on since. */
  | 'stale'
  /** A step in a batch names the same request twice, or the batch is empty. */
  | 'invalid_batch';

export interface StoreRefusal {
  ok: false;
  code: StoreRefusalCode;
  reason: string;
  /** The request as it is now (null when not found), so the caller can re-render its card. */
  request: AccessRequest | null;
}

export type TransitionOutcome =
  | {
      ok: true;
      request: AccessRequest;
      audit: AuditEvent;
      /** True when this idempotency key was already processed: `request` is current, `audit` the original event. */
      duplicate: boolean;
    }
  | StoreRefusal;

export interface TransitionStep {
  requestId: string;
  event: RequestEvent;
  /** Refuse with `stale` unless the request is still at this version (optional: cards may carry it). */
  expectedVersion?: number;
}

export type BatchOutcome =
  | { ok: true; results: Array<{ request: AccessRequest; audit: AuditEvent }>; duplicate: boolean }
  | (StoreRefusal & { /** Which step was refused; nothing in the batch was written. */ index: number });

export type CreateOutcome =
  | {
      ok: true;
      request: AccessRequest;
      audit: AuditEvent /** The idempotency key was seen: this is the request it created. */;
      duplicate: boolean;
    }
  | { ok: false; code: 'invalid_request'; reason: string };

export interface RequestQuery {
  status?: RequestStatus | readonly RequestStatus[];
  /** Registry resource id or name (case-insensitive). */
  registry?: string;
  kind?: RequestKind;
  /** Requester's platform user id. */
  requesterId?: string;
  /** Extensions of this request. */
  extendsRequestId?: string;
  rule?: string;
  /** Newest first (default) or oldest first. */
  order?: 'newest' | 'oldest';
  /** Default 100, at most 1000. */
  limit?: number;
}

export interface AuditQuery {
  /** Registry resource id or name (case-insensitive). */
  registry?: string;
  requestId?: string;
  /** Events at or after this time. */
  since?: Date;
  /** Events strictly after this sequence number (for paging and tailing). */
  afterSeq?: number;
  /** Default 1000, at most 10000. */
  limit?: number;
}

/** Where a copy of a request's card was posted, so every copy can be kept up to date in place. */
export type CardPurpose =
  /** The card in the thread where the request was made. */
  | 'thread'
  /** The copy in an approvers' channel (policy notify.channels). */
  | 'approvers_channel'
  /** The copy DMed to one approver. */
  | 'approver_dm'
  /** A copy DMed to the requester. */
  | 'requester_dm'
  /** The card a click was answered on, where only the clicker sees it (a 1:1 chat with the bot). */
  | 'answer';

/** The person a personal copy is drawn for (their own buttons); null for a copy everyone in a conversation sees. */
export interface CardViewer {
  platform: 'teams' | 'slack';
  /** Teams AAD object id / Slack user id; empty when only the email is known (an approver named by email). */
  id: string;
  email: string | null;
  displayName: string | null;
  role: 'approver' | 'requester';
}

export interface CardRecord {
  requestId: string;
  purpose: CardPurpose;
  conversation: ConversationRef;
  /** The posted message to update in place: Teams activity id / Slack message ts. */
  messageId: string;
  viewer: CardViewer | null;
  updatedAt: string;
}

/** The state of one ARM write (one PATCH, possibly for several requests), kept so a restart can resume polling. */
export interface ApplyOperation {
  id: string;
  registryId: string;
  /** `add`: rules for approved requests; `remove`: ended grants; `update`: both in one PATCH. */
  kind: 'add' | 'remove' | 'update';
  /** The requests (and so grants: same ids) this write is for. */
  requestIds: string[];
  status: 'submitted' | 'succeeded' | 'failed';
  /** SubmittedUpdate.operationState: the SDK poller's serialized state. */
  operationState: string;
  correlationId: string | null;
  /** The rules read just before the PATCH, and the list the PATCH sets. */
  before: string[];
  target: string[];
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewApplyOperation {
  registryId: string;
  kind: ApplyOperation['kind'];
  requestIds: string[];
  before: string[];
  target: string[];
  submitted: SubmittedUpdate;
}

export interface RegistryLockOptions {
  /** Give up waiting after this long (default 60 s) with RegistryLockTimeoutError. */
  timeoutMs?: number;
}

export interface RegistryLock {
  /**
   * Aborted if the lock is lost while held (PostgreSQL: the lock's connection dropped, so the server released it).
   * Long work should check it before each ARM write.
   */
  signal: AbortSignal;
}

export class RegistryLockTimeoutError extends Error {
  override readonly name = 'RegistryLockTimeoutError';
  constructor(
    readonly registryId: string,
    readonly waitedMs: number,
  ) {
    super(
      `Another apply for registry ${registryId} held its lock for more than ${Math.round(waitedMs / 1000)} s; try again later.`,
    );
  }
}

export interface StoreHealth {
  ok: boolean;
  /** "sqlite /data/acr-access.db, schema v1" or why it is not usable. */
  detail: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  // Requests
  /** Open a pending request with its `requested` audit event. With an idempotency key, a repeat returns the first request. */
  createRequest(input: NewRequest, options?: { idempotencyKey?: string }): Promise<CreateOutcome>;
  getRequest(id: string): Promise<AccessRequest | null>;
  /** One transition (core/requests transition()) with its audit event, atomically and conditionally on the version read. */
  transition(
    requestId: string,
    event: RequestEvent,
    options?: { expectedVersion?: number; idempotencyKey?: string },
  ): Promise<TransitionOutcome>;
  /**
   * Several transitions, all or nothing, in one transaction: a batched apply (20 approved requests → applied after one
   * PATCH), or an extension (`applied` on the extension + `extend` on the grant it extends).
   */
  transitionAll(steps: readonly TransitionStep[], options?: { idempotencyKey?: string }): Promise<BatchOutcome>;
  listRequests(query?: RequestQuery): Promise<AccessRequest[]>;

  // Scheduler
  /** Pending requests whose pending timeout is at or before `t` (to time out). */
  requestsPendingPast(t: Date): Promise<AccessRequest[]>;
  /** Pending requests whose next reminder is at or before `t`. */
  remindersDue(t: Date): Promise<AccessRequest[]>;
  /** Active grants ending at or before `t`: expire them (t = now) or warn their requesters (t = now + lead time, unwarnedOnly). */
  grantsEndingBefore(t: Date, options?: { unwarnedOnly?: boolean }): Promise<Grant[]>;
  /** Active grants, optionally of one registry: what the bot's rules on it must still cover. */
  activeGrants(registryId?: string): Promise<Grant[]>;
  getGrant(id: string): Promise<Grant | null>;
  /** Ended grants whose rule removal is not recorded yet (resume after a restart). */
  grantsAwaitingRemoval(): Promise<Grant[]>;
  // Apply operations (long-running ARM writes)
  recordOperation(op: NewApplyOperation): Promise<ApplyOperation>;
  /** Save a newer poller state while waiting (so a restart resumes from it). */
  updateOperationState(id: string, operationState: string): Promise<void>;
  finishOperation(id: string, result: { status: 'succeeded' | 'failed'; error?: string | null }): Promise<void>;
  /** Submitted operations not finished yet: resume polling these at start-up. */
  openOperations(registryId?: string): Promise<ApplyOperation[]>;
  /** The latest operation that includes this request. */
  operationForRequest(requestId: string): Promise<ApplyOperation | null>;

  // Audit
  /** An event that is not a transition (refused click, drift report, note). */
  appendAudit(draft: AuditDraft): Promise<AuditEvent>;
  /** Oldest first. */
  listAudit(query?: AuditQuery): Promise<AuditEvent[]>;

  // Chat
  saveConversation(key: string, ref: ConversationRef): Promise<void>;
  getConversation(key: string): Promise<ConversationRef | null>;
  /** Upsert by (request, platform, conversation, message): one row per posted copy. */
  saveCard(card: Omit<CardRecord, 'updatedAt'>): Promise<void>;
  listCards(requestId: string): Promise<CardRecord[]>;

  // Idempotency of chat events
  /** True the first time a key is seen (process the event), false for a repeat (a retried Slack event, a double click). */
  claimEvent(key: string, scope?: string): Promise<boolean>;
  /** Forget keys older than `t` (platforms stop retrying after minutes). Returns how many. */
  pruneEvents(olderThan: Date): Promise<number>;

  /**
   * Run `fn` while holding the registry's apply lock, so one read-modify-write of its rule set runs at a time.
   * PostgreSQL: an advisory lock, safe across instances, released on error and by the server if the connection
   * drops. SQLite: an in-process lock; SQLite means a single bot instance.
   */
  withRegistryLock<T>(
    registryId: string,
    fn: (lock: RegistryLock) => Promise<T>,
    options?: RegistryLockOptions,
  ): Promise<T>;

  /** For /readyz: the database answers and its schema is the one this binary knows. */
  health(): Promise<StoreHealth>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** The conversation key for a user's 1:1 chat with the bot (for DMs to requesters and approvers). */
export function userConversationKey(platform: 'teams' | 'slack', userId: string): string {
  return `user:${platform}:${platform === 'teams' ? userId.toLowerCase() : userId}`;
}
