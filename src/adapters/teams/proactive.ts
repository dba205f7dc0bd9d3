/**
 * Messages the bot sends outside a turn (the approval flow: "approved", "applied", "expiring", card updates after
 * an asynchronous change): continueConversationAsync with the ConversationReference that conversationOf() put in
 * ConversationRef.platformData. A channel reference keeps `;messageid=` in its conversation id, so posts land in
 * the original thread.
 */
import { CardFactory, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationRef } from '../../app/chat.js';
import type { Reply } from '../../core/reply.js';
import type { TeamsCloudAdapter } from './adapter.js';
import { renderReply } from './cards/render.js';

export interface TeamsMessenger {
  /** Post `reply` as a new card in the conversation (thread); resolves with the new message id. */
  post(conversation: ConversationRef, reply: Reply): Promise<string | null>;
  /** Replace the card of message `messageId` for everyone. */
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
}

function referenceOf(conversation: ConversationRef): Partial<ConversationReference> {
  const ref = conversation.platformData?.conversationReference;
  if (conversation.platform !== 'teams' || !ref || typeof ref !== 'object') {
    throw new Error('not a Teams conversation: platformData.conversationReference is missing');
  }
  return ref as Partial<ConversationReference>;
}

export function createTeamsMessenger(adapter: TeamsCloudAdapter, appId: string | null): TeamsMessenger {
  // In local anonymous mode there is no app id and botbuilder sends without a token.
  const botId = appId ?? '';
  return {
    async post(conversation, reply) {
      let id: string | null = null;
      const reference = referenceOf(conversation);
      await adapter.continueConversationAsync(botId, reference, async (context) => {
        // Not context.sendActivity: it would reply to the continuation's made-up activity id. A new message in the
        // conversation (for a channel: its thread, by the `;messageid=` in the id) is what we want.
        const activity = TurnContext.applyConversationReference(
          { type: 'message', attachments: [CardFactory.adaptiveCard(renderReply(reply))] } as Partial<Activity>,
          { ...reference, activityId: undefined },
        );
        const [sent] = await context.adapter.sendActivities(context, [activity]);
        id = sent?.id ?? null;
      });
      return id;
    },
    async update(conversation, messageId, reply) {
      await adapter.continueConversationAsync(botId, referenceOf(conversation), async (context) => {
        await context.updateActivity({ type: 'message', id: messageId, attachments: [CardFactory.adaptiveCard(renderReply(reply))] });
      });
    },
  };
}
