/**
 * A Teams card click (`adaptiveCard/action` invoke, Action.Execute): the verb goes to ChatHandler.onAction and its
 * Reply becomes the invoke response (what the clicking user sees at once) and, for `update` delivery, an
 * updateActivity of the card's message (what everyone sees). `private` and `form` results are the invoke response
 * alone. Universal Actions refreshes (`refresh_request`, trigger `automatic`) are actions like any other: the use
 * case answers with the viewer's own view, which only that viewer's client shows.
 *
 * Time budget: Teams waits about 5 s for an invoke, and CloudAdapter answers only when the turn ends. When the
 * handler has not answered within `invokeBudgetMs`, the turn answers an interim "Working on it" card and the
 * handler's result is delivered when it comes (at most `lateResultMs` later): an `update` (or anything in a 1:1
 * chat, where the clicker is the only reader) by updateActivity of the card; a private answer in a shared
 * conversation cannot reach one person any more and is logged instead (the use case's own card updates still
 * happen). A slow refresh gets an error answer (the viewer keeps the card everyone sees), never an interim card.
 *
 * Try again on a retryable notice carries the words it answered (`{ text, addressed }`): they are read again with
 * onMessage and the notice is replaced, for everyone, by the new answer.
 */
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { ActivityTypes, CardFactory } from './sdk.js';
import type { ActionResult, ChatHandler, ConversationRef, IncomingAction } from '../../app/chat.js';
import type { InFlight } from '../../app/in-flight.js';
import { APPROVAL_VERBS } from '../../core/approval-views.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { VERBS } from './cards/actions.js';
import { MAX_RETRY_TEXT, type RetryData } from './cards/notice.js';
import type { RenderOptions } from './cards/render.js';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './cards/types.js';
import { actorOf, conversationOf } from './incoming.js';
import type { TeamsMessenger } from './proactive.js';
import type { TeamsRoster } from './roster.js';
import { cardTarget, forEveryone, renderFor, ROSTER_BUDGET_MS } from './views.js';

/** Verbs are short identifiers (`show_rules`, `request_access`, …); anything else is refused before the handler. */
const VERB = /^[a-z][a-z0-9_]{0,63}$/;

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

export interface CardActionDeps {
  chat: ChatHandler;
  roster: TeamsRoster;
  /** Card updates outside the turn (null until attached), for results that come after the invoke was answered. */
  messenger: () => TeamsMessenger | null;
  /** Late deliveries, so a shutdown can wait for them. */
  late: InFlight;
  invokeBudgetMs: number;
  lateResultMs: number;
  log: (activity: Activity) => Logger;
}

export class CardActions {
  constructor(private readonly deps: CardActionDeps) {}

  async handle(context: TurnContext): Promise<InvokeResponse> {
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
    const incoming: IncomingAction = {
      verb,
      data,
      actor: actorOf(activity.from),
      conversation,
      answerReplacesCard: true,
    };
    const isRefresh = verb === APPROVAL_VERBS.refresh;
    const retry = verb === VERBS.retry ? retryData(data) : null;
    const started = Date.now();
    // Roster lookups share what is left of the invoke's time (they never block a card for long: see views.ts).
    const rosterBudget = (): number =>
      Math.max(MIN_ROSTER_MS, Math.min(ROSTER_BUDGET_MS, INVOKE_DEADLINE_MS - (Date.now() - started)));

    const work = (retry ? this.retryMessage(incoming, retry) : this.deps.chat.onAction(incoming)).then(
      (result) => ({ ok: true as const, result }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      work,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.deps.invokeBudgetMs))),
    ]);
    clearTimeout(timer);

    if (outcome === null) {
      this.deps
        .log(activity)
        .warn(
          { verb, budgetMs: this.deps.invokeBudgetMs, trigger: value?.trigger ?? null },
          'card action slower than the invoke budget: answered with an interim card',
        );
      if (isRefresh) return invokeError(503, 'Busy', BUSY_REFRESH);
      this.deliverLate(activity, conversation, verb, work);
      return cardResponse(
        await renderFor(WORKING, context, cardTarget(activity, conversation), this.deps.roster, {}, rosterBudget()),
      );
    }
    if (!outcome.ok) {
      this.deps.log(activity).error({ err: outcome.err, verb }, 'chat handler failed on a card action');
      return invokeError(500, 'InternalError', 'The bot could not handle this action; try again in a minute.');
    }
    const result = outcome.result;
    if (result === null) return invokeError(400, 'NotSupported', 'Unknown action.');

    const target = cardTarget(activity, conversation);
    const extra: RenderOptions = retry ? { retry } : {};
    const card = await renderFor(result.reply, context, target, this.deps.roster, extra, rosterBudget());
    // `private` and `form` stay with the person who clicked: the invoke response reaches only them.
    if (result.delivery === 'update' && activity.replyToId) {
      // The invoke response reaches only the user who clicked; update the message itself for everyone.
      const shared = forEveryone(result.reply, target);
      const everyone =
        shared === result.reply
          ? card
          : await renderFor(shared, context, target, this.deps.roster, extra, rosterBudget());
      try {
        await context.updateActivity({
          type: ActivityTypes.Message,
          id: activity.replyToId,
          attachments: [CardFactory.adaptiveCard(everyone)],
        });
      } catch (err) {
        this.deps.log(activity).warn({ err, verb }, 'could not update the card for everyone');
      }
    }
    return cardResponse(card);
  }

  /** Try again with the words of a retryable notice: read them again; the answer replaces the notice for everyone. */
  private async retryMessage(action: IncomingAction, retry: RetryData): Promise<ActionResult | null> {
    const reply = await this.deps.chat.onMessage({
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
    const log = this.deps.log(activity);
    const cardId = activity.replyToId;
    const messenger = this.deps.messenger();
    let timer: NodeJS.Timeout | undefined;
    const late = Promise.race([
      work,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.deps.lateResultMs))),
    ])
      .then(async (outcome) => {
        clearTimeout(timer);
        if (outcome === null)
          return log.error(
            { verb, lateResultMs: this.deps.lateResultMs },
            'card action never finished; its result will not be shown',
          );
        if (!outcome.ok)
          return log.error(
            { err: outcome.err, verb },
            'chat handler failed on a card action (after the interim answer)',
          );
        const result = outcome.result;
        if (result === null || !cardId || !messenger)
          return log.warn({ verb }, 'late card action result not delivered: nothing to update');
        const onlyClicker = conversation.kind === 'personal';
        if (result.delivery !== 'update' && !onlyClicker) {
          return log.warn(
            { verb, delivery: result.delivery },
            'late private answer not delivered: an invoke answer is the only private channel, and it was already given',
          );
        }
        await messenger.update(
          conversation,
          cardId,
          onlyClicker ? result.reply : forEveryone(result.reply, cardTarget(activity, conversation)),
        );
      })
      .catch((err: unknown) => log.error({ err, verb }, 'could not deliver a late card action result'));
    void this.deps.late.track(late);
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
