/**
 * Robustness of the parser (any input, no throw, bounded time), with fast-check.
 *
 * Every property runs the strict parser (no safety net), so a throw anywhere fails the test. Time is bounded by
 * construction (limits.ts, patterns.test.ts) and by the test timeout, never by a timing assertion.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FINDINGS } from '../../../src/core/parse/limits.js';
import { parseFindings, parseFindingsStrict as parse } from '../../../src/core/parse/index.js';
import { expectWellFormed, loadSamples, primary } from './support.js';

const samples = loadSamples();

/** The characters and fragments the parser's patterns and probes care about. */
const FRAGMENTS = [
  'client with IP ',
  'client with',
  'denied: ',
  'DENIED',
  ' is not allowed access',
  "'",
  '"',
  '\\u0027',
  '\\"',
  '\\\\',
  '\\',
  '\\n',
  '\\r\\n',
  '<',
  '>',
  '&',
  '&amp;',
  '&#39;',
  '&amp;#39;',
  '&lt;',
  '&nbsp;',
  '<br>',
  '<br/>',
  '<p>',
  '</p>',
  '<span itemtype="http://schema.skype.com/Mention">',
  '</span>',
  '<at>',
  '</at>',
  '<pre><code>',
  '://',
  'https://',
  'http://',
  'oci://',
  'docker://',
  '.azurecr.io',
  '.azurecr',
  '.data.azurecr.io',
  '.privatelink',
  '-e7ggejfuhzhgedc8',
  'a.azurecr.io/',
  'myreg01',
  '/v2/',
  '/manifests/',
  '/blobs/',
  '/tags/list',
  '/oauth2/token?scope=repository%3A',
  '%3Apull',
  '&service=',
  ':',
  '@',
  '@sha256:',
  'sha256:',
  'ab'.repeat(32),
  '403 Forbidden',
  '401 Unauthorized',
  'unauthorized: ',
  'Response code: 403',
  'no such host',
  'dial tcp: lookup ',
  ' on 168.63.129.16:53',
  'i/o timeout',
  '.blob.core.windows.net',
  'toomanyrequests',
  'manifest unknown',
  ': not found',
  'failed to resolve reference "',
  'requested access to the resource is denied',
  '/providers/Microsoft.ContainerRegistry/registries/',
  'az acr build ',
  '--image ',
  '--registry ',
  '-r ',
  '"Type":"repository"',
  '"Name":"',
  'Name:',
  ' Type:repository',
  'image "',
  'Pulling image ',
  'docker push ',
  'repository [',
  '1.2.3.4',
  '2001:db8::7',
  '[::1]:53',
  '10.0.0.4:443',
  'xx.xx.xx.xx',
  '***',
  '<acr-name>',
  '{registryname}',
  '$Registry',
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  '> ',
  '│ ',
  '# ',
  '##[error]',
  '[command]',
  '2024-01-01T00:00:00.000Z ',
  '15:38:12 ',
  '\x1b[31m',
  '\x1b[0m',
  '[0m',
  '`',
  '```',
  '**',
  '[',
  '](',
  ')',
  '|',
  '<https://',
  '<@U123>',
  '<#C1|x>',
  '<!here>',
  '‘',
  '’',
  '“',
  '”',
  '\u00a0',
  '\u200b',
  'İ',
  '日本語',
  'x',
  '0',
  '…',
  '...',
  '=',
  ',',
  ';',
  '{',
  '}',
  '*',
  '$',
  '%',
];

const fragmentSoup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 120 }).map((parts) => parts.join(''));

function check(text: string): void {
  const findings = parse(text);
  expectWellFormed(findings);
  expect(findings.length).toBeLessThanOrEqual(MAX_FINDINGS);
}

