/**
 * A person's post (`message` / `app_mention` event) to the chat handler, and its reply into the post's thread.
 * Bots and non-post subtypes are ignored; the post goes to the handler with its once-key (channel + ts) and is
 * answered only when the handler returns a Reply. Called by the Bolt listeners (Socket Mode, `app_mention`) and,
 * in HTTP mode, straight from the receiver for `message` events (direct.ts).
 */
import type { webApi } from '@slack/bolt';
import type { ChatHandler, IncomingMessage } from '../../app/chat.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { postInThread } from './deliver.js';
import {
  authorOf,
  conversationOf,
  ignoreReason,
  isAddressed,
  messageText,
  onceKeyOf,
  type BotIdentity,
  type SlackMessageEvent,
} from './incoming.js';
import { renderReply, type RetryValue } from './render/index.js';
import type { SlackActors } from './users.js';

export interface PostContext {
  chat: ChatHandler;
  actors: SlackActors;
  self: BotIdentity & { teamId: string | null };
  logger: Logger;
}

/** Handles one post event; `teamId` is the envelope's `team_id`. Never throws for a failing handler. */
export type PostHandler = (
  event: SlackMessageEvent,
  teamId: string | undefined,
  client: webApi.WebClient,
) => Promise<void>;

export function createPostHandler(ctx: PostContext): PostHandler {
  const { chat, actors, self, logger } = ctx;
  return async (event, teamId, client) => {
    const skip = ignoreReason(event, self);
    if (skip !== null) return;
    const channel = event.channel!;
    const ts = event.ts!;
    const user = event.user!;
    const text = messageText(event, self.userId);
    const addressed = isAddressed(event, self.userId);
    // The chat service claims the post (once across deliveries and instances) and looks its author up only when
    // it has something to answer: chatter costs no store write and no Web API call.
    const message: IncomingMessage = {
      text,
      addressed,
      actor: authorOf(user),
      resolveActor: () => actors.actor(user),
      conversation: conversationOf(event, teamId ?? self.teamId),
      onceKey: onceKeyOf(channel, ts),
    };
    let reply: Reply | null;
    try {
      reply = await chat.onMessage(message);
    } catch (err) {
      logger.error({ err, channel, ts }, 'chat handler failed on a slack message');
      if (!addressed) return;
      reply = {
        type: 'notice',
        tone: 'error',
        title: 'Something went wrong',
        text: 'I could not read that message. The error is logged.',
        retryable: true,
      };
    }
    if (reply === null) return;
    const retry: RetryValue = { text, addressed };
    await postInThread(client, logger, channel, event.thread_ts ?? ts, renderReply(reply, { retry }));
  };
}
