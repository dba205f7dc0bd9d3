/** Properties of the hand-written parsers policy relies on: no throw, linear, and agreeing with a reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, globMatch, MINUTE_MS, parseDuration, DAY_MS } from '../../../src/core/policy/index.js';
import { parseApprover } from '../../../src/core/policy/validate.js';

/** Reference: the glob as an anchored regex (safe here: inputs are tiny and the alphabet is fixed). */
function reference(pattern: string, text: string): boolean {
  const re = new RegExp(`^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('')}$`, 's');
  return re.test(text);
}

describe('properties', () => {
  it('globMatch agrees with an anchored regex', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 10 }),
        (p, t) => {
          expect(globMatch(p, t)).toBe(reference(p, t));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('formatDuration and parseDuration round-trip whole minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: (3650 * DAY_MS) / MINUTE_MS }), (minutes) => {
        expect(parseDuration(formatDuration(minutes * MINUTE_MS))).toBe(minutes * MINUTE_MS);
      }),
    );
  });

  it('parsers never throw on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        parseDuration(s);
        parseApprover(s);
        globMatch(s, s.split('').reverse().join(''));
      }),
      { numRuns: 2000 },
    );
  });
});
