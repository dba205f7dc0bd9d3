/**
 * The restart-safe scheduler: everything it does is a query on the store and a conditional transition, so a tick
 * after a restart, or on two instances at once, does each thing once (the loser of a race gets a refusal and does
 * nothing). One tick: time out pending requests, remind approvers, warn requesters before expiry (with Extend),
 * expire grants (the registry worker then removes their rules), re-kick the worker for anything left half done,
 * reconcile now and then, and prune old chat-event keys.
 */
import { MINUTE_MS } from '../../core/policy/duration.js';
import { policyFor } from '../../core/policy/evaluate.js';
import { windowOpen, type AccessRequest } from '../../core/requests/index.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import type { Reconciler } from './reconcile.js';
import { notice, when } from './views.js';
import type { RegistryWorker } from './worker.js';
import { idKey } from '../../core/registry-ref.js';

export interface TickReport {
  timedOut: number;
  reminded: number;
  warned: number;
  expired: number;
  kicked: number;
}

/** Requests left in approved/applying longer than this get the worker kicked again (another instance may have died). */
const STALE_APPLY_MS = MINUTE_MS;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<TickReport> | null = null;
  private lastReconcile: number;
  private lastPrune = 0;
  private stopped = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
    private readonly worker: RegistryWorker,
    private readonly reconciler: Reconciler,
  ) {
    this.lastReconcile = ctx.clock.now().getTime();
  }

  /** Resume what a previous process left (operations, applies, removals) at once, then tick on an interval. */
  async start(): Promise<number> {
    this.timer = setInterval(() => {
      void this.tick().catch((err: unknown) => this.ctx.logger.error({ err }, 'scheduler tick failed'));
    }, this.ctx.settings.tickMs);
    this.timer.unref?.();
    try {
      return await this.recover(true);
    } catch (err) {
      // The store hiccuped: the next tick looks again (it recovers whatever looks stuck).
      this.ctx.logger.error({ err }, 'could not look for unfinished firewall work at start; the scheduler retries');
      return 0;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
  }

  /** One pass; concurrent calls share the running one. */
  tick(): Promise<TickReport> {
    if (this.stopped) return Promise.resolve({ timedOut: 0, reminded: 0, warned: 0, expired: 0, kicked: 0 });
    this.ticking ??= this.pass().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async pass(): Promise<TickReport> {
    const now = this.ctx.clock.now();
    const report: TickReport = { timedOut: 0, reminded: 0, warned: 0, expired: 0, kicked: 0 };
    const store = this.ctx.store;

    for (const r of await store.requestsPendingPast(now)) {
      const out = await store.transition(r.id, { type: 'time_out' });
      if (!out.ok || out.duplicate) continue;
      report.timedOut += 1;
      const next = out.request;
      this.ctx.background('time out', async () => {
        await this.publisher.refresh(next);
        await this.publisher.tellRequester(
          next,
          `Nobody decided on ${next.rule} for ${next.registry.name} before ${when(next.pendingUntil)}; the request timed out. Ask again if you still need access.`,
        );
      });
    }

    for (const r of await store.remindersDue(now)) {
      const out = await store.transition(r.id, { type: 'remind' });
      if (!out.ok || out.duplicate) continue;
      report.reminded += 1;
      const next = out.request;
      this.ctx.background('remind', () => this.remind(next));
    }

    const lead = this.ctx.settings.warnLeadMaxMs;
    for (const g of await store.grantsEndingBefore(new Date(now.getTime() + lead), { unwarnedOnly: true })) {
      const ends = Date.parse(g.endsAt!);
      // Short grants are warned a quarter of their length ahead (a 30-minute grant at 22 minutes), long ones `lead` ahead.
      const ahead = Math.min(lead, Math.max(5 * MINUTE_MS, (ends - Date.parse(g.startsAt)) / 4));
      if (ends - now.getTime() > ahead || ends <= now.getTime()) continue;
      const out = await store.transition(g.id, { type: 'warn_expiry' });
      if (!out.ok || out.duplicate) continue;
      report.warned += 1;
      const next = out.request;
      this.ctx.background('warn expiry', () =>
        this.publisher.tellRequester(
          next,
          `Your access to ${next.registry.name} (${next.rule}) ends at ${when(next.endsAt)}. Extend it if you still need it.`,
        ),
      );
    }

    for (const g of await store.grantsEndingBefore(now)) {
      const out = await store.transition(g.id, { type: 'expire' });
      if (!out.ok || out.duplicate) continue;
      report.expired += 1;
      const next = out.request;
      this.worker.kick(next.registry.id, { immediate: true });
      this.ctx.background('expire', async () => {
        await this.publisher.refresh(next);
        await this.publisher.tellRequester(
          next,
          `Your access to ${next.registry.name} (${next.rule}) ended at ${when(next.endsAt)}; the bot removes the rule unless another grant still needs it.`,
        );
      });
    }

    report.kicked = await this.recover(false);

    const t = now.getTime();
    if (t - this.lastReconcile >= this.ctx.settings.reconcileEveryMs) {
      this.lastReconcile = t;
      this.ctx.background('reconcile', () => this.reconciler.run());
    }
    if (t - this.lastPrune >= this.ctx.settings.pruneEveryMs) {
      this.lastPrune = t;
      const pruned = await store.pruneEvents(new Date(t - this.ctx.settings.pruneOlderThanMs));
      if (pruned > 0) this.ctx.logger.debug({ pruned }, 'pruned processed chat events');
    }
    return report;
  }

  /** Kick the worker for registries with unfinished work: all of it at start, only what looks stuck afterwards. */
  private async recover(all: boolean): Promise<number> {
    const store = this.ctx.store;
    const now = this.ctx.clock.now().getTime();
    const registries = new Map<string, string>();
    const add = (id: string): void => void registries.set(idKey(id), id);
    // An open operation is usually being waited on by a live instance; after a minute without news it is ours too.
    for (const op of await store.openOperations())
      if (all || now - Date.parse(op.updatedAt) >= STALE_APPLY_MS) add(op.registryId);
    for (const r of await store.listRequests({ status: ['approved', 'applying'], order: 'oldest', limit: 1000 })) {
      // A scheduled request approved ahead of time is left alone until its window opens, then kicked at once.
      if (r.status === 'approved' && !windowOpen(r, new Date(now))) continue;
      const opening = r.status === 'approved' && r.startsAt !== null;
      if (all || opening || now - Date.parse(r.updatedAt) >= STALE_APPLY_MS) add(r.registry.id);
    }
    for (const g of await store.grantsAwaitingRemoval()) add(g.registryId);
    for (const id of registries.values()) this.worker.kick(id, { immediate: all });
    if (all && registries.size > 0)
      this.ctx.logger.info(
        { registries: registries.size },
        'resuming unfinished firewall work from before the restart',
      );
    return registries.size;
  }

  /** Reminders go to the approvers' DMs when policy sends DMs, else into the request's thread. */
  private async remind(r: AccessRequest): Promise<void> {
    const banner = `Reminder: ${r.rule} on ${r.registry.name} is waiting for a decision (requested ${when(r.createdAt)}; times out ${when(r.pendingUntil)}).`;
    await this.publisher.refresh(r);
    const dms = this.ctx.policy.configured && policyFor(this.ctx.policy, r.registry).notify.directMessages;
    const sent = dms ? await this.publisher.tellApprovers(r, banner) : 0;
    if (sent === 0) await this.publisher.postInThread(r, notice('info', 'Waiting for approvers', banner));
  }
}
