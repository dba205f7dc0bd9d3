/** HTML entities → characters: numeric, hexadecimal and the named ones pastes carry (Teams, Markdown renderers). */
import * as P from './patterns.js';
import { replaceAt } from './replace-at.js';

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
