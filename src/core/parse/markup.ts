/**
 * Transport and markup wrappers → plain text (test/fixtures/errors/FORMATS.md §B): Teams HTML (html.ts), Slack
 * mrkdwn links, HTML entities (entities.ts), JSON and Markdown escapes (escapes.ts), Markdown links and code, ANSI
 * colour codes and typographic characters. A step runs only when a cheap indexOf shows it can apply.
 */
import { decodeEntities } from './entities.js';
import { unescapeText } from './escapes.js';
import { htmlToText, looksLikeHtml } from './html.js';
import * as P from './patterns.js';
import { replaceAt } from './replace-at.js';

/** Slack `<url|label>` keeps what the user typed (the label); `<url>` and Markdown autolinks keep the URL. */
function unwrapAngleLinks(text: string): string {
  if (!text.includes('<')) return text;
  let t = replaceAt(text, '<', P.ANGLE_LINK_AT, (m) => {
    const label = m[2];
    return label !== undefined && label.trim() !== '' ? label : (m[1] ?? '');
  });
  if (t.includes('<@') || t.includes('<#') || t.includes('<!')) t = t.replace(P.SLACK_SPECIAL, '');
  return t;
}

function stripAnsi(text: string): string {
  let t = text;
  if (t.includes('\x1b')) t = t.replace(P.ANSI_CSI, '').replace(P.ANSI_OSC, '').replace(P.ANSI_OTHER, '');
  if (t.includes('m')) t = t.replace(P.ANSI_RESIDUE, '');
  return t;
}

function typography(text: string): string {
  if (!P.NON_ASCII.test(text)) return text;
  return text
    .replace(P.TYPOGRAPHIC_SINGLE_QUOTE, "'")
    .replace(P.TYPOGRAPHIC_DOUBLE_QUOTE, '"')
    .replace(P.UNICODE_SPACE, ' ')
    .replace(P.INVISIBLE, '')
    .replace(P.UNICODE_LINE_BREAK, '\n')
    .replace(P.DOTTED_CAPITAL_I, 'I');
}

function markdown(text: string): string {
  let t = text;
  if (t.includes('](')) t = t.replace(P.MARKDOWN_LINK, '$1');
  if (t.includes('`')) t = t.replace(P.BACKTICKS, '');
  if (t.includes('**')) t = t.replace(P.BOLD_MARKER, '');
  return t;
}

export interface Unwrapped {
  text: string;
  /** The paste arrived as HTML (Teams). */
  html: boolean;
}

/**
 * All wrapper removal that works on the whole text. Order matters: ANSI first (escape codes split words), then
 * HTML (Teams) and Slack links before entities are decoded, then escapes (a JSON body inside HTML is still
 * escaped), then typography and Markdown.
 */
export function unwrap(raw: string): Unwrapped {
  let t = raw.includes('\r') ? raw.replace(P.CARRIAGE_RETURN, '\n') : raw;
  t = stripAnsi(t);
  const html = looksLikeHtml(t);
  if (html) t = htmlToText(t);
  t = unwrapAngleLinks(t);
  if (t.includes('&')) t = decodeEntities(t);
  // Entities may have produced `<https://…>` (Teams encodes what the user typed).
  t = unwrapAngleLinks(t);
  t = unescapeText(t);
  t = typography(t);
  t = markdown(t);
  t = t.replace(P.HORIZONTAL_SPACE_RUN, ' ');
  return { text: t, html };
}
