/**
 * One Teams turn: a message goes to ChatHandler.onMessage and its Reply (if any) is posted once, in the message's
 * thread; an `adaptiveCard/action` invoke goes to ChatHandler.onAction and its Reply becomes the invoke response
 * (what the clicking user sees at once) and, for `update` delivery, an updateActivity of the card's message (what
 * everyone sees). `private` and `form` results are the invoke response alone. Universal Actions refreshes
 * (`refresh_request`, trigger `automatic`) are actions like any other: the use case answers with the viewer's own
 * view, which only that viewer's client shows.
 *
 * Time budget: Teams waits about 5 s for an invoke, and CloudAdapter answers only when the turn ends. When the
 * handler has not answered within `invokeBudgetMs` (default 3 s), the turn answers an interim "Working on it" card
 * and the handler's result is delivered when it comes (at most `lateResultMs`, default 60 s, later): an `update`
 * (or anything in a 1:1 chat, where the clicker is the only reader) by updateActivity of the card; a private answer
 * in a shared conversation cannot reach one person any more and is logged instead (the use case's own card updates
 * still happen). A slow refresh gets an error answer (the viewer keeps the card everyone sees), never an interim card.
 *
 * Try again on a retryable notice carries the words it answered (`{ text, addressed }`): they are read again with
 * onMessage and the notice is replaced, for everyone, by the new answer.
 */
