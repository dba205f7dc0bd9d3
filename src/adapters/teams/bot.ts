/**
 * One Teams turn: a message goes to ChatHandler.onMessage and its Reply (if any) is posted once, in the message's
 * thread; an `adaptiveCard/action` invoke goes to ChatHandler.onAction and its Reply becomes the invoke response
 * (what the clicking user sees at once) and, for `update` delivery, an updateActivity of the card's message (what
 * everyone sees).
 */
import { ActivityTypes, CardFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { ActionResult, ChatHandler } from '../../app/chat.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { renderReply } from './cards/render.js';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './cards/types.js';
import { RecentIds } from './dedupe.js';
import { actorOf, conversationOf, conversationType, isAddressed, messageText } from './incoming.js';

/** Verbs are short identifiers (`show_rules`, `request_access`, …); anything else is refused before the handler. */
const VERB = /^[a-z][a-z0-9_]{0,63}$/;
/** Largest message the bot reads (Teams caps messages near 28 KB; HTML can be larger). */
const MAX_TEXT = 256 * 1024;

export class TeamsBot {
  private readonly recent: RecentIds;

  constructor(
    private readonly chat: ChatHandler,
    private readonly logger: Logger,
    options: { recent?: RecentIds } = {},
  ) {
    this.recent = options.recent ?? new RecentIds();
  }

  async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type === ActivityTypes.Message) return this.onMessage(context);
    if (activity.type === ActivityTypes.Invoke) return this.onInvoke(context);
    // conversationUpdate, installationUpdate, messageReaction, typing, …: nothing to say.
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.from?.id && activity.from.id === activity.recipient?.id) return; // our own message
    const text = messageText(activity);
    if (text === '' || text.length > MAX_TEXT) return;
    const key = `${activity.conversation?.id ?? ''}|${activity.id ?? ''}`;
    if (activity.id && !this.recent.claim(key)) {
      this.log(activity).debug('redelivered message ignored');
      return;
    }
    const addressed = isAddressed(activity);
    let reply: Reply | null;
    try {
      reply = await this.chat.onMessage({ text, addressed, actor: actorOf(activity.from), conversation: conversationOf(activity) });
    } catch (err) {
      if (activity.id) this.recent.release(key);
      this.log(activity).error({ err }, 'chat handler failed on a message');
      if (!addressed) return; // chatter in a channel: do not post errors about messages nobody addressed to us
      reply = { type: 'notice', tone: 'error', title: 'Something went wrong', text: 'The bot could not handle this message. Its log has the details; try again in a minute.', retryable: false };
    }
    if (reply === null) return;
    // sendActivity applies the incoming conversation (incl. `;messageid=` in channels) and replyToId: same thread.
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(renderReply(reply))] });
  }

  private async onInvoke(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const response = activity.name === 'adaptiveCard/action' ? await this.onCardAction(context) : invokeError(501, 'NotImplemented', 'This invoke is not supported.');
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
  }

  private async onCardAction(context: TurnContext): Promise<InvokeResponse> {
    const activity = context.activity;
    const value = activity.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined;
    const action = value?.action;
    if (!action || action.type !== 'Action.Execute') return invokeError(400, 'NotSupported', 'Only Action.Execute is supported.');
    if (typeof action.verb !== 'string' || !VERB.test(action.verb)) return invokeError(400, 'BadRequest', 'Unknown action.');
    const data = action.data !== null && typeof action.data === 'object' && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};

    let result: ActionResult | null;
    try {
      result = await this.chat.onAction({ verb: action.verb, data, actor: actorOf(activity.from), conversation: conversationOf(activity) });
    } catch (err) {
      this.log(activity).error({ err, verb: action.verb }, 'chat handler failed on a card action');
      return invokeError(500, 'InternalError', 'The bot could not handle this action; try again in a minute.');
    }
    if (result === null) return invokeError(400, 'NotSupported', 'Unknown action.');

    const card = renderReply(result.reply);
    // `private` and `form` stay with the person who clicked: the invoke response reaches only them.
    if (result.delivery === 'update' && activity.replyToId) {
      // The invoke response reaches only the user who clicked; update the message itself for everyone.
      try {
        await context.updateActivity({
          type: ActivityTypes.Message,
          id: activity.replyToId,
          attachments: [CardFactory.adaptiveCard(card)],
        });
      } catch (err) {
        this.log(activity).warn({ err, verb: action.verb }, 'could not update the card for everyone');
      }
    }
    return cardResponse(card);
  }

  private log(activity: Activity): Logger {
    return this.logger.child({
      platform: 'teams',
      activityId: activity.id,
      conversationType: conversationType(activity),
    });
  }
}

export function cardResponse(card: AdaptiveCard): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } };
}

export function invokeError(status: number, code: string, message: string): InvokeResponse {
  return { status, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } } };
}
