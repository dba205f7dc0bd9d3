import { hasInvisible } from '../../src/core/text/invisible.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { md, safeUrl, verbatim } from '../../src/adapters/teams/cards/escape.js';

describe('Teams card text neutralising', () => {
  it('replaces every Markdown/link/mention starter in Markdown contexts', () => {
    const out = md('**a** _b_ [c](https://x) <https://y> <at>Z</at> `code` ~~s~~ a|b \\ &amp;');
    for (const ch of ['*', '[', ']', '<', '>', '`', '~', '|', '\\', '&']) expect(out).not.toContain(ch);
    expect(out).not.toMatch(/(^|\W)_|_(\W|$)/);
    expect(out).toContain('https://x'); // words stay readable
  });

  it('keeps values people copy intact: IPs, CIDRs, resource names with inner underscores', () => {
    expect(md('203.0.113.7')).toBe('203.0.113.7');
    expect(md('10.0.0.0/24')).toBe('10.0.0.0/24');
    expect(md('pe_contoso_prod-1')).toBe('pe_contoso_prod-1');
    expect(md('myreg.azurecr.io')).toBe('myreg.azurecr.io');
  });

  it('defuses list and heading markers at the start and keeps one line', () => {
    expect(md('- item').startsWith('\u200B')).toBe(true);
    expect(md('1. item').startsWith('\u200B')).toBe(true);
    expect(md('# title').startsWith('\u200B')).toBe(true);
    expect(md('a\nb\r\nc')).toBe('a b c');
  });

  it('truncates without splitting a surrogate pair', () => {
    const s = md('x'.repeat(9) + '😀'.repeat(5), 11);
    expect(s.length).toBeLessThanOrEqual(11);
    expect(s.endsWith('…')).toBe(true);
    expect(() => encodeURIComponent(s)).not.toThrow();
  });

  it('keeps pasted text verbatim apart from mention tags', () => {
    expect(verbatim("denied: client with IP '1.2.3.4'\n  at x <y>")).toBe(
      "denied: client with IP '1.2.3.4'\n  at x <y>",
    );
    expect(verbatim('<at>Bot</at> <AT id="1">x</AT>')).not.toMatch(/<\/?at/i);
  });

  it('drops NUL, other controls and bidirectional overrides in Markdown and verbatim text', () => {
    const evil = 'Eve\u202Egnp.exe\u0000 \u2066x\u2069 \u200F\u001b[31m';
    for (const out of [md(evil), verbatim(evil)]) {
      expect(hasInvisible(out)).toBe(false);
      expect(out).toContain('Evegnp.exe');
    }
    expect(verbatim('line 1\nline 2\t.')).toBe('line 1\nline 2\t.');
  });

  it('only http(s) URLs become links', () => {
    expect(safeUrl('https://aka.ms/acr/firewall')).toBe('https://aka.ms/acr/firewall');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl(null)).toBeNull();
  });
});

describe('md on any input (fast path or not)', () => {
  it('never lets a markup or control character through, and leaves plain text untouched', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            'a',
            'Z',
            '1',
            '.',
            ' ',
            '-',
            '#',
            '*',
            '_',
            '[',
            ']',
            '<',
            '>',
            '`',
            '~',
            '|',
            '\\',
            '&',
            '\n',
            '\t',
            'é',
          ),
          maxLength: 60,
        }),
        (s) => {
          const out = md(s);
          expect(out).not.toMatch(/[*[\]<>`~|\\&\r\n\t\f\v]/);
          if (!/[*_[\]<>`~|\\&\r\n\t\f\v#+-]/.test(s) && !/^\s*\d/.test(s)) expect(out).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
