/**
 * Messages the bot sends outside an event (the approval flow: approval cards, "approved", "applied", "expiring",
 * card updates after an asynchronous change), from a stored ConversationRef. Same shape as the Teams messenger.
 * A DM to a person needs no extra scope: chat.postMessage to a user id posts in the app's DM with them.
 */
import type { webApi } from '@slack/bolt';
import type { ConversationRef } from '../../app/chat.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { postInThread, replaceMessage } from './deliver.js';
import { renderReply } from './render/index.js';

export interface SlackMessenger {
  /** Post `reply` in the conversation's thread (or top level when it has none); resolves with the message ts. */
  post(conversation: ConversationRef, reply: Reply): Promise<string | null>;
  /** Replace message `messageId` (a ts of ours) for everyone. */
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  /** Post `reply` in the app's direct message with a user (`U…`/`W…`). */
  postToUser(userId: string, reply: Reply): Promise<string | null>;
}

function channelOf(conversation: ConversationRef): string {
  if (conversation.platform !== 'slack' || !conversation.conversationId) throw new Error('not a Slack conversation: conversationId is missing');
  return conversation.conversationId;
}

export function createSlackMessenger(client: webApi.WebClient, logger: Logger): SlackMessenger {
  return {
    async post(conversation, reply) {
      return postInThread(client, logger, channelOf(conversation), conversation.threadId, renderReply(reply));
    },
    async update(conversation, messageId, reply) {
      await replaceMessage(client, logger, channelOf(conversation), messageId, renderReply(reply));
    },
    async postToUser(userId, reply) {
      if (!/^[UW][A-Z0-9]{2,30}$/.test(userId)) throw new Error('not a Slack user id');
      return postInThread(client, logger, userId, null, renderReply(reply));
    },
  };
}
