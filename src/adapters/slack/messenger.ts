/**
 * Messages the bot sends outside an event (the approval flow: approval cards, "approved", "applied", "expiring",
 * card updates after an asynchronous change), from a stored ConversationRef. Same shape as the Teams messenger.
 *
 * Direct messages: chat.postMessage with a user id as the channel posts in the app's DM with that person (no
 * `im:write` needed); the response names the DM channel (`D…`), which is what a later chat.update needs. A person
 * known only by email is found with users.lookupByEmail (`users:read.email`). Departed (deleted) users and people
 * Slack cannot find are "not reachable" (null), so nobody is DMed who cannot read it; other failures throw, for the
 * caller to retry.
 */
import type { webApi } from '@slack/bolt';
import type { ConversationRef } from '../../app/chat.js';
import type { Delivered, PersonRef, PlatformMessenger } from '../../app/notifier.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { postInThread, postMessage, replaceMessage, slackErrorCode } from './deliver.js';
import { renderReply } from './render/index.js';
import type { SlackActors } from './users.js';

export interface SlackMessenger extends PlatformMessenger {
  /** Post `reply` in the conversation's thread (or top level when it has none); resolves with the message ts. */
  post(conversation: ConversationRef, reply: Reply): Promise<string | null>;
  /** Replace message `messageId` (a ts of ours) for everyone. */
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  /** Post `reply` in the app's direct message with a user (`U…`/`W…`). */
  postToUser(userId: string, reply: Reply): Promise<string | null>;
  /** DM a person by user id or email; null when Slack does not know them or they cannot be messaged. */
  direct(person: PersonRef, reply: Reply, via: ConversationRef | null): Promise<Delivered | null>;
  /** A user's display name from users.info (cached with the event actors); null when unknown. */
  displayName(userId: string): Promise<string | null>;
}

const USER_ID = /^[UW][A-Z0-9]{2,30}$/;
const EMAIL = /^[^\s@<>]{1,200}@[^\s@<>]{1,200}$/;
/** Slack's answers meaning "this person cannot be messaged" (not a transient failure). */
const UNREACHABLE = new Set([
  'users_not_found',
  'user_not_found',
  'channel_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'account_inactive',
  'invalid_user',
]);

interface SlackUserRecord {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
}

function channelOf(conversation: ConversationRef): string {
  if (conversation.platform !== 'slack' || !conversation.conversationId)
    throw new Error('not a Slack conversation: conversationId is missing');
  return conversation.conversationId;
}

export function createSlackMessenger(
  client: webApi.WebClient,
  logger: Logger,
  names?: Pick<SlackActors, 'displayName'>,
): SlackMessenger {
  /** The user id to DM, or null when there is nobody (unknown, departed, a bot). */
  async function recipient(person: PersonRef): Promise<string | null> {
    let user: SlackUserRecord | undefined;
    try {
      if (person.userId && USER_ID.test(person.userId)) {
        user = (await client.users.info({ user: person.userId })).user as SlackUserRecord | undefined;
      } else if (person.email && EMAIL.test(person.email.trim())) {
        user = (await client.users.lookupByEmail({ email: person.email.trim() })).user as SlackUserRecord | undefined;
      } else {
        return null;
      }
    } catch (err) {
      const code = slackErrorCode(err);
      if (code !== null && UNREACHABLE.has(code)) return null;
      // users.info itself failing (rate limit, missing scope) must not stop a DM to a known id.
      if (person.userId && USER_ID.test(person.userId)) {
        logger.warn(
          { error: code ?? (err instanceof Error ? err.message : String(err)) },
          'slack users.info failed before a DM: sending anyway',
        );
        return person.userId;
      }
      throw err;
    }
    if (!user?.id || user.deleted === true || user.is_bot === true) return null;
    return user.id;
  }

  return {
    async post(conversation, reply) {
      return postInThread(client, logger, channelOf(conversation), conversation.threadId, renderReply(reply));
    },
    async update(conversation, messageId, reply) {
      await replaceMessage(client, logger, channelOf(conversation), messageId, renderReply(reply));
    },
    async postToUser(userId, reply) {
      if (!USER_ID.test(userId)) throw new Error('not a Slack user id');
      return postInThread(client, logger, userId, null, renderReply(reply));
    },
    async direct(person, reply, via) {
      if (person.platform !== 'slack') return null;
      const userId = await recipient(person);
      if (userId === null) {
        logger.info({ byEmail: !person.userId }, 'slack DM not sent: the person is not a reachable Slack user');
        return null;
      }
      let res: { channel: string | null; ts: string | null };
      try {
        res = await postMessage(client, logger, userId, null, renderReply(reply));
      } catch (err) {
        const code = slackErrorCode(err);
        if (code !== null && UNREACHABLE.has(code)) return null;
        throw err;
      }
      const channel = res.channel ?? userId;
      const ts = res.ts;
      return {
        conversation: {
          platform: 'slack',
          kind: 'personal',
          conversationId: channel,
          threadId: null,
          messageId: ts,
          teamId: via?.teamId ?? null,
          channelId: channel,
          platformData: { userId },
        },
        messageId: ts,
      };
    },
    async displayName(userId) {
      return names ? names.displayName(userId) : null;
    },
  };
}
