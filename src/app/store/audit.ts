/** The audit role of the store port: the append-only log (transitions write theirs with the transition). */
import type { AuditDraft, AuditEvent } from '../../core/requests/index.js';

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

export interface AuditStore {
  /** An event that is not a transition (refused click, drift report, a write that may have been overwritten). */
  appendAudit(draft: AuditDraft): Promise<AuditEvent>;
  /** Oldest first. */
  listAudit(query?: AuditQuery): Promise<AuditEvent[]>;
}
