/**
 * How cards name people. A name comes, in order, from policy (`name:` next to an approver), from what the record
 * says (the display name the platform sent when the person acted), from the people directory (names the platforms
 * told the bot: Teams activities and roster lookups, Slack profiles), else from the email or the id itself. A
 * display name is text a person chose, so it is made inert like every echoed text: no controls, no bidirectional
 * formatting characters, one line, bounded. Renderers escape markup as they lay it out.
 */
import { cleanName, type ChatPlatform, type NameBook } from './approver-names.js';
import type { Party } from './requests/types.js';

export {
  approverName,
  approverNames,
  cleanName,
  NO_NAMES,
  type ChatPlatform,
  type NameBook,
} from './approver-names.js';

/** One key per person: Teams AAD object ids are case-insensitive GUIDs, Slack user ids are not. */
export function personKey(platform: ChatPlatform, userId: string): string {
  return `${platform}:${platform === 'teams' ? userId.trim().toLowerCase() : userId.trim()}`;
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
