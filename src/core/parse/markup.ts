/**
 * Transport and markup wrappers → plain text (test/fixtures/errors/FORMATS.md §B): Teams HTML, Slack mrkdwn, HTML
 * entities, Markdown links/escapes/code, JSON string escapes, ANSI colour codes and typographic characters.
 *
 * Cost: a step runs only when a cheap indexOf shows it can apply. Constructs that need a callback (tags,
 * entities, links) are found with indexOf on their first character and matched there with a sticky regex, so a
 * CI log pays one indexOf pass per construct, not a regex replace with a callback (slow in V8).
 */
import * as P from './patterns.js';

/** Tag names Teams (and Markdown-to-HTML renderers) use that end a visual line. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'br',
  'pre',
  'blockquote',
  'codeblock',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'tbody',
  'thead',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'html',
  'head',
  'body',
  'title',
  'center',
  'section',
  'article',
]);
/** Inline tags whose text is kept and whose markup goes. Cells become spaces so columns do not glue together. */
const INLINE_TAGS = new Set([
  'span',
  'code',
  'b',
  'i',
  'u',
  's',
  'em',
  'strong',
  'a',
  'font',
  'img',
  'sup',
  'sub',
  'del',
  'ins',
  'mark',
  'small',
  'big',
  'kbd',
  'samp',
  'tt',
  'var',
  'abbr',
  'cite',
  'q',
  'label',
  'strike',
  'emoji',
  'at',
  'meta',
]);
const CELL_TAGS = new Set(['td', 'th']);

const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  sbquo: "'",
  bdquo: '"',
  prime: "'",
  hellip: '...',
  ndash: '-',
  mdash: '-',
  minus: '-',
  colon: ':',
  sol: '/',
  bsol: '\\',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  vert: '|',
  verbar: '|',
  num: '#',
  percnt: '%',
  equals: '=',
  comma: ',',
  period: '.',
  excl: '!',
  quest: '?',
  commat: '@',
  ast: '*',
  grave: '`',
  tab: ' ',
  newline: '\n',
};

/**
 * Replace each match of a sticky pattern that starts at an occurrence of `trigger`. Linear: indexOf finds the
 * candidates, the sticky regex is tried once at each, and the output is assembled from slices.
 */
function replaceAt(text: string, trigger: string, re: RegExp, replace: (m: RegExpExecArray) => string): string {
  let i = text.indexOf(trigger);
  if (i < 0) return text;
  let out = '';
  let last = 0;
  while (i >= 0) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) {
      i = text.indexOf(trigger, i + 1);
      continue;
    }
    out += text.slice(last, i) + replace(m);
    last = i + m[0].length;
    i = text.indexOf(trigger, Math.max(last, i + 1));
  }
  return out + text.slice(last);
}

function decodeEntity(m: RegExpExecArray): string {
  const [whole, dec, hex, name] = m;
  let code = -1;
  if (dec !== undefined) code = Number.parseInt(dec, 10);
  else if (hex !== undefined) code = Number.parseInt(hex, 16);
  else if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  if (code === 0xa0) return ' ';
  if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
  return String.fromCodePoint(code);
}

