/** Tokens of the small KQL subset the emulator's Resource Graph understands (see kql/parser.ts). */

export type Token =
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

export class KqlError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const OPS = ['=~', '!~', '==', '!=', '<=', '>=', '|', '(', ')', ',', '.', '[', ']', '=', '<', '>'];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    const start = i;
    // Strings: '…' or "…" with backslash escapes; @'…' / @"…" verbatim (quote doubled to escape).
    if (c === "'" || c === '"' || (c === '@' && (text[i + 1] === "'" || text[i + 1] === '"'))) {
      const verbatim = c === '@';
      if (verbatim) i += 1;
      const q = text[i]!;
      i += 1;
      let s = '';
      for (;;) {
        if (i >= text.length) throw new KqlError('unterminated string literal', start);
        const ch = text[i]!;
        if (!verbatim && ch === '\\') {
          const n = text[i + 1];
          if (n === undefined) throw new KqlError('unterminated string literal', start);
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        if (ch === q) {
          if (verbatim && text[i + 1] === q) {
            s += q;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        s += ch;
        i += 1;
      }
      out.push({ kind: 'string', value: s, pos: start });
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9.]/.test(text[i]!)) i += 1;
      out.push({ kind: 'number', value: Number(text.slice(start, i)), pos: start });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i += 1;
      let word = text.slice(start, i);
      // `in~` / `!in~` are single operators in KQL.
      if (word === 'in' && text[i] === '~') {
        word = 'in~';
        i += 1;
      }
      out.push(word === 'in~' ? { kind: 'op', value: 'in~', pos: start } : { kind: 'ident', value: word, pos: start });
      continue;
    }
    if (c === '!' && text.startsWith('!in', i) && !/[A-Za-z0-9_]/.test(text[i + 3] ?? '')) {
      const op = text[i + 3] === '~' ? '!in~' : '!in';
      out.push({ kind: 'op', value: op, pos: start });
      i += op.length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new KqlError(`unexpected character '${c}'`, start);
    out.push({ kind: 'op', value: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'end', pos: text.length });
  return out;
}
