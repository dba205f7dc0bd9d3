/**
 * The audit outbox role of the store port: audit events waiting for an outside sink (the audit webhook, an audit
 * channel). The store queues an event for every sink it was opened with in the same transaction that appends the
 * event; a forwarder takes them out oldest first, one sink at a time.
 */
import type { AuditEvent } from '../../core/requests/index.js';

export interface OutboxEntry {
  sink: string;
  event: AuditEvent;
  /** Failed deliveries so far. */
  attempts: number;
  /** Not before this time (ISO-8601): the back-off after a failure. */
  nextAttemptAt: string;
  lastError: string | null;
}

export interface OutboxBacklog {
  sink: string;
  pending: number;
  /** When the oldest waiting event happened; null when none waits. */
  oldestAt: string | null;
}

export interface AuditOutboxStore {
  /** The sinks this store queues every new audit event for (fixed when the store is opened). */
  readonly auditSinks: readonly string[];
  /** The oldest event still waiting for `sink` (due or not: order comes first), or null when none waits. */
  nextForSink(sink: string): Promise<OutboxEntry | null>;
  /** The sink took the event: it leaves the outbox. */
  markDelivered(sink: string, seq: number): Promise<void>;
  /** A failed delivery: count it and wait until `nextAttemptAt` before the next one. */
  markFailed(sink: string, seq: number, error: string, nextAttemptAt: Date): Promise<void>;
  /** How much waits per sink (for readiness details and metrics). */
  outboxBacklog(): Promise<OutboxBacklog[]>;
}
