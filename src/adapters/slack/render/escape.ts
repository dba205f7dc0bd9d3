/**
 * Escaping for Slack mrkdwn (https://api.slack.com/reference/surfaces/formatting#escaping).
 *
 * `&`, `<` and `>` are the only control characters: every mention, broadcast (`<!channel>`), channel link and URL
 * needs a raw `<`, so escaping these three in every string that came from a user or from Azure makes injection
 * impossible. Formatting characters (`*`, `_`, `~`, backtick) cannot be escaped in mrkdwn; identifiers are shown in
 * code spans, where only a backtick matters and is replaced by a look-alike (U+02CB) so it cannot close the span.
 */
import { stripInvisible } from '../../../core/text/invisible.js';

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BACKTICK_LOOKALIKE = '\u02cb';

/** Controls other than tab/newline and bidirectional formatting characters: they change what a reader sees. */
function clean(text: string): string {
  return stripInvisible(text);
}

/** Inline code span for an identifier (registry, IP, rule): one line, escaped, never closable from inside. */
export function code(text: string): string {
  const inner = escapeMrkdwn(clean(text).replace(/\s+/g, ' ').trim()).replace(/`/g, BACKTICK_LOOKALIKE);
  return inner === '' ? '`-`' : `\`${inner}\``;
}

/** Fenced block for pasted text: escaped, backticks neutralised so the fence cannot be closed early. */
export function codeBlock(text: string): string {
  return `\`\`\`${escapeMrkdwn(clean(text)).replace(/`/g, BACKTICK_LOOKALIKE)}\`\`\``;
}

/**
 * Text for a `plain_text` object (headers, modal titles, option labels): Slack shows it as is, so `<`/`>` become
 * look-alikes (‹ ›) rather than entities; nothing in it can turn into a mention or a link either way.
 */
export function plainText(text: string): string {
  return clean(text).replace(/</g, '\u2039').replace(/>/g, '\u203a');
}

/** Plain prose from the core or Azure: escaped, control characters removed. */
export function prose(text: string): string {
  return escapeMrkdwn(clean(text));
}

/** An mrkdwn link we build ourselves: only http(s) URLs, label escaped and stripped of the `|` separator. */
export function link(url: string, label: string): string {
  if (!isSafeUrl(url)) return prose(label);
  return `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${prose(label).replace(/\|/g, '¦')}>`;
}

export function isSafeUrl(url: string): boolean {
  return /^https:\/\/[^\s<>|]+$/i.test(url) && url.length <= 3000;
}

export const ELLIPSIS = '…';

/**
 * Cut escaped mrkdwn to at most `max` characters, marking the cut. Never leaves half an entity (`&am`), half a
 * surrogate pair, or an unterminated `<…` link of ours at the end.
 */
export function clip(text: string, max: number, marker = ELLIPSIS): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - marker.length));
  cut = cut.replace(/&[a-z]{0,4}$/i, '');
  const lastOpen = cut.lastIndexOf('<');
  if (lastOpen !== -1 && cut.indexOf('>', lastOpen) === -1) cut = cut.slice(0, lastOpen);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut + marker;
}

/** Cut raw (unescaped) text to `max` characters before it is escaped, e.g. a paste excerpt. */
export function clipRaw(text: string, max: number): { text: string; clipped: boolean } {
  if (text.length <= max) return { text, clipped: false };
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return { text: cut, clipped: true };
}
