/** Backslash escapes in pastes: JSON string escapes (single or doubled) and Markdown-source escapes. */

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
