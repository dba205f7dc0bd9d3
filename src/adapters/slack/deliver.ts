/**
 * Sending rendered replies: in a thread (chat.postMessage), in place of the bot's own card (chat.update), or privately
 * to one person (chat.postEphemeral, else the interaction's response_url). A message that would break a Block Kit
 * limit is never sent as is: it is logged and replaced by its escaped fallback text, so Slack never answers
 * `invalid_blocks` and the user still gets an answer.
 */
import type { RespondFn, webApi, types } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { blockKitProblems, type SlackMessage } from './render/index.js';

type WebClient = webApi.WebClient;

/** The message, or its text alone (no `blocks` key) when the blocks would be refused. */
function safe(message: SlackMessage, logger: Logger): { text: string; blocks?: types.KnownBlock[] } {
  const problems = blockKitProblems(message);
  if (problems.length > 0) {
    logger.error({ problems: problems.slice(0, 10) }, 'slack message breaks Block Kit limits: sending its text only');
    return { text: message.text.slice(0, 3000) || 'ACR access helper' };
  }
  return { text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] };
}

/** chat.postMessage; resolves with where it landed (a user id as `channel` lands in the app's DM, `D…`). */
export async function postMessage(
  client: WebClient,
  logger: Logger,
  channel: string,
  threadTs: string | null,
  message: SlackMessage,
): Promise<{ channel: string | null; ts: string | null }> {
  const res = await client.chat.postMessage({
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...safe(message, logger),
    unfurl_links: false,
    unfurl_media: false,
  });
  return {
    channel: typeof res.channel === 'string' && res.channel !== '' ? res.channel : null,
    ts: typeof res.ts === 'string' ? res.ts : null,
  };
}

export async function postInThread(
  client: WebClient,
  logger: Logger,
  channel: string,
  threadTs: string | null,
  message: SlackMessage,
): Promise<string | null> {
  return (await postMessage(client, logger, channel, threadTs, message)).ts;
}

export async function replaceMessage(
  client: WebClient,
  logger: Logger,
  channel: string,
  ts: string,
  message: SlackMessage,
): Promise<void> {
  const body = safe(message, logger);
  // chat.update keeps the old blocks unless told otherwise: an empty list clears them for a text-only answer.
  await client.chat.update({ channel, ts, text: body.text, blocks: body.blocks ?? [] });
}

/** Slack's error code of a failed Web API call (`not_in_channel`, `expired_trigger_id`), or null for other failures. */
export function slackErrorCode(err: unknown): string | null {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : null;
}

export async function postPrivately(
  client: WebClient,
  logger: Logger,
  target: {
    channel: string | null;
    user: string;
    threadTs: string | null;
    respond?: RespondFn;
    /** Without a response_url (a modal submission), a direct message from the app is the way left to reach them. */
    directMessageFallback?: boolean;
  },
  message: SlackMessage,
): Promise<void> {
  const body = safe(message, logger);
  if (target.channel) {
    try {
      await client.chat.postEphemeral({
        channel: target.channel,
        user: target.user,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        ...body,
      });
      return;
    } catch (err) {
      // Not in the channel (slash command or shared channel): the interaction's response_url still reaches the user.
      if (!target.respond && !target.directMessageFallback) throw err;
      logger.info(
        { err: err instanceof Error ? err.message : String(err) },
        'chat.postEphemeral failed: answering another way',
      );
    }
  }
  if (target.respond) await target.respond({ response_type: 'ephemeral', replace_original: false, ...body });
  else if (target.directMessageFallback) await postInThread(client, logger, target.user, null, message);
}

export async function respondPrivately(
  respond: RespondFn,
  logger: Logger,
  message: SlackMessage,
  replaceOriginal = false,
): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, ...safe(message, logger) });
}
