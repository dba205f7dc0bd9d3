/**
 * The audit sink port: somewhere outside the bot that every audit event also goes to (a SIEM's webhook, a chat
 * channel). `deliver` resolves once the sink has taken the event and throws when it has not; the forwarder retries.
 * A sink may see an event twice (a crash between delivering and recording it), never out of order.
 */
import type { AuditEvent } from '../../core/requests/index.js';

export interface AuditSink {
  /** The outbox queue it reads: `webhook`, `teams-channel`, `slack-channel`. */
  readonly name: string;
  deliver(event: AuditEvent): Promise<void>;
}
