/**
 * How cards name people. A name comes, in order, from policy (`name:` next to an approver), from what the record
 * says (the display name the platform sent when the person acted), from the people directory (names the platforms
 * told the bot: Teams activities and roster lookups, Slack profiles), else from the email or the id itself. A
 * display name is text a person chose, so it is made inert like every echoed text: no controls, no bidirectional
 * formatting characters, one line, bounded. Renderers escape markup as they lay it out.
 */
import { describeApprover } from './policy/identity.js';
import type { ApproverEntry } from './policy/types.js';
import type { Party } from './requests/types.js';
import { stripInvisible } from './text/invisible.js';

export type ChatPlatform = 'teams' | 'slack';

/** A display name the bot has learnt for a person, or null when it knows none. */
export type NameBook = (platform: ChatPlatform, userId: string) => string | null;

/** No names known: every person falls back to their email or id. */
export const NO_NAMES: NameBook = () => null;

/** Longest name a card shows. */
export const MAX_NAME = 120;

/** A display name made fit to show and store; null when nothing is left of it. */
export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const t = stripInvisible(raw.slice(0, MAX_NAME * 4))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_NAME)
    .trim();
  return t === '' ? null : t;
}

/** One key per person: Teams AAD object ids are case-insensitive GUIDs, Slack user ids are not. */
export function personKey(platform: ChatPlatform, userId: string): string {
  return `${platform}:${platform === 'teams' ? userId.trim().toLowerCase() : userId.trim()}`;
}

/** An approver for people to read: policy's name, the directory's, else what the entry says. */
export function approverName(e: ApproverEntry, names: NameBook): string {
  if (e.name) return cleanName(e.name) ?? describeApprover(e);
  if (e.kind === 'teams' || e.kind === 'slack') {
    const known = cleanName(names(e.kind, e.value));
    if (known) return known;
  }
  return describeApprover(e);
}

/** A recorded person for people to read: the name on the record, the directory's, the email, else the id. */
export function partyName(p: Party | null, names: NameBook): string {
  if (p === null) return 'the bot';
  const recorded = cleanName(p.displayName);
  if (recorded) return recorded;
  if (p.platform === 'teams' || p.platform === 'slack') {
    const known = cleanName(names(p.platform, p.id));
    if (known) return known;
  }
  return cleanName(p.email) ?? `${p.platform} user ${p.id}`;
}

/** "Carol Diaz, Teams user 6f1c… or group S0PLAT"; `none` when the list is empty. */
export function orList(names: readonly string[], none: string): string {
  if (names.length === 0) return none;
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
