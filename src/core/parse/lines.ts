/**
 * Plain text → clean lines. Strips what people and tools put at the start of lines (Markdown `> ` quotes,
 * Terraform `│ ` boxes, shell-comment `# `, CI markers `##[error]`/`[command]`, timestamps, Jenkins `+ `), drops
 * blank lines (fw-21 has one between every table row), re-joins lines that a terminal or web page broke (a
 * fixed-column hard wrap, or a URL cut mid-host such as `https://aka.m` / `s/acr/firewall` in fw-15), and cuts
 * very long lines into bounded pieces.
 */
import { MAX_LINE_CHARS, MAX_LINES_FOR_WRAP_DETECTION } from './limits.js';
import * as P from './patterns.js';

export interface CleanLines {
  lines: string[];
  /** A Terraform diagnostic box (`│ `, `╷`, `╵`) was seen: a tool hint that the stripped lines no longer show. */
  terraform: boolean;
}

const QUOTE_MARKS = new Set(['>', '│', '┃', '║', '|', '╷', '╵']);

function stripPrefixes(line: string, seen: { terraform: boolean }): string {
  let t = line.trimStart();
  for (let i = 0; i < 8 && t.length > 0; i++) {
    const c = t[0] as string;
    if (QUOTE_MARKS.has(c)) {
      if (c === '│' || c === '╷' || c === '╵') seen.terraform = true;
      t = t.slice(1).trimStart();
      continue;
    }
    if ((c === '#' || c === '+') && t[1] === ' ') {
      t = t.slice(2).trimStart();
      continue;
    }
    if (c === '#' || c === ':' || c === '[') {
      const m = P.CI_PREFIX.exec(t);
      if (m) {
        t = t.slice(m[0].length).trimStart();
        continue;
      }
      break;
    }
    if (c >= '0' && c <= '9') {
      const m = P.TIMESTAMP_PREFIX.exec(t);
      if (m) {
        t = t.slice(m[0].length).trimStart();
        continue;
      }
    }
    break;
  }
  t = t.trimEnd();
  const last = t[t.length - 1];
  if (last === '|' || last === '│') t = t.slice(0, -1).trimEnd();
  return t;
}

/**
 * A hard-wrapped block (terminal or e-mail at a fixed column W) shows several lines of exactly W characters and
 * none longer. Such lines continue on the next line with no separator (the wrap can fall inside a word or a
 * URL). Returns W, or 0 when the paste does not look hard-wrapped.
 */
function hardWrapWidth(raw: readonly string[]): number {
  if (raw.length > MAX_LINES_FOR_WRAP_DETECTION || raw.length < 3) return 0;
  const counts = new Map<number, number>();
  let longLines = 0;
  let maxLen = 0;
  for (const l of raw) {
    const n = l.length;
    if (n > maxLen) maxLen = n;
    if (n < 60 || n > 250) continue;
    longLines++;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [n, c] of counts) {
    if (c > bestCount || (c === bestCount && n > best)) {
      best = n;
      bestCount = c;
    }
  }
  if (bestCount < 3 || maxLen > best || bestCount * 2 < longLines) return 0;
  return best;
}

/**
 * Does the line end inside a host name, so that the next line continues it? `https://aka.m` (one-letter label),
 * `https://myreg.azurecr.` (trailing dot), `myreg.azurec` (a cut `azurecr`).
 */
function endsInsideHost(line: string): boolean {
  const sp = line.lastIndexOf(' ');
  const token = line.slice(sp + 1);
  if (token.length < 3 || token.length > 300) return false;
  const scheme = token.indexOf('://');
  const hostStart = scheme >= 0 ? scheme + 3 : 0;
  if (scheme < 0 && !token.includes('.azure')) return false;
  const host = token.slice(hostStart);
  if (host.includes('/') || host.length === 0) return false;
  const last = host[host.length - 1];
  if (last === '.' || last === '-') return true;
  const dot = host.lastIndexOf('.');
  if (dot < 0) return false;
  const label = host.slice(dot + 1).toLowerCase();
  return label.length <= 1 || (label.length < 7 && 'azurecr'.startsWith(label)) || label === 'azurecr';
}

function chunk(line: string, out: string[]): void {
  if (line.length <= MAX_LINE_CHARS) {
    out.push(line);
    return;
  }
  let start = 0;
  while (start < line.length) {
    let end = Math.min(line.length, start + MAX_LINE_CHARS);
    if (end < line.length) {
      // Cut at a separator near the limit so a URL or an image reference is not split in two.
      // Look back at most 512 characters: an unbounded lastIndexOf would rescan the line for every piece.
      const from = Math.max(start + 1, end - 512);
      const window = line.slice(from, end);
      const sp = Math.max(window.lastIndexOf(' '), window.lastIndexOf(','));
      if (sp >= 0) end = from + sp + 1;
    }
    out.push(line.slice(start, end).trim());
    start = end;
  }
}

export function toLines(text: string): CleanLines {
  const raw = text.split('\n');
  const width = hardWrapWidth(raw);
  const seen = { terraform: false };
  const joined: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as string;
    if (r.length === 0 && cur === null) continue;
    const stripped = stripPrefixes(r, seen);
    // A wrap that fell on a space keeps it: `client with ` / `IP '…'` must not become `client withIP`.
    const gap: string = cur !== null && cur.length > 0 && (raw[i - 1]?.endsWith(' ') || r.startsWith(' ')) ? ' ' : '';
    cur = cur === null ? stripped : cur + gap + stripped;
    const wrapsHere = width > 0 && r.length === width && i + 1 < raw.length;
    if (wrapsHere) continue;
    if (cur.length > 0) joined.push(cur);
    cur = null;
  }
  if (cur !== null && cur.length > 0) joined.push(cur);

  const lines: string[] = [];
  for (let i = 0; i < joined.length; i++) {
    let line = joined[i] as string;
    // A URL cut inside its host continues on the next line (fw-15); at most a few joins per line.
    for (let k = 0; k < 4 && i + 1 < joined.length && endsInsideHost(line); k++) {
      i++;
      line += joined[i] as string;
    }
    chunk(line, lines);
  }
  return { lines: lines.filter((l) => l.length > 0), terraform: seen.terraform };
}
