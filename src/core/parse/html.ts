/**
 * Teams HTML → text (test/fixtures/errors/FORMATS.md §B): mentions removed, block tags become line breaks, table
 * cells spaces, inline tags vanish, and tag-shaped text that is no HTML tag (`<redacted>`) stays.
 */
import * as P from './patterns.js';
import { replaceAt } from './replace-at.js';

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
