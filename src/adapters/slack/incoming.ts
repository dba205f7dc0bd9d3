/**
 * From a Slack event to the words the chat handler reads. Pure functions over the event JSON, no Web API.
 *
 * Text: a paste in Slack's composer arrives twice, in `text` (mrkdwn with `&amp;`/`&lt;`/`&gt;`, auto-links as
 * `<https://x|x>`, code fenced in ```) and in `blocks` as `rich_text` whose `rich_text_preformatted` elements hold
 * the code exactly as typed. When a preformatted block is present we pass its text (faithfully concatenated); else
 * `text` unchanged, and the shared parser does the unescaping (IncomingMessage contract in app/chat.ts).
 */
import type { ConversationRef } from '../../app/chat.js';
import type { Actor } from '../../core/actor.js';

/** A user post as the message / app_mention events deliver it (the fields we read). */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  bot_profile?: unknown;
  text?: string;
  ts?: string;
  thread_ts?: string;
  team?: string;
  blocks?: unknown;
  hidden?: boolean;
}

/**
 * Message subtypes that are still a person's post (a plain message has none). Everything else (edits, deletes,
 * joins, topic changes, bot_message, …) is ignored: answering an edit would answer the same paste twice.
 */
const USER_POST_SUBTYPES: ReadonlySet<string> = new Set(['file_share', 'thread_broadcast', 'me_message']);

export interface BotIdentity {
  userId: string | null;
  botId: string | null;
}

/** Why an event is not handed to the handler, or null when it is a user post we should read. */
export function ignoreReason(event: SlackMessageEvent, self: BotIdentity): string | null {
  if (event.hidden) return 'hidden';
  if (event.subtype !== undefined && !USER_POST_SUBTYPES.has(event.subtype)) return `subtype ${event.subtype}`;
  if (event.bot_id !== undefined || event.bot_profile !== undefined) return 'bot message';
  if (!event.user) return 'no user';
  if (self.userId !== null && event.user === self.userId) return 'own message';
  if (!event.channel || !event.ts) return 'no channel or ts';
  return null;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** One rich_text leaf as the user saw it. Mentions keep Slack's own `<@U…>` form, which the parser knows. */
function leafText(el: Json): string {
  switch (el.type) {
    case 'text':
      return str(el.text) ?? '';
    case 'link': {
      const label = str(el.text);
      return label !== null && label !== '' ? label : (str(el.url) ?? '');
    }
    case 'user':
      return str(el.user_id) ? `<@${el.user_id as string}>` : '';
    case 'channel':
      return str(el.channel_id) ? `<#${el.channel_id as string}>` : '';
    case 'usergroup':
      return str(el.usergroup_id) ? `<!subteam^${el.usergroup_id as string}>` : '';
    case 'broadcast':
      return str(el.range) ? `<!${el.range as string}>` : '';
    case 'emoji':
      return str(el.name) ? `:${el.name as string}:` : '';
    case 'date':
      return str(el.fallback) ?? '';
    case 'color':
      return str(el.value) ?? '';
    default:
      return str(el.text) ?? '';
  }
}

function elementsText(elements: unknown): string {
  if (!Array.isArray(elements)) return '';
  let out = '';
  for (const el of elements) if (isObj(el)) out += leafText(el);
  return out;
}

/** The text of every `rich_text_preformatted` element, in order, one per line; null when there is none. */
export function preformattedText(blocks: unknown): string | null {
  if (!Array.isArray(blocks)) return null;
  const parts: string[] = [];
  for (const block of blocks) {
    if (!isObj(block) || block.type !== 'rich_text' || !Array.isArray(block.elements)) continue;
    for (const el of block.elements) {
      if (isObj(el) && el.type === 'rich_text_preformatted') parts.push(elementsText(el.elements));
    }
  }
  return parts.length > 0 ? parts.join('\n') : null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `<@UBOT>` or `<@UBOT|name>` in mrkdwn text; built once per bot user id (every post asks twice). */
let mention: { botUserId: string; pattern: RegExp } | null = null;
function mentionPattern(botUserId: string): RegExp {
  if (mention?.botUserId !== botUserId)
    mention = { botUserId, pattern: new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g') };
  mention.pattern.lastIndex = 0; // global: `test` and `replace` start from where the last use left it
  return mention.pattern;
}

export function mentionsBot(text: string, botUserId: string | null): boolean {
  // A mention always starts with `<@`: most posts have none, and need no regular expression.
  return botUserId !== null && text.includes('<@') && mentionPattern(botUserId).test(text);
}

/** The text without the mentions of the bot, so `@acr myreg 1.2.3.4` reads as `myreg 1.2.3.4`. */
export function stripBotMention(text: string, botUserId: string | null): string {
  if (botUserId === null) return text.trim();
  const unmentioned = text.includes('<@') ? text.replace(mentionPattern(botUserId), ' ') : text;
  return unmentioned.replace(/[ \t]{2,}/g, ' ').trim();
}

/** What the handler reads from a user post: preformatted code when present, else the text minus our mention. */
export function messageText(event: SlackMessageEvent, botUserId: string | null): string {
  const code = preformattedText(event.blocks);
  if (code !== null && code.trim() !== '') return code;
  return stripBotMention(event.text ?? '', botUserId);
}

/** DMs, mentions and slash commands may carry commands (`<registry>`, `help`); channel chatter may not. */
export function isAddressed(event: SlackMessageEvent, botUserId: string | null): boolean {
  return event.type === 'app_mention' || event.channel_type === 'im' || mentionsBot(event.text ?? '', botUserId);
}

/**
 * Personal (DM), group (multi-person DM) or channel (public or private). From the event's `channel_type` when Slack
 * gives it; otherwise from the channel id's prefix: `D…` is a DM, `C…`/`G…` are channels (a `G…` id may also be a
 * legacy multi-person DM; treating it as a channel is the stricter reading for policy).
 */
export function slackConversationKind(channelId: string, channelType?: string | null): ConversationRef['kind'] {
  if (channelType === 'im' || channelType === 'directmessage') return 'personal';
  if (channelType === 'mpim') return 'group';
  if (channelType === 'channel' || channelType === 'group' || channelType === 'privategroup') return 'channel';
  return channelId.startsWith('D') ? 'personal' : 'channel';
}

/** The reply goes into the post's thread: its thread_ts when it is a reply, else its own ts. */
export function conversationOf(event: SlackMessageEvent, teamId: string | null): ConversationRef {
  const channel = event.channel ?? '';
  const ts = event.ts ?? null;
  return {
    platform: 'slack',
    kind: slackConversationKind(channel, event.channel_type),
    conversationId: channel,
    threadId: event.thread_ts ?? ts,
    messageId: ts,
    teamId: event.team ?? teamId,
    channelId: channel,
    ...(event.channel_type ? { platformData: { channelType: event.channel_type } } : {}),
  };
}

/**
 * One key per user post across its deliveries: Slack retries an event (same event_id) and sends a post that
 * mentions the bot twice, as `message` and `app_mention` (different event_ids); channel + ts is the same each time.
 */
export function onceKeyOf(channel: string, ts: string): string {
  return `slack:${channel}:${ts}`;
}

/** The author as the event names them; name and email come from users.info, asked only for a post we answer. */
export function authorOf(userId: string): Actor {
  return { platform: 'slack', id: userId, platformUserId: userId, displayName: null, email: null };
}
