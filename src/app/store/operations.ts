/** The operations role of the store port: each ARM write, recorded before it is sent, so a restart can resume it. */
import type { SubmittedUpdate } from '../ports.js';

/** The state of one ARM write (one PATCH, possibly for several requests), kept so a restart can resume polling. */
export interface ApplyOperation {
  id: string;
  registryId: string;
  /** `add`: rules for approved requests; `remove`: the rules of ended grants; `cleanup`: an approved Free N slots. */
  kind: 'add' | 'remove' | 'cleanup';
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

export interface OperationStore {
  recordOperation(op: NewApplyOperation): Promise<ApplyOperation>;
  /** Save the PATCH's poller state (and correlation id) once ARM accepted it, so a restart resumes from it. */
  updateOperationState(id: string, operationState: string, correlationId?: string | null): Promise<void>;
  finishOperation(id: string, result: { status: 'succeeded' | 'failed'; error?: string | null }): Promise<void>;
  /** Submitted operations not finished yet, optionally of one registry: resume polling these at start-up. */
  openOperations(registryId?: string): Promise<ApplyOperation[]>;
  /** The latest operation that includes this request. */
  operationForRequest(requestId: string): Promise<ApplyOperation | null>;
}
