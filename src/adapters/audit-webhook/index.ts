/**
 * The audit webhook (AUDIT_WEBHOOK_URL): each audit event POSTed as JSON, signed so the receiver can tell it came
 * from this bot and was not replayed or altered.
 *
 *   X-ACR-Access-Timestamp: <unix seconds when sent>
 *   X-ACR-Access-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with AUDIT_WEBHOOK_SECRET>
 *   X-ACR-Access-Event: <the event's seq>   (the same number for a redelivery: deduplicate on it)
 *
 * Any 2xx answer means taken; anything else, or no answer within the timeout, is a failure the forwarder retries.
 */
import { createHmac } from 'node:crypto';
import type { AuditSink } from '../../app/audit-out/sink.js';
import type { AuditEvent } from '../../core/requests/index.js';

export const SIGNATURE_HEADER = 'x-acr-access-signature';
export const TIMESTAMP_HEADER = 'x-acr-access-timestamp';
export const EVENT_HEADER = 'x-acr-access-event';

/** `sha256=<hex>` over `<timestamp>.<body>`. */
export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function auditWebhookSink(options: { url: string; secret: string; timeoutMs?: number }): AuditSink {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'webhook',
    async deliver(event: AuditEvent) {
      const body = JSON.stringify(event);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const sent = fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'acr-access-bot',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signDelivery(options.secret, timestamp, body),
          [EVENT_HEADER]: String(event.seq),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const res = await sent.catch((err: unknown) => {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`the audit webhook is unreachable: ${cause?.code ?? cause?.message ?? String(err)}`);
      });
      // Read the answer to the end, so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`the audit webhook answered HTTP ${res.status}`);
    },
  };
}
