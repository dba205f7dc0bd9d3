/**
 * The approval flow as the composition root sees it: a ChatExtension for the chat service (card verbs and the
 * `requests` / `audit` commands), and the background parts (registry worker, scheduler, reconciler) to start after
 * the bot listens and stop before it closes the store.
 *
 *   const approvals = createApprovals({ store, gateway, notifier, policy, clock, logger });
 *   createChatService({ gateway, extensions: [approvals.extension] });
 *   await approvals.start();   // resume what a previous process left, then tick
 *   await approvals.stop();    // no new work; a running apply stops at a resumable point
 */
import { APPROVAL_VERBS } from '../../core/approval-views.js';
import type { ChatPlatform, UnreachablePart } from '../../core/policy/reach.js';
import type { ChatExtension } from '../chat-service.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import { InFlight } from '../in-flight.js';
import { People } from '../people.js';
import { userConversationKey } from '../store.js';
import { CiRequests } from './ci-requests.js';
import { listRequests, showAudit } from './commands.js';
import { Decisions } from './decisions.js';
import { GrantChanges } from './grant-changes.js';
import { FreeSlots } from './free-slots.js';
import { Hygiene } from './hygiene.js';
import { unreachableApprovers } from './names.js';
import { DEFAULT_APPROVAL_SETTINGS, type ApprovalDeps, type Ctx } from './deps.js';
import { channelConversationKey, Publisher } from './publish.js';
import { Reconciler, type DriftFinding } from './reconcile.js';
import { RequestAccess } from './request-access.js';
import { Scheduler, type TickReport } from './scheduler.js';
import { RegistryWorker } from './worker.js';

export type { ApprovalDeps, ApprovalSettings } from './deps.js';
export type { TickReport } from './scheduler.js';
export type { DriftFinding } from './reconcile.js';
export type { CiOutcome, CiRequests } from './ci-requests.js';
export { readSubmission } from './ci-ask.js';

export interface Approvals {
  /** Register with the chat service: `createChatService({ …, extensions: [approvals.extension] })`. */
  extension: ChatExtension;
  /** Requests from CI jobs through the access API (a verified workload identity; same engine, same policy). */
  ci: CiRequests;
  /** True when a policy file is configured; without one every request is refused with the reason. */
  enabled: boolean;
  /** Resume unfinished work (open operations, approved requests, rule removals), then tick on an interval. */
  start(): Promise<void>;
  /** The policy parts whose approvers no channel on `on` reaches, approvers named as cards name them (start-up log). */
  unreachable(on: ReadonlySet<ChatPlatform>): Promise<UnreachablePart[]>;
  /** Stop ticking and taking work; wait (bounded) for a running apply to reach a resumable point. */
  stop(): Promise<void>;
  /** One scheduler pass now (tests drive time with their clock and call this). */
  tick(): Promise<TickReport>;
  /** Compare active grants with their registries now. */
  reconcile(): Promise<DriftFinding[]>;
  /** Wait until no apply, card update or DM is running or scheduled (tests; bounded). */
  idle(timeoutMs?: number): Promise<void>;
}