/** `&amp;#39;` (ot-03) is an entity encoded twice: decode at most twice, never more. */
export function decodeEntities(text: string): string {
  let out = text;
  for (let pass = 0; pass < 2 && out.includes('&'); pass++) {
    const next = replaceAt(out, '&', P.HTML_ENTITY_AT, decodeEntity);
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Does the text look like Teams/Markdown-rendered HTML rather than a plain paste that mentions `<redacted>`? */
export function looksLikeHtml(text: string): boolean {
  return text.includes('<') && P.HTML_HINT.test(text);
}

/**
 * Teams HTML → text: mentions removed (`<at>Bot</at>`, Mention spans), block tags become line breaks (`<p>`,
 * `<div>`, `<br>`, `<pre>`, CodeBlockEditor paragraphs), inline tags vanish, unknown tag-shaped text such as
 * `<redacted>` or `<registryname>` stays. Entities are decoded after the tags are gone, so a user's literal
 * `&lt;acr-name&gt;` becomes `<acr-name>` and is not mistaken for markup.
 */
export function htmlToText(html: string): string {
  let t = html.includes('<at') ? html.replace(P.TEAMS_AT_MENTION, '') : html;
  t = replaceAt(t, '<span', P.HTML_SPAN_AT, (m) =>
    (m[1] ?? '').includes('schema.skype.com/Mention') ? '' : (m[2] ?? ''),
  );
  return replaceTags(t);
}

function isTagNameChar(c: string | undefined, first: boolean): boolean {
  if (c === undefined) return false;
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/**
 * `<name …>` / `</name>` → a line break (block tags), a space (table cells), nothing (inline tags); any other
 * tag-shaped text (`<redacted>`, `<registryname>`) is kept. Scanned by hand at each `<`: a tag name of at most
 * 12 letters and digits, then whitespace, `/` or `>`, then `>` within 1024 characters with no `<` before it.
 */
function replaceTags(text: string): string {
  let i = text.indexOf('<');
  if (i < 0) return text;
  let out = '';
  let last = 0;
  while (i >= 0) {
    let j = i + 1;
    if (text[j] === '/') j++;
    const nameStart = j;
    while (j - nameStart < 12 && isTagNameChar(text[j], j === nameStart)) j++;
    const after = text[j];
    let end = -1;
    if (j > nameStart && (after === '>' || after === '/' || after === ' ' || after === '\t' || after === '\n')) {
      const close = text.indexOf('>', j);
      if (close >= 0 && close - j <= 1024) {
        const lt = text.indexOf('<', j);
        if (lt < 0 || lt > close) end = close + 1;
      }
    }
    if (end < 0) {
      i = text.indexOf('<', i + 1);
      continue;
    }
    const name = text.slice(nameStart, j).toLowerCase();
    const replacement = BLOCK_TAGS.has(name) ? '\n' : CELL_TAGS.has(name) ? ' ' : INLINE_TAGS.has(name) ? '' : null;
    if (replacement !== null) {
      out += text.slice(last, i) + replacement;
      last = end;
    }
    i = text.indexOf('<', end);
  }
  return out + text.slice(last);
}

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

const MARKDOWN_ESCAPABLE = new Set([
  '<',
  '>',
  ':',
  '_',
  '*',
  '[',
  ']',
  '#',
  '(',
  ')',
  '`',
  '!',
  '|',
  '~',
  '.',
  '{',
  '}',
  '+',
  '-',
]);

function hexValue(s: string): number {
  if (s.length !== 4) return -1;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * One pass over the backslashes. JSON string escapes, single or double-escaped: `\u0027` and `\\u0027` → `'`
 * (fw-01, fw-17), `\"` → `"` (App Service `response={"message":"Head \"https://…\""}`, Terraform), literal `\r\n`
 * / `\n` → a line break (ot-01's quoted HTML page), `\t` → a space (Azure ML fields). A single backslash before
 * Markdown punctuation is a Markdown-source escape: `https\://`, `\<container-registry-name>` (fw-13).
 * Anything else (Windows paths, regexes in a log) is left as it is.
 */
export function unescapeText(text: string): string {
  let i = text.indexOf('\\');
  if (i < 0) return text;
  let out = '';
  let last = 0;
  while (i >= 0) {
    let run = 1;
    while (run < 9 && text[i + run] === '\\') run++;
    const next = text[i + run];
    let replacement: string | null = null;
    let consumed = run + 1;
    if (run <= 8 && next !== undefined) {
      if (next === 'u') {
        const code = hexValue(text.slice(i + run + 1, i + run + 5));
        if (code >= 0 && !(code >= 0xd800 && code <= 0xdfff)) {
          replacement = String.fromCharCode(code);
          consumed = run + 5;
        }
      } else if (next === '"' || next === "'") replacement = next;
      else if (next === 'n') replacement = '\n';
      else if (next === 'r') {
        replacement = '\n';
        // `\r\n` written out is one line break.
        let j = i + run + 1;
        let k = 0;
        while (k < 8 && text[j] === '\\') {
          j++;
          k++;
        }
        if (k > 0 && text[j] === 'n') consumed = j + 1 - i;
      } else if (next === 't') replacement = ' ';
      else if (run === 1 && MARKDOWN_ESCAPABLE.has(next)) replacement = next;
    }
    if (replacement !== null) {
      out += text.slice(last, i) + replacement;
      last = i + consumed;
      i = text.indexOf('\\', last);
    } else {
      i = text.indexOf('\\', i + run);
    }
  }
  return out + text.slice(last);
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
