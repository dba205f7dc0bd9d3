/**
 * Applying an approved cleanup ("Free N slots"): one request at a time, planned again on a settled read with core's
 * planCleanup, which refuses the change when a listed rule or the rule that proves it redundant has gone, when any
 * address would lose access, or when a merge would admit more than the approvers saw. A rule that a grant has come
 * to own since the approval (active, or ended with its removal to come) is never taken off nor relied on. The write is firewall-write's (operation on record before
 * the PATCH, verified by a re-read), under the registry's lock, and its before/after go to the audit log.
 */
import { planCleanup } from '../../core/quota/index.js';
import { sameRule } from '../../core/ip.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import type { AccessRequest } from '../../core/requests/index.js';
import type { ApplyOperation } from '../store.js';
import { failureOf, isTransient, Stopped } from './arm-errors.js';
import { checkpoint, withAttempts, type Attempt } from './attempts.js';
import { finishOperation, startApplying } from './apply-start.js';
import type { ApplyRecords } from './apply-records.js';
import type { FirewallWrite } from './firewall-write.js';
import type { OverwriteCheck } from './overwrite-check.js';
import type { WorkerNews } from './worker-news.js';
import type { Run, WorkerDeps } from './worker-types.js';

const STALE = 'ask for a fresh one from the firewall view (`@bot <registry>`)';

export class ApplyCleanup {
  constructor(
    private readonly deps: WorkerDeps,
    private readonly firewall: FirewallWrite,
    private readonly records: ApplyRecords,
    private readonly overwrites: OverwriteCheck,
    private readonly news: WorkerNews,
  ) {}

  /** Approved and applying cleanups of the run's registry, one write each, oldest first. */
  async run(run: Run, waiting: AccessRequest[]): Promise<void> {
    const started = await startApplying(this.deps, this.news, run, waiting);
    for (const r of started?.applying ?? []) await this.apply(run, r);
  }

  /** A verified cleanup write (this run's, or one a previous run left open): its request becomes applied. */
  finish(op: ApplyOperation, fresh: RegistrySnapshot): Promise<void> {
    return finishOperation(this.deps, this.records, this.firewall, op, fresh);
  }

  private async apply(run: Run, request: AccessRequest): Promise<void> {
    const cleanup = request.cleanup;
    if (!cleanup) {
      await this.records.failed([request], 'the request lists no rules to take off', false);
      return;
    }
    const done: Attempt<null> = { done: null };
    const end = await withAttempts(this.deps.settings, run, async (): Promise<Attempt<null>> => {
      checkpoint(run);
      let read: Awaited<ReturnType<FirewallWrite['settledRead']>>;
      try {
        read = await this.firewall.settledRead(run.registryId);
      } catch (err) {
        if (isTransient(err)) return { retry: failureOf(err) };
        await this.records.failed([request], failureOf(err).message, false);
        return done;
      }
      const fresh = read.snapshot;
      const grants = [
        ...(await this.deps.store.activeGrants(run.registryId)),
        ...(await this.deps.store.grantsAwaitingRemoval(run.registryId)),
      ];
      const owned = grants.flatMap((g) => (g.ruleAdded === null ? [] : [g.ruleAdded]));
      const held = cleanup.remove.find((r) => owned.some((v) => sameRule(v, r.value) || sameRule(v, r.by)));
      if (held) {
        await this.records.failed(
          [request],
          `${owned.some((v) => sameRule(v, held.value)) ? held.value : held.by} belongs to a grant of the bot's, which takes it off when the grant ends; ${STALE}`,
          false,
        );
        return done;
      }
      const plan = planCleanup(fresh.ipRules, cleanup);
      if (!plan.ok) {
        await this.records.failed(
          [request],
          `${plan.reason} (the registry changed after the approval); ${STALE}`,
          false,
        );
        return done;
      }
      const write = await this.firewall.write(run, {
        kind: 'cleanup',
        ids: [request.id],
        before: fresh.ipRules,
        target: plan.target,
        defaultAction: fresh.defaultAction,
        readAt: read.readAt,
      });
      if ('submitError' in write) {
        const f = failureOf(write.submitError);
        if (isTransient(write.submitError)) return { retry: f };
        await this.records.failed([request], f.message, false);
        return done;
      }
      const res = write.resolution;
      if (res.status === 'succeeded') {
        await this.finish(res.op, res.fresh);
        this.overwrites.check(res.op, write.window);
        return done;
      }
      if (res.status === 'pending') {
        if (run.stop.aborted) throw new Stopped();
        await this.records.failed(
          [request],
          'Azure has not confirmed the change yet; the bot checks again shortly (Retry does the same)',
          true,
        );
        return done;
      }
      const now = await this.deps.store.getRequest(request.id);
      return now?.status === 'applying' ? { retry: res.error } : done;
    });
    if ('gaveUp' in end) await this.records.failed([request], end.gaveUp.message, end.gaveUp.retryable);
  }
}
