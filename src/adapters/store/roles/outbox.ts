/** The audit outbox role: events queued for outside sinks (written with the event, see shell.ts), oldest first. */
import type { AuditOutboxStore } from '../../../app/store.js';
import { auditFromRow, iso } from '../rows.js';
import type { Shell } from '../shell.js';

export function outboxRole(shell: Shell): AuditOutboxStore {
  const { driver } = shell;
  return {
    auditSinks: shell.auditSinks,

    async nextForSink(sink) {
      const rows = await driver.read(
        `SELECT o.sink AS outbox_sink, o.attempts AS outbox_attempts, o.next_attempt_at AS outbox_next,
                o.last_error AS outbox_error, e.*
           FROM audit_outbox o JOIN audit_events e ON e.seq = o.seq
          WHERE o.sink = ? ORDER BY o.seq ASC LIMIT 1`,
        [sink],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        sink: String(row.outbox_sink),
        event: auditFromRow(row),
        attempts: Number(row.outbox_attempts),
        nextAttemptAt: iso(row.outbox_next)!,
        lastError: (row.outbox_error as string | null) ?? null,
      };
    },

    async markDelivered(sink, seq) {
      await driver.tx((sql) => sql.run('DELETE FROM audit_outbox WHERE sink = ? AND seq = ?', [sink, seq]));
    },

    async markFailed(sink, seq, error, nextAttemptAt) {
      await driver.tx((sql) =>
        sql.run(
          'UPDATE audit_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE sink = ? AND seq = ?',
          [error.slice(0, 1000), nextAttemptAt.toISOString(), sink, seq],
        ),
      );
    },

    async outboxBacklog() {
      const rows = await driver.read<{ sink: string; pending: number | string; oldest: unknown }>(
        `SELECT o.sink AS sink, COUNT(*) AS pending, MIN(e.occurred_at) AS oldest
           FROM audit_outbox o JOIN audit_events e ON e.seq = o.seq GROUP BY o.sink`,
      );
      const bySink = new Map(rows.map((r) => [r.sink, r]));
      const sinks = [...new Set([...shell.auditSinks, ...bySink.keys()])];
      return sinks.map((sink) => {
        const r = bySink.get(sink);
        return { sink, pending: r ? Number(r.pending) : 0, oldestAt: r ? iso(r.oldest) : null };
      });
    },
  };
}
