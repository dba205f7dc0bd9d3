/**
 * Applying approved requests of one registry: take them all at once (approvals that arrived during the debounce
 * share one PATCH), re-read the rules, add only what nothing covers, keep every rule present at the read, write it
 * through firewall-write, and mark them applied with the before/after diff. Transient ARM failures are retried
 * (attempts.ts); then the requests fail retryable (a Retry button) or, for ARM's definitive refusals, for good.
 */
import { planAdditions, registryRefusal, rulesBefore } from '../../core/approvals/index.js';
import { MAX_IP_RULES } from '../../core/registry.js';
import type { AccessRequest } from '../../core/requests/index.js';
import type { ApplyOperation } from '../store.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { failureOf, isTransient, Stopped } from './arm-errors.js';
import { checkpoint, withAttempts, type Attempt } from './attempts.js';
import { finishOperation, startApplying } from './apply-start.js';
import type { ApplyExtension } from './apply-extension.js';
import type { ApplyRecords } from './apply-records.js';
import type { FirewallWrite } from './firewall-write.js';
import type { OverwriteCheck } from './overwrite-check.js';
import type { WorkerNews } from './worker-news.js';
import type { Run, WorkerDeps } from './worker-types.js';

export class ApplyGrants {
  constructor(
    private readonly deps: WorkerDeps,
    private readonly firewall: FirewallWrite,
    private readonly records: ApplyRecords,
    private readonly extensions: ApplyExtension,
    private readonly news: WorkerNews,
    private readonly overwrites: OverwriteCheck,
  ) {}

  /** Approved and applying requests of the run's registry. False when the run should end; true when it made progress. */
  async run(run: Run, waiting: AccessRequest[]): Promise<boolean> {
    const started = await startApplying(this.deps, this.news, run, waiting);
    if (!started) return true;
    const { applying } = started;
    for (const ext of applying.filter((r) => r.kind === 'extension')) await this.extensions.apply(ext);
    const grants = applying.filter((r) => r.kind === 'grant');
    if (grants.length > 0) await this.applyGrants(run, grants, started.started);
    return true;
  }

  /** A verified add (this run's, or one a previous run left open): its requests still waiting become applied. */
  finish(op: ApplyOperation, fresh: RegistrySnapshot): Promise<void> {
    return finishOperation(this.deps, this.records, this.firewall, op, fresh);
  }

  private async applyGrants(run: Run, requests: AccessRequest[], firstTry: ReadonlySet<string>): Promise<void> {
    let remaining = requests;
    // Once this run has sent a PATCH for them (even one whose answer was lost), every request may have an earlier write.
    let wrote = false;
    const done: Attempt<null> = { done: null };
    const end = await withAttempts(this.deps.settings, run, async (): Promise<Attempt<null>> => {
      checkpoint(run);
      let read: Awaited<ReturnType<FirewallWrite['settledRead']>>;
      try {
        read = await this.firewall.settledRead(run.registryId);
      } catch (err) {
        if (isTransient(err)) return { retry: failureOf(err) };
        await this.records.failed(remaining, failureOf(err).message, false);
        return done;
      }
      const fresh = read.snapshot;
      const unfit = registryRefusal(fresh, remaining[0]!.rule);
      if (unfit && unfit.code !== 'quota_full') {
        await this.records.failed(
          remaining,
          `${unfit.reason} (the registry changed after the request was made)`,
          false,
        );
        return done;
      }
      const plan = planAdditions(
        fresh.ipRules,
        remaining.map((r) => ({ id: r.id, rule: r.rule })),
      );
      const over = remaining.filter((r) => plan.outcomes.get(r.id)?.kind === 'over_quota');
      if (over.length > 0)
        await this.records.failed(
          over,
          `${fresh.name} has no room for another IP rule (ACR allows ${MAX_IP_RULES}); ask its owner to remove unused rules`,
          false,
        );
      remaining = remaining.filter((r) => plan.outcomes.get(r.id)?.kind !== 'over_quota');
      if (remaining.length === 0) return done;

      const before = rulesBefore(fresh.ipRules, await this.earlierWrites(remaining, wrote ? new Set() : firstTry));
      if (!plan.changed) {
        await this.records.applied(remaining, before, fresh.ipRules, null);
        return done;
      }
      wrote = true;
      const write = await this.firewall.write(run, {
        kind: 'add',
        ids: remaining.map((r) => r.id),
        before,
        target: plan.target,
        defaultAction: fresh.defaultAction,
        readAt: read.readAt,
      });
      if ('submitError' in write) {
        const f = failureOf(write.submitError);
        if (isTransient(write.submitError)) return { retry: f };
        await this.records.failed(remaining, f.message, false);
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
          remaining,
          'Azure has not confirmed the change yet; the bot checks again shortly (Retry does the same)',
          true,
        );
        return done;
      }
      remaining = (await this.deps.store.getRequests(remaining.map((r) => r.id))).filter(
        (r) => r.status === 'applying',
      );
      return remaining.length === 0 ? done : { retry: res.error };
    });
    if ('gaveUp' in end) await this.records.failed(remaining, end.gaveUp.message, end.gaveUp.retryable);
  }

  /**
   * Earlier writes for these requests (a retry, or a run that died before recording how its write ended), so what
   * they added still counts as the bot's. A request started by this very run has none: no query for it.
   */
  private async earlierWrites(
    requests: AccessRequest[],
    firstTry: ReadonlySet<string>,
  ): Promise<Array<{ rule: string; before: string[]; target: string[] }>> {
    const out: Array<{ rule: string; before: string[]; target: string[] }> = [];
    for (const r of requests) {
      if (firstTry.has(r.id) && r.apply.attempts <= 1) continue;
      const op = await this.deps.store.operationForRequest(r.id);
      if (op?.kind === 'add') out.push({ rule: r.rule, before: op.before, target: op.target });
    }
    return out;
  }
}
