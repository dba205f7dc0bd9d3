/**
 * The normalised paste as the recognisers see it: clean lines, their offsets and the text joined with newlines
 * (`flat`, original case, for values). Checks read bounded lower-cased slices (`lower(a, b)`, newlines as spaces
 * so a phrase that a wrap split still matches: `client with` / `IP '…'` in fw-10); offsets are the same in both.
 * Candidates are computed per line on demand and memoised.
 */
import { lineCandidates, type Candidate } from './candidates.js';
import { toLines } from './lines.js';
import { unwrap } from './markup.js';

export interface Doc {
  lines: string[];
  /** Offset of each line in `flat`/`scan`. */
  starts: number[];
  flat: string;
  /** `flat.slice(a, b)` lower-cased (ASCII-safe) with line breaks as spaces; same length as the slice. */
  lower(a: number, b: number): string;
  /** Hints that normalisation removed from the text: a Terraform box, a Teams HTML message. */
  terraform: boolean;
  html: boolean;
  candidates(line: number): Candidate[];
  lineOf(offset: number): number;
  lineEnd(line: number): number;
}

/** ASCII-only lower-casing for the rare text where toLowerCase would change the length. */
function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

function lowerOf(s: string): string {
  const l = s.toLowerCase();
  return (l.length === s.length ? l : asciiLower(s)).replaceAll('\n', ' ');
}

export function buildDoc(input: string): Doc {
  const { text, html } = unwrap(input);
  const { lines, terraform } = toLines(text);
  const starts: number[] = new Array<number>(lines.length);
  let off = 0;
  for (let i = 0; i < lines.length; i++) {
    starts[i] = off;
    off += (lines[i] as string).length + 1;
  }
  const flat = lines.join('\n');
  const memo = new Map<number, Candidate[]>();
  const lineEnd = (i: number): number => (starts[i] ?? flat.length) + (lines[i]?.length ?? 0);
  return {
    lines,
    starts,
    flat,
    lower: (a, b) => lowerOf(flat.slice(Math.max(0, a), Math.max(0, b))),
    terraform,
    html,
    lineEnd,
    lineOf(offset: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    candidates(i: number): Candidate[] {
      let c = memo.get(i);
      if (c === undefined) {
        const s = starts[i];
        c = s === undefined ? [] : lineCandidates(lines[i] as string);
        memo.set(i, c);
      }
      return c;
    },
  };
}
