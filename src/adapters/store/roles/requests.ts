/** The requests role: open and move requests (request-writes.ts), and the queries the approval flow asks. */
import type { RequestQuery, RequestStore, TransitionStep } from '../../../app/store.js';
import type { AccessRequest, RequestStatus } from '../../../core/requests/index.js';
import { createRequest, transitionAll } from '../request-writes.js';
import { requestFromRow } from '../rows.js';
import { clampLimit, placeholders, type Shell } from '../shell.js';
import { idKey } from '../../../core/registry-ref.js';

export function requestsRole(shell: Shell): RequestStore {
  const read = async (sql: string, params: readonly unknown[] = []): Promise<AccessRequest[]> =>
    (await shell.driver.read(sql, params)).map(requestFromRow);

  return {
    createRequest: (input, options) => createRequest(shell, input, options),

    async getRequest(id) {
      return (await read('SELECT data FROM requests WHERE id = ?', [id]))[0] ?? null;
    },

    async getRequests(ids) {
      if (ids.length === 0) return [];
      return read(`SELECT data FROM requests WHERE id IN (${placeholders(ids.length)}) ORDER BY created_at, id`, ids);
    },

    async transition(requestId, event, options = {}) {
      const step: TransitionStep =
        options.expectedVersion === undefined
          ? { requestId, event }
          : { requestId, event, expectedVersion: options.expectedVersion };
      const out = await transitionAll(
        shell,
        [step],
        options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey },
      );
      if (!out.ok) {
        const { index: _index, ...refusal } = out;
        return refusal;
      }
      const first = out.results[0]!;
      return { ok: true, request: first.request, audit: first.audit, duplicate: out.duplicate };
    },

    transitionAll: (steps, options) => transitionAll(shell, steps, options),

    async countRequests() {
      const rows = await shell.driver.read<{ status: RequestStatus; n: number | string }>(
        'SELECT status, COUNT(*) AS n FROM requests GROUP BY status',
      );
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    async listRequests(query: RequestQuery = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.status !== undefined) {
        const statuses = typeof query.status === 'string' ? [query.status] : [...query.status];
        if (statuses.length === 0) return [];
        where.push(`status IN (${placeholders(statuses.length)})`);
        params.push(...statuses);
      }
      if (query.registry !== undefined) {
        where.push('(lower(registry_id) = ? OR lower(registry_name) = ?)');
        params.push(query.registry.toLowerCase(), query.registry.toLowerCase());
      }
      for (const [column, value] of [
        ['kind', query.kind],
        ['requester_id', query.requesterId],
        ['extends_request_id', query.extendsRequestId],
        ['ip_rule', query.rule],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      const order = query.order === 'oldest' ? 'ASC' : 'DESC';
      params.push(clampLimit(query.limit, 100, 1000));
      return read(
        `SELECT data FROM requests${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at ${order}, id ${order} LIMIT ?`,
        params,
      );
    },

    requestsToApply: (registryId) =>
      read(
        "SELECT data FROM requests WHERE status IN ('approved', 'applying') AND lower(registry_id) = ? ORDER BY created_at, id LIMIT 500",
        [idKey(registryId)],
      ),

    requestsPendingPast: (t) =>
      read("SELECT data FROM requests WHERE status = 'pending' AND pending_until <= ? ORDER BY pending_until, id", [
        t.toISOString(),
      ]),

    remindersDue: (t) =>
      read(
        "SELECT data FROM requests WHERE status = 'pending' AND next_reminder_at IS NOT NULL AND next_reminder_at <= ? ORDER BY next_reminder_at, id",
        [t.toISOString()],
      ),
  };
}
