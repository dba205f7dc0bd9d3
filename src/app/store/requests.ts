/**
 * The requests role of the store port: open a request, move it through the state machine (one transaction per
 * transition or batch, conditional on the version read, with its audit event), and the queries the approval flow
 * asks of requests.
 */
import type {
  AccessRequest,
  AuditEvent,
  NewRequest,
  RequestEvent,
  RequestKind,
  RequestStatus,
  TransitionRefusalCode,
} from '../../core/requests/index.js';

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
      audit: AuditEvent;
      /** The idempotency key was seen: this is the request it created. */
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

export interface RequestStore {
  /** Open a pending request with its `requested` audit event. With an idempotency key, a repeat returns the first request. */
  createRequest(input: NewRequest, options?: { idempotencyKey?: string }): Promise<CreateOutcome>;
  getRequest(id: string): Promise<AccessRequest | null>;
  /** The requests with these ids that exist, in one read. */
  getRequests(ids: readonly string[]): Promise<AccessRequest[]>;
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
  /** How many requests are in each status (statuses with none are absent). */
  countRequests(): Promise<Partial<Record<RequestStatus, number>>>;
  /** Approved and applying requests of one registry (by resource id, any case), oldest first: the worker's queue. */
  requestsToApply(registryId: string): Promise<AccessRequest[]>;
  /** Pending requests whose pending timeout is at or before `t` (to time out). */
  requestsPendingPast(t: Date): Promise<AccessRequest[]>;
  /** Pending requests whose next reminder is at or before `t`. */
  remindersDue(t: Date): Promise<AccessRequest[]>;
}
