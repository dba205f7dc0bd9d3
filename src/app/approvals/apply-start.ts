/**
 * The two ends every kind of firewall change shares (grants and cleanups): approved requests start applying in one
 * transaction and their cards say so; a verified write (this run's, or one a previous run left open) makes its
 * requests applied with the before/after diff, and closes the operation.
 */
import type { RegistrySnapshot } from '../../core/registry.js';
import { windowOpen, type AccessRequest, type RequestEvent } from '../../core/requests/index.js';
import type { ApplyOperation } from '../store.js';
import type { ApplyRecords } from './apply-records.js';
import type { FirewallWrite } from './firewall-write.js';
import type { WorkerNews } from './worker-news.js';
import type { Run, WorkerDeps } from './worker-types.js';

const startEvents = (requests: readonly AccessRequest[]) =>
  requests.map((r) => ({ requestId: r.id, event: { type: 'start_apply', by: null } as RequestEvent }));

/**
 * The run's applying requests, with its approved ones started (`started`: their ids); null when another instance
 * moved one of them first (the run lists again).
 */
export async function startApplying(
  deps: Pick<WorkerDeps, 'store' | 'logger'>,
  news: WorkerNews,
  run: Run,
  waiting: readonly AccessRequest[],
): Promise<{ applying: AccessRequest[]; started: Set<string> } | null> {
  const applying = waiting.filter((r) => r.status === 'applying');
  const toStart = waiting.filter((r) => r.status === 'approved');
  if (toStart.length === 0) return { applying, started: new Set() };
  const out = await deps.store.transitionAll(startEvents(toStart));
  if (!out.ok) {
    deps.logger.warn(
      { registryId: run.registryId, requestId: out.request?.id, code: out.code },
      'could not start applying a batch; listing again',
    );
    return null;
  }
  const started = out.results.map((r) => r.request);
  news.applying(started);
  return { applying: [...applying, ...started], started: new Set(toStart.map((r) => r.id)) };
}

/** A verified write: its requests still waiting become applied; a request failed meanwhile takes the result too. */
export async function finishOperation(
  deps: Pick<WorkerDeps, 'store' | 'logger' | 'clock'>,
  records: ApplyRecords,
  firewall: FirewallWrite,
  op: ApplyOperation,
  fresh: RegistrySnapshot,
): Promise<void> {
  const requests = await deps.store.getRequests(op.requestIds);
  let applying = requests.filter((r) => r.status === 'applying');
  // A request failed while its change was still running in Azure (or one a person retried) takes the result now.
  const now = deps.clock.now();
  const restart = requests.filter(
    (r) => (r.status === 'approved' && windowOpen(r, now)) || (r.status === 'failed' && r.apply.retryable),
  );
  if (restart.length > 0) {
    const out = await deps.store.transitionAll(startEvents(restart));
    if (out.ok) applying = [...applying, ...out.results.map((r) => r.request)];
    else
      deps.logger.warn(
        { requestId: out.request?.id, code: out.code },
        'could not resume a request of a finished operation',
      );
  }
  if (applying.length > 0) await records.applied(applying, op.before, fresh.ipRules, op.correlationId);
  await firewall.close(op);
}
