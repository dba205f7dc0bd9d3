/**
 * Teams activity → the platform-neutral IncomingMessage / IncomingAction parts: text (the text/html attachment when
 * present, since Teams drops `<…>` from `text`), the bot's own mention removed, whether the bot was addressed, the
 * actor and the conversation reference.
 */
import type { Activity, ChannelAccount, Mention } from 'botbuilder';
import { TurnContext } from './sdk.js';
import type { ConversationRef } from '../../app/chat.js';
import type { Actor } from '../../core/actor.js';

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export function conversationType(activity: Activity): ConversationType {
  const t = activity.conversation?.conversationType;
  if (t === 'channel' || t === 'groupChat') return t;
  // Teams sends 'personal'; other channels (Web Chat, the Emulator) are one-to-one as well.
  return 'personal';
}

function botMentions(activity: Activity): Mention[] {
  const botId = activity.recipient?.id;
  if (!botId) return [];
  return (activity.entities ?? []).filter(
    (e): e is Mention => e.type === 'mention' && (e as Mention).mentioned?.id === botId,
  );
}

/** The bot was @mentioned (a mention entity naming the recipient). Team or channel mentions do not count. */
export function mentionsBot(activity: Activity): boolean {
  return botMentions(activity).length > 0;
}

/** Personal chat, or the bot is @mentioned: commands are allowed. */
export function isAddressed(activity: Activity): boolean {
  return conversationType(activity) === 'personal' || mentionsBot(activity);
}

function htmlAttachment(activity: Activity): string | null {
  for (const a of activity.attachments ?? []) {
    if (a.contentType === 'text/html' && typeof a.content === 'string' && a.content.trim() !== '') return a.content;
  }
  return null;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, n: string) => ENTITY[n] ?? _m);
}

/**
 * Remove the elements whose tag is `tag`, whose opening tag satisfies `accept`, and whose inner text (entities
 * decoded, trimmed) is one of `names`. A linear scan, no backtracking regex over the whole message.
 */
function removeElements(html: string, tag: string, accept: (openTag: string) => boolean, names: Set<string>): string {
  const lower = html.toLowerCase();
  const open = `<${tag}`;
  const close = `</${tag}>`;
  let out = '';
  let from = 0;
  // Next '>' and next closing tag, cached: positions only move forward, so the scan stays linear.
  let gtAt = -2;
  let closeAt = -2;
  for (;;) {
    const start = lower.indexOf(open, from);
    if (start < 0) break;
    const after = lower[start + open.length];
    if (gtAt !== -1 && gtAt < start) gtAt = lower.indexOf('>', start);
    const gt = gtAt;
    if (gt >= 0 && closeAt !== -1 && closeAt < gt) closeAt = lower.indexOf(close, gt);
    const end = gt < 0 ? -1 : closeAt;
    if ((after !== '>' && after !== ' ') || gt < 0 || end < 0) {
      out += html.slice(from, start + open.length);
      from = start + open.length;
      continue;
    }
    const inner = decodeEntities(html.slice(gt + 1, end))
      .trim()
      .toLowerCase();
    if (accept(lower.slice(start, gt + 1)) && names.has(inner) && !inner.includes('<')) {
      out += html.slice(from, start);
      from = end + close.length;
    } else {
      out += html.slice(from, start + open.length);
      from = start + open.length;
    }
  }
  return out + html.slice(from);
}

/**
 * The message text as delivered, minus the bot's own mention: the HTML attachment when present, else `text`.
 * Other mentions and all formatting stay; the parser normalises HTML, entities and `<at>` itself.
 */
export function messageText(activity: Activity): string {
  const mentions = botMentions(activity);
  const names = new Set<string>();
  for (const m of mentions) {
    if (m.mentioned?.name) names.add(m.mentioned.name.trim().toLowerCase());
    if (typeof m.text === 'string')
      names.add(
        m.text
          .replace(/<\/?at[^>]{0,40}>/gi, '')
          .trim()
          .toLowerCase(),
      );
  }
  if (mentions.length > 0 && activity.recipient?.name) names.add(activity.recipient.name.trim().toLowerCase());
  names.delete('');

  const html = htmlAttachment(activity);
  if (html !== null) {
    if (names.size === 0) return html;
    const noAt = removeElements(html, 'at', () => true, names);
    return removeElements(noAt, 'span', (openTag) => openTag.includes('schema.skype.com/mention'), names).trim();
  }
  let text = activity.text ?? '';
  if (names.size > 0) text = removeElements(text, 'at', () => true, names);
  return text.trim();
}

export function actorOf(from: ChannelAccount | undefined): Actor {
  const account = (from ?? {}) as ChannelAccount & { userPrincipalName?: unknown; email?: unknown };
  const upn = [account.userPrincipalName, account.email].find(
    (v): v is string => typeof v === 'string' && v.includes('@'),
  );
  return {
    platform: 'teams',
    // Policy matches AAD object ids; a sender without one keeps its channel id (29:…), which matches no AAD approver.
    id: account.aadObjectId ?? account.id ?? '',
    ...(account.id ? { platformUserId: account.id } : {}),
    displayName: account.name ?? null,
    email: upn ? upn.toLowerCase() : null,
  };
}

/** Channel conversation ids end in `;messageid=<root message id>`: the thread the message belongs to. */
function threadRoot(conversationId: string): string | null {
  const at = conversationId.indexOf(';messageid=');
  return at < 0 ? null : conversationId.slice(at + ';messageid='.length) || null;
}

/**
 * One key per message across redeliveries (Teams retries a turn it thinks failed; with RSC a message that also
 * mentions the bot may arrive once per subscription): the conversation, without a thread suffix, and the activity
 * id. Null for an activity without an id.
 */
export function onceKeyOf(activity: Activity): string | null {
  if (!activity.id) return null;
  const conversationId = activity.conversation?.id ?? '';
  const at = conversationId.indexOf(';messageid=');
  return `teams:${at < 0 ? conversationId : conversationId.slice(0, at)}:${activity.id}`;
}

interface TeamsChannelData {
  team?: { id?: string };
  channel?: { id?: string };
  tenant?: { id?: string };
}

/** Every tenant id the activity names (channelData and conversation), without repeats. */
export function tenantsOf(activity: Activity): string[] {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const ids = [channelData.tenant?.id, activity.conversation?.tenantId].filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
  return [...new Set(ids)];
}

/**
 * Where the activity lives. `messageId` is the message the event is about: the pasted message itself, or for a
 * card action the card's message (`replyToId`). platformData carries the serialised ConversationReference for
 * proactive messages and updateActivity later.
 */
export function conversationOf(activity: Activity): ConversationRef {
  const conversationId = activity.conversation?.id ?? '';
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const type = conversationType(activity);
  const isAction = activity.type === 'invoke';
  return {
    platform: 'teams',
    kind: type === 'groupChat' ? 'group' : type,
    conversationId,
    threadId: type === 'channel' ? (threadRoot(conversationId) ?? activity.id ?? null) : null,
    messageId: (isAction ? activity.replyToId : activity.id) ?? null,
    teamId: channelData.team?.id ?? null,
    channelId: channelData.channel?.id ?? null,
    platformData: {
      conversationType: type,
      tenantId: channelData.tenant?.id ?? activity.conversation?.tenantId ?? null,
      conversationReference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<
        string,
        unknown
      >,
    },
  };
}
