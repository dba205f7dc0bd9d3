/**
 * Messages the bot sends outside a turn (the approval flow: request cards in threads, "approved", "applied",
 * "expiring", card updates after an asynchronous change, DMs): continueConversationAsync with the
 * ConversationReference that conversationOf() put in ConversationRef.platformData. A channel reference keeps
 * `;messageid=` in its conversation id, so posts land in the original thread.
 *
 * DMs (`direct`): the person (AAD object id, `29:` id, or UPN/email) is resolved to a Teams user id in the roster of
 * `via` (the conversation the request came from: its service URL, tenant and team), then a 1:1 chat is opened
 * with createConversationAsync (POST /v3/conversations; Teams returns the existing 1:1 when there is one) and the
 * card posted there. The answer carries a personal ConversationRef with a serialised reference, so the DM can be
 * updated in place later. Null, with a log line, when the person cannot be resolved or reached. Without `via`, only
 * a person whose id the bot already knows (from their own activities, a member joining, an earlier lookup) can be
 * reached, through the service URL and tenant of the last activity, and only while the bot has seen one tenant.
 */
import type { Activity, ChannelAccount, ConversationParameters, ConversationReference } from 'botbuilder';
import type { ConversationRef } from '../../app/chat.js';
import type { Delivered, PersonRef, PlatformMessenger } from '../../app/notifier.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import type { TeamsCloudAdapter } from './adapter.js';
import { rosterScope, type TeamsRoster } from './roster.js';
import { CardFactory, TurnContext } from './sdk.js';
import { renderFor, type CardTarget } from './views.js';

export interface TeamsMessenger extends PlatformMessenger {
  /** Post `reply` as a new card in the conversation (thread); resolves with the new message id. */
  post(conversation: ConversationRef, reply: Reply): Promise<string | null>;
  /** Replace the card of message `messageId` for everyone. */
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  /** Send `reply` to one person in their 1:1 chat with the bot. */
  direct(person: PersonRef, reply: Reply, via: ConversationRef | null): Promise<Delivered | null>;
  /** A person's display name (by AAD object id or UPN): the roster's cache, else a member lookup in `via`. */
  displayName(userId: string, via: ConversationRef | null): Promise<string | null>;
}

/** Where the last authenticated activity came from: the fallback for a DM with no `via` conversation. */
export interface LastSeen {
  serviceUrl: string;
  tenantId: string | null;
  bot: ChannelAccount | null;
  /** More than one tenant (or service URL) has been seen: without `via`, which one a person is in is unknown. */
  ambiguous: boolean;
}

function referenceOf(conversation: ConversationRef): Partial<ConversationReference> {
  const ref = conversation.platformData?.conversationReference;
  if (conversation.platform !== 'teams' || !ref || typeof ref !== 'object') {
    throw new Error('not a Teams conversation: platformData.conversationReference is missing');
  }
  return ref as Partial<ConversationReference>;
}

export function targetOf(conversation: ConversationRef, reference: Partial<ConversationReference>): CardTarget {
  return {
    kind: conversation.kind,
    scope: rosterScope(conversation.conversationId, conversation.teamId),
    personalUserId: conversation.kind === 'personal' ? (reference.user?.id ?? null) : null,
  };
}

function tenantOf(conversation: ConversationRef, reference: Partial<ConversationReference>): string | null {
  const fromData = conversation.platformData?.tenantId;
  if (typeof fromData === 'string' && fromData !== '') return fromData;
  return reference.conversation?.tenantId ?? null;
}

export interface MessengerOptions {
  adapter: TeamsCloudAdapter;
  appId: string | null;
  roster: TeamsRoster;
  logger: Logger;
  lastSeen: () => LastSeen | null;
}

