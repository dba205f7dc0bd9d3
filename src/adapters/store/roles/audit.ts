/** The audit role: events that are not transitions, and the log read back oldest first. */
import type { AuditStore } from '../../../app/store.js';
import { auditFromRow } from '../rows.js';
import { clampLimit, insertAudit, type Shell } from '../shell.js';

export function auditRole(shell: Shell): AuditStore {
  return {
    appendAudit: (draft) => shell.driver.tx((sql) => insertAudit(shell, sql, draft)),

    async listAudit(query = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.registry !== undefined) {
        where.push('(lower(registry_id) = ? OR lower(registry_name) = ?)');
        params.push(query.registry.toLowerCase(), query.registry.toLowerCase());
      }
      if (query.requestId !== undefined) {
        where.push('request_id = ?');
        params.push(query.requestId);
      }
      if (query.since !== undefined) {
        where.push('occurred_at >= ?');
        params.push(query.since.toISOString());
      }
      if (query.afterSeq !== undefined) {
        where.push('seq > ?');
        params.push(query.afterSeq);
      }
      params.push(clampLimit(query.limit, 1000, 10_000));
      const rows = await shell.driver.read(
        `SELECT * FROM audit_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ASC LIMIT ?`,
        params,
      );
      return rows.map(auditFromRow);
    },
  };
}
