/**
 * Taking off the rules of grants that ended: only values the bot added for them, never one an active grant still
 * needs (that grant takes the value over, before the write), never one someone else added. One plan per attempt
 * (core's planRemovals), written through firewall-write; each grant's removal is then a `remove_rule` transition,
 * whose audit event core words from the rules around the write.
 */
import { ownersOf, planRemovals } from '../../core/approvals/index.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import type { AccessRequest, Grant, RuleChange } from '../../core/requests/index.js';
import { AzureError } from '../azure-error.js';
import type { ApplyOperation, TransitionStep } from '../store.js';
import { failureOf, isTransient, type FailureInfo } from './arm-errors.js';
import { checkpoint, withAttempts, type Attempt } from './attempts.js';
import type { FirewallWrite } from './firewall-write.js';
import type { OverwriteCheck } from './overwrite-check.js';
import type { WorkerNews } from './worker-news.js';
import type { Run, WorkerDeps } from './worker-types.js';

/** How one removal run ended: made progress, should stop (pending in Azure), or could not (logged). */
type Ended = 'progress' | 'pending' | { failed: FailureInfo };

export class RemoveRules {
  constructor(
    private readonly deps: WorkerDeps,
    private readonly firewall: FirewallWrite,
    private readonly news: WorkerNews,
    private readonly overwrites: OverwriteCheck,
  ) {}

  /** Ended grants of the run's registry whose removal is not on record. False when the run should end. */
  async run(run: Run, ended: Grant[]): Promise<boolean> {
    const end = await withAttempts(this.deps.settings, run, (): Promise<Attempt<Ended>> => this.attempt(run, ended));
    const outcome: Ended = 'gaveUp' in end ? { failed: end.gaveUp } : end.done;
    if (typeof outcome !== 'object') return outcome === 'progress';
    const failure = outcome.failed;
    this.deps.logger.error(
      { registryId: run.registryId, grants: ended.map((g) => g.id), error: failure.message },
      'could not remove the rules of ended grants; the scheduler tries again',
    );
    return false;
  }

  /** A verified removal (this run's, or one a previous run left open): record each ended grant's outcome. */
  async finish(op: ApplyOperation, fresh: RegistrySnapshot): Promise<void> {
    const waiting = (await this.deps.store.getRequests(op.requestIds)).filter(
      (r) => (r.status === 'expired' || r.status === 'revoked') && r.ruleRemovedAt === null,
    );
    await this.record(op.registryId, waiting, {
      before: op.before,
      after: fresh.ipRules,
      correlationId: op.correlationId,
    });
    await this.firewall.close(op);
  }

  private async attempt(run: Run, ended: Grant[]): Promise<Attempt<Ended>> {
    checkpoint(run);
    let read: Awaited<ReturnType<FirewallWrite['settledRead']>>;
    try {
      read = await this.firewall.settledRead(run.registryId);
    } catch (err) {
      if (err instanceof AzureError && err.kind === 'not_found') {
        await this.record(run.registryId, ended, { before: [], after: [], correlationId: null }, true);
        return { done: 'progress' };
      }
      return isTransient(err) ? { retry: failureOf(err) } : { done: { failed: failureOf(err) } };
    }
    const fresh = read.snapshot;
    const active = await this.deps.store.activeGrants(run.registryId);
    const plan = planRemovals(
      fresh.ipRules,
      ended.map((g) => ({ id: g.id, rule: g.rule, ruleAdded: g.ruleAdded })),
      active.map((g) => ({ id: g.id, rule: g.rule })),
    );
    // Ownership moves before the write: if we crash after it, the grant that stays still owns its rule.
    await this.adopt(plan.adopt);
    if (!plan.changed) {
      await this.record(run.registryId, ended, { before: fresh.ipRules, after: fresh.ipRules, correlationId: null });
      return { done: 'progress' };
    }
    const write = await this.firewall.write(run, {
      kind: 'remove',
      ids: ended.map((g) => g.id),
      before: fresh.ipRules,
      target: plan.target,
      defaultAction: fresh.defaultAction,
      readAt: read.readAt,
    });
    if ('submitError' in write) {
      const f = failureOf(write.submitError);
      return isTransient(write.submitError) ? { retry: f } : { done: { failed: f } };
    }
    const res = write.resolution;
    if (res.status === 'succeeded') {
      await this.finish(res.op, res.fresh);
      this.overwrites.check(res.op, write.window);
      return { done: 'progress' };
    }
    return res.status === 'pending' ? { done: 'pending' } : { retry: res.error };
  }

  private async adopt(adopt: ReadonlyArray<{ grantId: string; value: string }>): Promise<void> {
    if (adopt.length === 0) return;
    const steps = adopt.map((a) => ({ requestId: a.grantId, event: { type: 'adopt_rule' as const, value: a.value } }));
    if ((await this.deps.store.transitionAll(steps)).ok) return;
    // One of them ended meanwhile: the others still take their values over.
    for (const s of steps) await this.deps.store.transition(s.requestId, s.event);
  }

  /** Each grant's removal as a `remove_rule` transition (one batch), then its card says what happened. */
  private async record(
    registryId: string,
    grants: ReadonlyArray<Pick<Grant | AccessRequest, 'id' | 'ruleAdded'>>,
    change: RuleChange,
    registryGone = false,
  ): Promise<void> {
    if (grants.length === 0) return;
    const active = await this.deps.store.activeGrants(registryId);
    const steps: TransitionStep[] = grants.map((g) => ({
      requestId: g.id,
      event: { type: 'remove_rule', change, neededBy: ownersOf(g.ruleAdded, active), registryGone },
    }));
    const batch = await this.deps.store.transitionAll(steps);
    const results = batch.ok
      ? batch.results
      : // One was recorded meanwhile (another run, a restart): record the others one by one.
        (await Promise.all(steps.map((s) => this.deps.store.transition(s.requestId, s.event)))).flatMap((out) => {
          if (!out.ok && out.code !== 'already_recorded')
            this.deps.logger.warn({ grantId: out.request?.id, code: out.code }, 'could not record a rule removal');
          return out.ok ? [out] : [];
        });
    for (const { request } of results) this.news.ruleRemoved(request);
  }
}
