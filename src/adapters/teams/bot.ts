/**
 * One Teams turn: a message goes to ChatHandler.onMessage and its Reply (if any) is posted once, in the message's
 * thread; an `adaptiveCard/action` invoke goes to CardActions (card-action.ts). Every authenticated activity teaches
 * the roster its sender and records where it came from (the DM fallback).
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { ChatHandler } from '../../app/chat.js';
import { InFlight } from '../../app/in-flight.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { addLogContext } from '../../log-context.js';
import { fromAllowedOrganisation, OTHER_ORGANISATION, OTHER_ORGANISATION_TEXT } from '../../core/organisation.js';
import { CardActions, cardResponse, invokeError } from './card-action.js';
import { renderReply } from './cards/render.js';
import {
  actorOf,
  conversationOf,
  conversationType,
  isAddressed,
  messageText,
  onceKeyOf,
  tenantsOf,
} from './incoming.js';
import type { LastSeen, TeamsMessenger } from './proactive.js';
import { TeamsRoster } from './roster.js';
import { ActivityTypes, CardFactory } from './sdk.js';
import { cardTarget, renderFor } from './views.js';

/** Largest message the bot reads (Teams caps messages near 28 KB; HTML can be larger). */
const MAX_TEXT = 256 * 1024;

export interface TeamsBotOptions {
  roster?: TeamsRoster;
  /** Card updates outside the turn, for results that come after the invoke was answered. */
  messenger?: TeamsMessenger;
  /** How long an invoke waits for the handler before answering with an interim card (default 3 s). */
  invokeBudgetMs?: number;
  /** How long a late result is still delivered (default 60 s). */
  lateResultMs?: number;
  /** Tenants whose activities are taken (default: any). */
  allowedTenants?: readonly string[] | 'any';
}

export class TeamsBot {
  readonly roster: TeamsRoster;
  private messenger: TeamsMessenger | null;
  private seen: LastSeen | null = null;
  private readonly late = new InFlight();
  private readonly actions: CardActions;
  private readonly allowedTenants: readonly string[] | 'any';

  constructor(
    private readonly chat: ChatHandler,
    private readonly logger: Logger,
    options: TeamsBotOptions = {},
  ) {
    this.roster = options.roster ?? new TeamsRoster({ logger });
    this.messenger = options.messenger ?? null;
    this.allowedTenants = options.allowedTenants ?? 'any';
    this.actions = new CardActions({
      chat,
      roster: this.roster,
      messenger: () => this.messenger,
      late: this.late,
      invokeBudgetMs: options.invokeBudgetMs ?? 3000,
      lateResultMs: options.lateResultMs ?? 60_000,
      log: (activity) => this.log(activity),
    });
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
    if (!fromAllowedOrganisation({ ids: tenantsOf(activity) }, this.allowedTenants)) return this.refuse(context);
    this.remember(activity);
    if (activity.type === ActivityTypes.Message) return this.onMessage(context);
    if (activity.type === ActivityTypes.Invoke) return this.onInvoke(context);
    // conversationUpdate, installationUpdate, messageReaction, typing, …: nothing to say.
  }

  /**
   * An activity from a tenant outside the allow-list: nothing is learnt from it and nothing reaches the use cases. A
   * click is answered with why (the clicker sees it alone); a message gets no answer.
   */
  private async refuse(context: TurnContext): Promise<void> {
    const activity = context.activity;
    this.log(activity).warn(
      { tenants: tenantsOf(activity), activityType: activity.type, name: activity.name ?? null },
      'activity from a tenant outside TEAMS_ALLOWED_TENANTS refused',
    );
    if (activity.type !== ActivityTypes.Invoke) return;
    const value =
      activity.name === 'adaptiveCard/action'
        ? cardResponse(renderReply(OTHER_ORGANISATION))
        : invokeError(403, 'Forbidden', OTHER_ORGANISATION_TEXT);
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
  }

  /** Teams vouched for this activity (it passed authentication): learn its sender's ids and where it came from. */
  private remember(activity: Activity): void {
    if (activity.from?.id !== activity.recipient?.id) this.roster.learn(activity.from);
    // Members joining a conversation the bot is in (Teams sends their AAD object ids with conversationUpdate).
    for (const m of activity.membersAdded ?? []) if (m.id !== activity.recipient?.id) this.roster.learn(m);
    if (activity.serviceUrl) {
      const tenantId = tenantsOf(activity)[0] ?? null;
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
    const card = await renderFor(reply, context, cardTarget(activity, conversation), this.roster, {
      retry: { text, addressed },
    });
    // sendActivity applies the incoming conversation (incl. `;messageid=` in channels) and replyToId: same thread.
    await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
  }

  private async onInvoke(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const response =
      activity.name === 'adaptiveCard/action'
        ? await this.actions.handle(context)
        : invokeError(501, 'NotImplemented', 'This invoke is not supported.');
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
  }

  private log(activity: Activity): Logger {
    return this.logger.child({
      platform: 'teams',
      activityId: activity.id,
      conversationType: conversationType(activity),
    });
  }
}
