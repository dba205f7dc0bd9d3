/**
 * Neutralising text that came from a user or from Azure before it goes into a card.
 *
 * Teams renders TextBlock and Fact text as Markdown (bold, italics, lists, links) and turns `<https://x>` and
 * `<at>name</at>` into a link or a mention. Backslash escapes are not portable: some Teams clients show the backslash,
 * others do not (MicrosoftDocs/msteams-docs#5793), so instead of escaping we replace the few characters that start
 * markup with look-alikes that do not. Pasted text (excerpts, commands) goes into TextRun, which the schema renders
 * without Markdown; there only mention tags are broken up. Both drop controls (NUL, escapes) and bidirectional
 * formatting characters, which would make a card show something other than what was typed.
 */
import { hasInvisible, stripInvisible } from '../../../core/text/invisible.js';

/** Markup characters and their inert look-alikes. */
const LOOKALIKE: Record<string, string> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  _: '\uFF3F', // ＿ FULLWIDTH LOW LINE (only at word edges, see below)
  '[': '\uFF3B', // ［
  ']': '\uFF3D', // ］
  '<': '\u2039', // ‹
  '>': '\u203A', // ›
  '`': "'", // code spans: Teams renders none, so a plain quote reads best
  '~': '\u223C', // ∼
  '|': '\u2223', // ∣
  '\\': '\u29F5', // ⧵
  '&': '\uFF06', // ＆ (entities such as &lt; would otherwise be decoded by some renderers)
};

const WORD = /[\p{L}\p{N}]/u;
/** Anything md() would change: a markup character, a control character, or a leading list/heading marker. */
const NEEDS_WORK = /[*_[\]<>`~|\\&\r\n\t\f\v]|^\s*(?:[-+#](?:\s|$)|\d{1,9}[.)](?:\s|$))/;
const ZWSP = '\u200B';
const MAX_INLINE = 500;

/**
 * Text for a Markdown context (TextBlock text, Fact title/value): one line, at most `max` characters, with every
 * markup character replaced. An underscore inside a word (`pe_prod_westeu`) is kept: CommonMark never emphasises it.
 */
export function md(text: string, max = MAX_INLINE): string {
  // Most card text (names, IPs, summaries) has nothing to neutralise: one regex test instead of a per-character walk.
  if (text.length <= max && !NEEDS_WORK.test(text) && !hasInvisible(text)) return text;
  const oneLine = truncate(stripInvisible(text).replace(/[\r\n\t\f\v]+/g, ' '), max);
  let out = '';
  for (let i = 0; i < oneLine.length; i++) {
    const ch = oneLine[i]!;
    if (ch === '_') {
      const before = oneLine[i - 1];
      const after = oneLine[i + 1];
      out += before !== undefined && after !== undefined && WORD.test(before) && WORD.test(after) ? '_' : LOOKALIKE._;
      continue;
    }
    out += LOOKALIKE[ch] ?? ch;
  }
  // A line that starts like a list item or heading ("- x", "1. x", "# x") would be reformatted. The marker needs a
  // space or the end after it, so an IP address ("203.0.113.7") is left alone (an invisible prefix would be copied).
  if (/^\s*(?:[-+#](?:\s|$)|\d{1,9}[.)](?:\s|$))/.test(out)) out = ZWSP + out;
  return out;
}

/**
 * Text for a TextRun (never Markdown): kept verbatim, including line breaks, except that mention tags are broken up
 * so Teams cannot turn pasted `<at>…</at>` into a mention. Long text is cut at `max` characters.
 */
export function verbatim(text: string, max = 1500): string {
  return truncate(stripInvisible(text), max).replace(/<(\/?)(at)\b/gi, `<$1${ZWSP}$2`);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half.
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Only http(s) URLs become Learn more buttons; anything else is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}