import { ActivityTypes, CardFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { APPROVAL_VERBS } from '../../core/approval-views.js';
import type { ActionResult, ChatHandler, ConversationRef, IncomingAction } from '../../app/chat.js';
import { InFlight } from '../../app/in-flight.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { addLogContext } from '../../log-context.js';
import { VERBS } from './cards/actions.js';
import { MAX_RETRY_TEXT, type RetryData } from './cards/notice.js';
import type { RenderOptions } from './cards/render.js';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './cards/types.js';
import { actorOf, conversationOf, conversationType, isAddressed, messageText, onceKeyOf } from './incoming.js';
import type { LastSeen, TeamsMessenger } from './proactive.js';
import { rosterScope, TeamsRoster } from './roster.js';
import { forEveryone, renderFor, ROSTER_BUDGET_MS, type CardTarget } from './views.js';

/** Verbs are short identifiers (`show_rules`, `request_access`, …); anything else is refused before the handler. */
const VERB = /^[a-z][a-z0-9_]{0,63}$/;
/** Largest message the bot reads (Teams caps messages near 28 KB; HTML can be larger). */
const MAX_TEXT = 256 * 1024;

export interface TeamsBotOptions {
  roster?: TeamsRoster;
  /** Card updates outside the turn, for results that come after the invoke was answered. */
  messenger?: TeamsMessenger;
  /** How long an invoke waits for the handler before answering with an interim card. */
  invokeBudgetMs?: number;
  /** How long a late result is still delivered. */
  lateResultMs?: number;
}

const WORKING: Reply = {
  type: 'notice',
  tone: 'info',
  title: 'Working on it…',
  text: 'This is taking longer than usual. The card updates when it is done; if it does not, try again in a minute.',
};

const BUSY_REFRESH = 'The bot is busy; this card shows what everyone sees until it answers.';

/** Everything before an invoke's answer (handler, roster lookups, the update for everyone) should fit in this. */
const INVOKE_DEADLINE_MS = 4000;
/** Roster lookups always get at least this long (cached ids need none). */
const MIN_ROSTER_MS = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class TeamsBot {
  readonly roster: TeamsRoster;
  private readonly invokeBudgetMs: number;
  private readonly lateResultMs: number;
  private messenger: TeamsMessenger | null;
  private seen: LastSeen | null = null;
  private readonly late = new InFlight();

  constructor(
    private readonly chat: ChatHandler,
    private readonly logger: Logger,
    options: TeamsBotOptions = {},
  ) {
    this.roster = options.roster ?? new TeamsRoster({ logger });
    this.messenger = options.messenger ?? null;
    this.invokeBudgetMs = options.invokeBudgetMs ?? 3000;
    this.lateResultMs = options.lateResultMs ?? 60_000;
  }

  /** Set after construction (the messenger needs lastSeen from this bot). */
  attachMessenger(messenger: TeamsMessenger): void {
    this.messenger = messenger;
  }

  /** Where the last authenticated activity came from (service URL, tenant, bot account): the DM fallback. */
  lastSeen(): LastSeen | null {
    return this.seen;
  }

  /** Wait (bounded) for results still being delivered after their invoke was answered. */
  async drain(timeoutMs = 10_000): Promise<void> {
    await this.late.drain(timeoutMs);
  }

  async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // Every line logged during this turn (here, in the use cases, in the Azure adapter) carries these ids.
    addLogContext({
      platform: 'teams',
      activityType: activity.type ?? null,
      activityId: activity.id ?? null,
      conversationType: conversationType(activity),
    });
    this.remember(activity);
    if (activity.type === ActivityTypes.Message) return this.onMessage(context);
    if (activity.type === ActivityTypes.Invoke) return this.onInvoke(context);
    // conversationUpdate, installationUpdate, messageReaction, typing, …: nothing to say.
  }

  /** Teams vouched for this activity (it passed authentication): learn its sender's ids and where it came from. */
  private remember(activity: Activity): void {
    if (activity.from?.id !== activity.recipient?.id) this.roster.learn(activity.from);
    // Members joining a conversation the bot is in (Teams sends their AAD object ids with conversationUpdate).
    for (const m of activity.membersAdded ?? []) if (m.id !== activity.recipient?.id) this.roster.learn(m);
    if (activity.serviceUrl) {
      const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string } };
      const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId ?? null;
      const before = this.seen;
      const other =
        before !== null &&
        (before.serviceUrl !== activity.serviceUrl ||
          (tenantId !== null && before.tenantId !== null && before.tenantId !== tenantId));
      this.seen = {
        serviceUrl: activity.serviceUrl,
        tenantId: tenantId ?? before?.tenantId ?? null,
        bot: activity.recipient ?? before?.bot ?? null,
        ambiguous: (before?.ambiguous ?? false) || other,
      };
    }
  }

  private target(activity: Activity, conversation: ConversationRef): CardTarget {
    return {
      kind: conversation.kind,
      scope: rosterScope(conversation.conversationId, conversation.teamId),
      personalUserId: conversation.kind === 'personal' ? (activity.from?.id ?? null) : null,
    };
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.from?.id && activity.from.id === activity.recipient?.id) return; // our own message
    const text = messageText(activity);
    if (text === '' || text.length > MAX_TEXT) return;
    const addressed = isAddressed(activity);
    const conversation = conversationOf(activity);
    const onceKey = onceKeyOf(activity);
    let reply: Reply | null;
    try {
      // The chat service claims the message (once across redeliveries and instances) only when it answers it.
      reply = await this.chat.onMessage({
        text,
        addressed,
        actor: actorOf(activity.from),
        conversation,
        ...(onceKey ? { onceKey } : {}),
      });
    } catch (err) {
      this.log(activity).error({ err }, 'chat handler failed on a message');
      if (!addressed) return; // chatter in a channel: do not post errors about messages nobody addressed to us
      reply = {
        type: 'notice',
        tone: 'error',
        title: 'Something went wrong',
        text: 'The bot could not handle this message. Its log has the details; try again in a minute.',
        retryable: true,
      };
    }
    if (reply === null) return;
    const card = await renderFor(reply, context, this.target(activity, conversation), this.roster, {
      retry: { text, addressed },
    });
    // sendActivity applies the incoming conversation (incl. `;messageid=` in channels) and replyToId: same thread.
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
  }

  private async onInvoke(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const response =
      activity.name === 'adaptiveCard/action'
        ? await this.onCardAction(context)
        : invokeError(501, 'NotImplemented', 'This invoke is not supported.');
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
  }

  private async onCardAction(context: TurnContext): Promise<InvokeResponse> {
    const activity = context.activity;
    const value = activity.value as
      | { action?: { type?: unknown; verb?: unknown; data?: unknown }; trigger?: unknown }
      | undefined;
    const action = value?.action;
    if (action?.type !== 'Action.Execute') return invokeError(400, 'NotSupported', 'Only Action.Execute is supported.');
    if (typeof action.verb !== 'string' || !VERB.test(action.verb))
      return invokeError(400, 'BadRequest', 'Unknown action.');
    const verb = action.verb;
    // Teams merges the card's input values into `data` under the input ids (as strings).
    const data = isRecord(action.data) ? action.data : {};
    const conversation = conversationOf(activity);
    const incoming: IncomingAction = { verb, data, actor: actorOf(activity.from), conversation };
    const isRefresh = verb === APPROVAL_VERBS.refresh;
    const retry = verb === VERBS.retry ? retryData(data) : null;
    const started = Date.now();
    // Roster lookups share what is left of the invoke's time (they never block a card for long: see views.ts).
    const rosterBudget = (): number =>
      Math.max(MIN_ROSTER_MS, Math.min(ROSTER_BUDGET_MS, INVOKE_DEADLINE_MS - (Date.now() - started)));

    const work = (retry ? this.retryMessage(incoming, retry) : this.chat.onAction(incoming)).then(
      (result) => ({ ok: true as const, result }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      work,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.invokeBudgetMs))),
    ]);
    clearTimeout(timer);

    if (outcome === null) {
      this.log(activity).warn(
        { verb, budgetMs: this.invokeBudgetMs, trigger: value?.trigger ?? null },
        'card action slower than the invoke budget: answered with an interim card',
      );
      if (isRefresh) return invokeError(503, 'Busy', BUSY_REFRESH);
      this.deliverLate(activity, conversation, verb, work);
      return cardResponse(
        await renderFor(WORKING, context, this.target(activity, conversation), this.roster, {}, rosterBudget()),
      );
    }
    if (!outcome.ok) {
      this.log(activity).error({ err: outcome.err, verb }, 'chat handler failed on a card action');
      return invokeError(500, 'InternalError', 'The bot could not handle this action; try again in a minute.');
    }
    const result = outcome.result;
    if (result === null) return invokeError(400, 'NotSupported', 'Unknown action.');

    const target = this.target(activity, conversation);
    const extra: RenderOptions = retry ? { retry } : {};
    const card = await renderFor(result.reply, context, target, this.roster, extra, rosterBudget());
    // `private` and `form` stay with the person who clicked: the invoke response reaches only them.
    if (result.delivery === 'update' && activity.replyToId) {
      // The invoke response reaches only the user who clicked; update the message itself for everyone.
      const shared = forEveryone(result.reply, target);
      const everyone =
        shared === result.reply ? card : await renderFor(shared, context, target, this.roster, extra, rosterBudget());
      try {
        await context.updateActivity({
          type: ActivityTypes.Message,
          id: activity.replyToId,
          attachments: [CardFactory.adaptiveCard(everyone)],
        });
      } catch (err) {
        this.log(activity).warn({ err, verb }, 'could not update the card for everyone');
      }
    }
    return cardResponse(card);
  }

  /** Try again with the words of a retryable notice: read them again; the answer replaces the notice for everyone. */
  private async retryMessage(action: IncomingAction, retry: RetryData): Promise<ActionResult | null> {
    const reply = await this.chat.onMessage({
      text: retry.text,
      addressed: retry.addressed,
      actor: action.actor,
      conversation: action.conversation,
    });
    return {
      reply: reply ?? {
        type: 'notice',
        tone: 'info',
        title: 'Nothing to explain',
        text: 'Read again, that message holds no registry error the bot recognises.',
      },
      delivery: 'update',
    };
  }

  /** A result that came after the interim answer: update the card when everyone (or only the clicker) may see it. */
  private deliverLate(
    activity: Activity,
    conversation: ConversationRef,
    verb: string,
    work: Promise<{ ok: true; result: ActionResult | null } | { ok: false; err: unknown }>,
  ): void {
    const log = this.log(activity);
    const cardId = activity.replyToId;
    let timer: NodeJS.Timeout | undefined;
    const late = Promise.race([
      work,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.lateResultMs))),
    ])
      .then(async (outcome) => {
        clearTimeout(timer);
        if (outcome === null)
          return log.error(
            { verb, lateResultMs: this.lateResultMs },
            'card action never finished; its result will not be shown',
          );
        if (!outcome.ok)
          return log.error(
            { err: outcome.err, verb },
            'chat handler failed on a card action (after the interim answer)',
          );
        const result = outcome.result;
        if (result === null || !cardId || !this.messenger)
          return log.warn({ verb }, 'late card action result not delivered: nothing to update');
        const onlyClicker = conversation.kind === 'personal';
        if (result.delivery !== 'update' && !onlyClicker) {
          return log.warn(
            { verb, delivery: result.delivery },
            'late private answer not delivered: an invoke answer is the only private channel, and it was already given',
          );
        }
        await this.messenger.update(
          conversation,
          cardId,
          onlyClicker ? result.reply : forEveryone(result.reply, this.target(activity, conversation)),
        );
      })
      .catch((err: unknown) => log.error({ err, verb }, 'could not deliver a late card action result'));
    void this.late.track(late);
  }

  private log(activity: Activity): Logger {
    return this.logger.child({
      platform: 'teams',
      activityId: activity.id,
      conversationType: conversationType(activity),
    });
  }
}

/** `{ text, addressed }` from a Try again button, or null for an older card's empty data (the handler answers those). */
function retryData(data: Record<string, unknown>): RetryData | null {
  if (typeof data.text !== 'string' || data.text.trim() === '' || data.text.length > MAX_RETRY_TEXT) return null;
  return { text: data.text, addressed: data.addressed === true };
}

export function cardResponse(card: AdaptiveCard): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } };
}

export function invokeError(status: number, code: string, message: string): InvokeResponse {
  return { status, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } } };
}