export function createTeamsMessenger(options: MessengerOptions): TeamsMessenger {
  const { adapter, roster, logger } = options;
  // In local anonymous mode there is no app id and botbuilder sends without a token.
  const botId = options.appId ?? '';
  const log = logger.child({ component: 'teams-messenger' });

  async function sendNew(
    context: TurnContext,
    reference: Partial<ConversationReference>,
    reply: Reply,
    target: CardTarget,
  ): Promise<string | null> {
    const card = await renderFor(reply, context, target, roster);
    // Not context.sendActivity: it would reply to the continuation's made-up activity id. A new message in the
    // conversation (for a channel: its thread, by the `;messageid=` in the id) is what we want.
    const { activityId: _replyTo, ...where } = reference;
    const activity = TurnContext.applyConversationReference(
      { type: 'message', attachments: [CardFactory.adaptiveCard(card)] } as Partial<Activity>,
      where,
    );
    const [sent] = await context.adapter.sendActivities(context, [activity]);
    return sent?.id ?? null;
  }

  /** The person's Teams id: given, cached, or looked up in `via`'s roster. */
  async function teamsIdOf(person: PersonRef, via: ConversationRef | null): Promise<string | null> {
    const keys = [person.userId, person.email].filter((k): k is string => typeof k === 'string' && k.trim() !== '');
    const direct = keys.find((k) => k.startsWith('29:'));
    if (direct) return direct;
    for (const k of keys) {
      const hit = roster.cached(k);
      if (hit) return hit.id;
    }
    if (!via || keys.length === 0) return null;
    const reference = referenceOf(via);
    let id: string | null = null;
    await adapter.continueConversationAsync(botId, reference, async (context) => {
      const [found] = await roster.resolveMany(context, rosterScope(via.conversationId, via.teamId), [keys], 3000);
      id = found ?? null;
    });
    return id;
  }

  return {
    async displayName(userId, via) {
      const hit = roster.cached(userId);
      if (hit?.name) return hit.name;
      if (via?.platform !== 'teams' || !via.platformData?.conversationReference) return null;
      const reference = referenceOf(via);
      let name: string | null = null;
      await adapter.continueConversationAsync(botId, reference, async (context) => {
        const member = await roster.resolve(context, rosterScope(via.conversationId, via.teamId), userId);
        name = member?.name ?? null;
      });
      return name;
    },

    async post(conversation, reply) {
      let id: string | null = null;
      let reference = referenceOf(conversation);
      if (conversation.kind === 'channel' && conversation.threadId === null && reference.conversation?.id) {
        // No thread: a new post at the channel's root (a channel reference remembered from any of its threads).
        reference = {
          ...reference,
          conversation: { ...reference.conversation, id: reference.conversation.id.split(';')[0]! },
        };
      }
      await adapter.continueConversationAsync(botId, reference, async (context) => {
        id = await sendNew(context, reference, reply, targetOf(conversation, reference));
      });
      return id;
    },

    async update(conversation, messageId, reply) {
      const reference = referenceOf(conversation);
      await adapter.continueConversationAsync(botId, reference, async (context) => {
        const card = await renderFor(reply, context, targetOf(conversation, reference), roster);
        await context.updateActivity({ type: 'message', id: messageId, attachments: [CardFactory.adaptiveCard(card)] });
      });
    },

    async direct(person, reply, via) {
      if (person.platform !== 'teams') return null;
      const viaTeams = via && via.platform === 'teams' && via.platformData?.conversationReference ? via : null;
      const viaRef = viaTeams ? referenceOf(viaTeams) : null;
      // Without a `via`, the last conversation's service URL and tenant, but only when the bot has seen just one.
      const seen = viaTeams ? null : options.lastSeen();
      if (!viaTeams && seen?.ambiguous) {
        log.warn('cannot DM on Teams without a conversation to go through: the bot serves more than one tenant');
        return null;
      }
      const serviceUrl = viaRef?.serviceUrl ?? seen?.serviceUrl ?? null;
      const tenantId = (viaTeams && viaRef ? tenantOf(viaTeams, viaRef) : null) ?? seen?.tenantId ?? null;
      const bot = viaRef?.bot ?? seen?.bot ?? (options.appId ? { id: `28:${options.appId}`, name: '' } : null);
      if (!serviceUrl || !bot) {
        log.warn(
          { hasVia: Boolean(viaTeams) },
          'cannot DM on Teams: no conversation to learn the service URL from yet',
        );
        return null;
      }
      try {
        const userId = await teamsIdOf(person, viaTeams);
        if (!userId) {
          log.warn(
            { hasVia: Boolean(viaTeams), byId: Boolean(person.userId), byEmail: Boolean(person.email) },
            'cannot DM on Teams: the person is not in the roster the bot can see',
          );
          return null;
        }
        const parameters = {
          isGroup: false,
          bot,
          members: [{ id: userId, name: '' }],
          ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
        } as ConversationParameters;
        let delivered: Delivered | null = null;
        // Audience undefined: botbuilder then uses the configured ToChannelFromBotOAuthScope, as continueConversation does.
        await adapter.createConversationAsync(
          botId,
          'msteams',
          serviceUrl,
          undefined as unknown as string,
          parameters,
          async (context) => {
            const conversationId = context.activity.conversation?.id;
            if (!conversationId) throw new Error('Teams did not return a conversation id for the 1:1 chat');
            const reference: Partial<ConversationReference> = {
              channelId: 'msteams',
              serviceUrl,
              bot,
              user: { id: userId, name: '' },
              conversation: {
                id: conversationId,
                conversationType: 'personal',
                isGroup: false,
                name: '',
                ...(tenantId ? { tenantId } : {}),
              },
            };
            const conversation: ConversationRef = {
              platform: 'teams',
              kind: 'personal',
              conversationId,
              threadId: null,
              messageId: null,
              teamId: null,
              channelId: null,
              platformData: {
                conversationType: 'personal',
                tenantId,
                conversationReference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
              },
            };
            const messageId = await sendNew(context, reference, reply, targetOf(conversation, reference));
            delivered = { conversation: { ...conversation, messageId }, messageId };
          },
        );
        return delivered;
      } catch (err) {
        const status = (err as { statusCode?: unknown } | null)?.statusCode;
        log.warn(
          {
            status: typeof status === 'number' ? status : null,
            err: err instanceof Error ? err.message.slice(0, 200) : String(err),
          },
          'Teams DM failed',
        );
        return null;
      }
    },
  };
}
