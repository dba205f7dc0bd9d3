/** The one-pass phrase matcher (Aho–Corasick) agrees with a naive search on the case- and newline-folded text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../../src/core/parse/matcher.js';

function naive(phrases: string[], text: string): string[] {
  const folded = text.toLowerCase().replaceAll('\n', ' ');
  const out: string[] = [];
  phrases.forEach((p, i) => {
    for (let at = folded.indexOf(p); at >= 0; at = folded.indexOf(p, at + 1)) out.push(`${at}:${i}`);
  });
  return out.sort();
}

describe('PhraseMatcher', () => {
  it('finds overlapping and nested phrases, folding case and line breaks', () => {
    const m = new PhraseMatcher(['client with ip', 'with ip', 'denied: client with', '403 forbidden']);
    const text = 'DENIED: Client with\nIP x; 403 Forbidden';
    const hits = m.findAll(text, 10).map((h) => `${h.pos}:${h.phrase}`);
    expect(hits.sort()).toEqual(['0:2', '15:1', '8:0', '26:3'].sort());
  });

  it('caps hits per phrase', () => {
    const m = new PhraseMatcher(['ab', 'b']);
    const hits = m.findAll('ab'.repeat(1000), 5);
    expect(hits.filter((h) => h.phrase === 0)).toHaveLength(5);
    expect(hits.filter((h) => h.phrase === 1)).toHaveLength(5);
  });

  it('refuses phrases it could never match (upper case, line feeds, non-ASCII)', () => {
    expect(() => new PhraseMatcher(['Client'])).toThrow();
    expect(() => new PhraseMatcher(['a\nb'])).toThrow();
    expect(() => new PhraseMatcher(['é'])).toThrow();
  });

  it('agrees with indexOf on random phrases and texts', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', ' ', ':', '/');
    const phrase = fc.array(alphabet, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'A', 'B', ' ', '\n', ':', '/', 'é', '日'), { maxLength: 200 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(phrase, { minLength: 1, maxLength: 8 }), text, (phrases, t) => {
        const m = new PhraseMatcher(phrases);
        const got = m
          .findAll(t, Number.MAX_SAFE_INTEGER)
          .map((h) => `${h.pos}:${h.phrase}`)
          .sort();
        expect(got).toEqual(naive(phrases, t));
      }),
      { numRuns: 400 },
    );
  });
});