export function createApprovals(deps: ApprovalDeps): Approvals {
  const inFlight = new InFlight();
  const notifier = deps.notifier;
  const ctx: Ctx = {
    ...deps,
    settings: { ...DEFAULT_APPROVAL_SETTINGS, ...deps.settings },
    people: new People({
      store: deps.store,
      lookup: notifier.displayName ? (platform, id, via) => notifier.displayName!(platform, id, via) : null,
      clock: deps.clock,
      logger: deps.logger,
    }),
    background(what, work) {
      void inFlight.track(
        work().catch((err: unknown) => deps.logger.warn({ err, what }, 'approval side effect failed')),
      );
    },
  };
  const publisher = new Publisher(ctx);
  const worker = new RegistryWorker(ctx, publisher);
  const reconciler = new Reconciler(ctx, publisher);
  const scheduler = new Scheduler(ctx, publisher, worker, reconciler);
  const requests = new RequestAccess(ctx, publisher, worker);
  const decisions = new Decisions(ctx, publisher, worker);
  const grants = new GrantChanges(ctx, publisher, worker);
  const hygiene = new Hygiene(ctx);
  const freeSlots = new FreeSlots(ctx, publisher, hygiene);

  const handlers: Record<string, (a: IncomingAction) => Promise<ActionResult>> = {
    [APPROVAL_VERBS.requestAccess]: (a) => requests.open(a),
    [APPROVAL_VERBS.submitRequest]: (a) => requests.submit(a),
    [APPROVAL_VERBS.approve]: (a) => decisions.approve(a),
    [APPROVAL_VERBS.deny]: (a) => decisions.denyForm(a),
    [APPROVAL_VERBS.submitDeny]: (a) => decisions.deny(a),
    [APPROVAL_VERBS.narrow]: (a) => decisions.narrowForm(a),
    [APPROVAL_VERBS.submitNarrow]: (a) => decisions.narrow(a),
    [APPROVAL_VERBS.cancel]: (a) => decisions.cancel(a),
    [APPROVAL_VERBS.retry]: (a) => decisions.retry(a),
    [APPROVAL_VERBS.extend]: (a) => grants.extendForm(a),
    [APPROVAL_VERBS.submitExtend]: (a) => grants.extend(a),
    [APPROVAL_VERBS.revoke]: (a) => grants.revokeForm(a),
    [APPROVAL_VERBS.submitRevoke]: (a) => grants.revoke(a),
    [APPROVAL_VERBS.refresh]: (a) => decisions.refresh(a),
    [APPROVAL_VERBS.freeSlots]: (a) => freeSlots.open(a),
  };

  /**
   * Remember where people and channels can be reached later (DMs, notify channels), as a side effect of a click or
   * a message; once per conversation per process, so a burst costs one write. Channels only when policy notifies
   * them or they are audit channels (chatter elsewhere writes nothing). A Teams channel is remembered by its channel id (what policy's
   * notify.channels name), and posted to later as a new thread at the channel's root.
   */
  const notified = new Set([
    ...[deps.policy.defaults, ...deps.policy.registries.map((r) => r.policy)].flatMap((p) =>
      p.notify.channels.map((s) => (s.kind === 'direct' ? '' : channelConversationKey(s.kind, s.id))),
    ),
    ...(deps.alsoRemember ?? []).map((c) => channelConversationKey(c.platform, c.channelId)),
  ]);
  const ifNotified = (key: string): string | null => (notified.has(key) ? key : null);
  const remembered = new Set<string>();
  function remember(a: Pick<IncomingAction, 'conversation' | 'actor'>): void {
    const c = a.conversation;
    const key =
      c.kind === 'personal'
        ? userConversationKey(a.actor.platform === 'cli' ? c.platform : a.actor.platform, a.actor.id)
        : c.kind === 'channel' && c.platform === 'slack'
          ? ifNotified(channelConversationKey('slack', c.conversationId))
          : c.kind === 'channel' && c.platform === 'teams' && c.channelId
            ? ifNotified(channelConversationKey('teams', c.channelId))
            : null;
    if (key === null || !c.conversationId || remembered.has(`${key}|${c.conversationId}`)) return;
    if (remembered.size > 10_000) remembered.clear();
    remembered.add(`${key}|${c.conversationId}`);
    ctx.background('remember conversation', () =>
      deps.store.saveConversation(key, { ...c, threadId: null, messageId: null }),
    );
  }

  /** The name a platform gave someone the bot is working for (a click, an answered message): kept when new. */
  function heard(actor: IncomingAction['actor']): void {
    if (actor.displayName) ctx.background('remember a name', () => ctx.people.heard(actor));
  }

  const extension: ChatExtension = {
    async onAction(action) {
      const handler = handlers[action.verb];
      if (!handler) return null;
      if (action.verb !== APPROVAL_VERBS.refresh) remember(action);
      heard(action.actor);
      return handler(action);
    },
    enrich: (reply) => hygiene.enrich(reply),
    observe(message) {
      remember(message);
    },
    answered(message) {
      heard(message.actor);
    },
    async onCommand(verb, args, message) {
      heard(message.actor);
      if (verb === 'requests') return listRequests(ctx, message);
      if (verb === 'audit') return showAudit(ctx, args, message);
      return null;
    },
  };

  let started = false;
  return {
    extension,
    ci: new CiRequests(ctx, publisher, worker),
    enabled: deps.policy.configured,
    async start() {
      if (started) return;
      started = true;
      await scheduler.start();
    },
    async stop() {
      await scheduler.stop();
      await worker.stop();
      await inFlight.drain(ctx.settings.stopTimeoutMs);
    },
    unreachable: (on) => unreachableApprovers(ctx, on),
    tick: () => scheduler.tick(),
    reconcile: () => reconciler.run(),
    async idle(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await worker.idle(Math.max(1, until - Date.now()));
        if (inFlight.size === 0) {
          // A side effect may have kicked the worker as it finished: look once more.
          await worker.idle(Math.max(1, until - Date.now()));
          if (inFlight.size === 0) return;
        }
        if (Date.now() > until) throw new Error(`approvals still busy after ${timeoutMs} ms`);
        await inFlight.drain(50);
      }
    },
  };
}
