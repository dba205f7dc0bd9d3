/**
 * The registry worker: the only code that writes a registry's firewall. It composes the per-registry queue
 * (registry-queue.ts: lock, debounce, stop and drain) with the steps it runs, holding the lock:
 *   1. operations a previous run left open (a restart, a poll that failed) are resolved through firewall-write: wait
 *      on the saved poller, re-read, and hand a verified one to the step that made it, which records it;
 *   2. approved requests are applied (apply-grants.ts; extensions move a grant's end with no write);
 *   3. approved cleanups ("Free N slots") take redundant rules off (apply-cleanup.ts);
 *   4. the rules of ended grants come off (remove-rules.ts).
 * After each verified write, overwrite-check.ts looks in the Activity Log for a change someone else made in the
 * moment between the write's read and its PATCH, which that PATCH may have overwritten.
 * Nothing is ever waited on in a chat turn: clicks kick() the worker and return.
 */
import { windowOpen } from '../../core/requests/index.js';
import { ApplyCleanup } from './apply-cleanup.js';
import { ApplyExtension } from './apply-extension.js';
import { ApplyGrants } from './apply-grants.js';
import { ApplyRecords } from './apply-records.js';
import { checkpoint } from './attempts.js';
import type { Ctx } from './deps.js';
import { FirewallWrite } from './firewall-write.js';
import { OverwriteCheck } from './overwrite-check.js';
import type { Publisher } from './publish.js';
import { RegistryQueue } from './registry-queue.js';
import { RemoveRules } from './remove-rules.js';
import { WorkerNews } from './worker-news.js';
import type { Run, WorkerDeps } from './worker-types.js';

/** Rounds of (settle, apply, remove) in one run before it lets the registry go; more work is kicked again. */
const MAX_ROUNDS = 10;

export class RegistryWorker {
  private readonly deps: WorkerDeps;
  private readonly queue: RegistryQueue;
  private readonly firewall: FirewallWrite;
  private readonly grants: ApplyGrants;
  private readonly removals: RemoveRules;
  private readonly cleanups: ApplyCleanup;
  private readonly overwrites: OverwriteCheck;

  constructor(ctx: Ctx, publisher: Publisher) {
    const { store, gateway, clock, logger, settings } = ctx;
    this.deps = { store, gateway, clock, logger, settings };
    const news = new WorkerNews(ctx, publisher);
    const records = new ApplyRecords(this.deps, news);
    this.firewall = new FirewallWrite(this.deps);
    this.overwrites = new OverwriteCheck(this.deps, ctx, news);
    const extensions = new ApplyExtension(this.deps, ctx.policy, records, news);
    this.grants = new ApplyGrants(this.deps, this.firewall, records, extensions, news, this.overwrites);
    this.removals = new RemoveRules(this.deps, this.firewall, news, this.overwrites);
    this.cleanups = new ApplyCleanup(this.deps, this.firewall, records, this.overwrites, news);
    this.queue = new RegistryQueue(this.deps, (run) => this.work(run));
  }

  /** Ask for a run on this registry: after the debounce (so approvals arriving together batch), or at once. */
  kick(registryId: string, opts: { immediate?: boolean } = {}): void {
    this.queue.kick(registryId, opts);
  }

  /** Resolves when no run is scheduled or running (tests wait on this instead of sleeping). */
  idle(timeoutMs?: number): Promise<void> {
    return this.queue.idle(timeoutMs);
  }

  /** No new runs; a running one stops at its next resumable point (the operation is recorded), bounded. */
  stop(): Promise<void> {
    this.overwrites.stop();
    return this.queue.stop();
  }

  private async work(run: Run): Promise<void> {
    const store = this.deps.store;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      checkpoint(run);
      for (const op of await store.openOperations(run.registryId)) {
        const res = await this.firewall.resolve(run, op);
        // Still running in Azure or unreadable: touch nothing else on this registry until it is known.
        if (res.status === 'pending') return;
        if (res.status === 'succeeded')
          await (op.kind === 'remove'
            ? this.removals.finish(op, res.fresh)
            : op.kind === 'cleanup'
              ? this.cleanups.finish(op, res.fresh)
              : this.grants.finish(op, res.fresh));
      }
      // A scheduled request approved ahead of time waits for its window; the scheduler kicks the worker when it opens.
      const now = this.deps.clock.now();
      const queued = (await store.requestsToApply(run.registryId)).filter(
        (r) => r.status !== 'approved' || windowOpen(r, now),
      );
      const waiting = queued.filter((r) => r.kind !== 'cleanup');
      if (waiting.length > 0) {
        if (!(await this.grants.run(run, waiting))) return;
        continue;
      }
      // A cleanup plans from a read that already holds every approved grant's rule.
      const cleanups = queued.filter((r) => r.kind === 'cleanup');
      if (cleanups.length > 0) {
        await this.cleanups.run(run, cleanups);
        continue;
      }
      const ended = await store.grantsAwaitingRemoval(run.registryId);
      if (ended.length > 0) {
        if (!(await this.removals.run(run, ended))) return;
        continue;
      }
      return;
    }
  }
}