describe('parser robustness (property-based)', () => {
  it('any string: no throw, well-formed findings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => check(s)),
      { numRuns: 300 },
    );
  });

  it('any mix of the fragments the patterns look for: no throw, well-formed, deterministic', () => {
    fc.assert(
      fc.property(fragmentSoup, (s) => {
        check(s);
        expect(parse(s)).toEqual(parse(s));
      }),
      { numRuns: 500 },
    );
  });

  it('any mix of fragments around a real paste keeps it parseable', () => {
    fc.assert(
      fc.property(fragmentSoup, fc.constantFrom(...samples), fragmentSoup, (a, sample, b) =>
        check(`${a}${sample.text}${b}`),
      ),
      { numRuns: 200 },
    );
  });

  it('randomly mangled real pastes (inserted newlines, quote prefixes, HTML tags, stray escapes): no throw', () => {
    const mangle = fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('\n', '\n> ', '<br>', '</p><p>', '\\', '&', '<', '"', "'", '\x1b[1m', '│ ', '\r\n', ' '),
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...samples), mangle, (sample, edits) => {
        let t = sample.text;
        for (const [at, what] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + what + t.slice(i);
        }
        check(t);
      }),
      { numRuns: 400 },
    );
  });

  it('large random inputs take the region path without throwing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...samples), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 400 }),
        (picked, gap) => {
          const noise = `${'2024-01-01T00:00:00Z building module x.ts\n'.repeat(gap)}`;
          const text = `${'npm WARN deprecated y\n'.repeat(13000)}${picked.map((s) => `${s.text}\n${noise}`).join('')}`;
          expect(text.length).toBeGreaterThan(256 * 1024 - 1);
          check(text);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('transport wrappers do not change what is extracted', () => {
  const encode = (s: string): string =>
    s
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&#39;');
  const wrappers: [string, (s: string) => string][] = [
    ['CRLF line ends', (s) => s.replaceAll('\n', '\r\n')],
    [
      'Markdown quote on every line',
      (s) =>
        s
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n'),
    ],
    [
      'Teams HTML (<p>, <br>, entities, a mention)',
      (s) => `<p><at id="0">ACR Access</at> </p><p>${s.split('\n').map(encode).join('<br>')}</p>`,
    ],
    ['Teams code block (<pre><code>)', (s) => `<pre><code>${encode(s)}</code></pre>`],
    [
      'Slack (``` fence, &lt;&gt;&amp;, a mention)',
      (s) => `<@U0G9QF9C6> \`\`\`${s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}\`\`\``,
    ],
    [
      'ANSI colour around each line',
      (s) =>
        s
          .split('\n')
          .map((l) => `\x1b[31m${l}\x1b[0m`)
          .join('\n'),
    ],
    [
      'trailing spaces and blank lines',
      (s) =>
        s
          .split('\n')
          .map((l) => `${l}   `)
          .join('\n\n'),
    ],
  ];

  for (const [name, wrap] of wrappers) {
    it(name, () => {
      for (const s of samples) {
        const plain = parseFindings(s.text);
        const wrapped = parse(wrap(s.text));
        expectWellFormed(wrapped);
        expect({ id: s.id, kind: wrapped[0]?.kind ?? null, ...primary(wrapped) }).toEqual({
          id: s.id,
          kind: plain[0]?.kind ?? null,
          ...primary(plain),
        });
      }
    });
  }
});

describe('adversarial repetitions', () => {
  const REPEATED: [string, number][] = [
    ["client with IP '", 100_000],
    ['a.azurecr.io/', 100_000],
    ['\\u0027', 100_000],
    ['denied: client with', 50_000],
    ['https://', 100_000],
    ['<https://', 100_000],
    ['&amp;', 100_000],
    ['<p>', 100_000],
    ['[a](http://', 50_000],
    ['\\', 500_000],
    ['\n', 500_000],
    [' ', 500_000],
    ['403 Forbidden registry ', 50_000],
    ["Pulling image 'x.azurecr.io/a:b' ", 20_000],
    ['/providers/Microsoft.ContainerRegistry/registries/', 20_000],
    ['"Type":"repository",', 50_000],
    ['\x1b[', 200_000],
  ];
  it.each(REPEATED)('%j × %i: no throw, well-formed, capped', (unit, times) => {
    check(unit.repeat(times));
  });

  it('lines longer than the line cap (9000 × 100 characters, no newline)', () => {
    check(`${'x'.repeat(9000)} `.repeat(100));
    check(`denied: client with IP '203.0.113.1' ${'y'.repeat(20_000)}`);
  });

  it('a denial buried after a wall of near-misses is still found', () => {
    const text = `${"client with IP '".repeat(20_000)}\ndenied: client with IP '203.0.113.7' is not allowed access`;
    const f = parse(text);
    expect(f.some((x) => x.ip === '203.0.113.7')).toBe(true);
  });
});
