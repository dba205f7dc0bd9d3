/**
 * The gauges, read from the store when metrics are collected: requests by status, active grants, and how late the
 * most overdue grant is (an active grant past its end that the scheduler has not expired yet, or an ended grant
 * whose rule is not removed yet), and the audit events waiting for each outside sink. A lag that keeps growing means
 * expiry is not running; a backlog that keeps growing, that a sink (the SIEM's webhook) refuses or is down.
 */
import { REQUEST_STATUSES } from '../../core/requests/index.js';
import type { Clock } from '../ports.js';
import type { AuditOutboxStore, GrantStore, RequestStore } from '../store.js';
import type { GaugeValues } from './port.js';

export function gaugeReader(
  store: Pick<RequestStore, 'countRequests'> &
    Pick<GrantStore, 'activeGrants' | 'grantsAwaitingRemoval'> &
    Pick<AuditOutboxStore, 'outboxBacklog'>,
  clock: Clock,
): () => Promise<GaugeValues> {
  return async () => {
    const now = clock.now().getTime();
    const [counts, active, awaiting, backlog] = await Promise.all([
      store.countRequests(),
      store.activeGrants(),
      store.grantsAwaitingRemoval(),
      store.outboxBacklog(),
    ]);
    const overdue = [...active, ...awaiting]
      .map((g) => (g.endsAt === null ? Number.NaN : Date.parse(g.endsAt)))
      .filter((t) => t < now);
    return {
      requests: Object.fromEntries(REQUEST_STATUSES.map((s) => [s, counts[s] ?? 0])),
      grantsActive: active.length,
      grantExpiryLagSeconds: overdue.length === 0 ? 0 : (now - Math.min(...overdue)) / 1000,
      auditPending: Object.fromEntries(backlog.map((b) => [b.sink, b.pending])),
    };
  };
}
