/**
 * Parser benchmark (`npx tsx bench/run.ts parse`).
 *
 * - Time per MB of a realistic CI log: the 42 real pastes of test/fixtures/errors interleaved with CI noise lines
 *   (timestamps, npm, docker build, maven, pytest), about one error block per 350 lines.
 * - The same for an error-dense log (a paste every 40 lines) and for adversarial inputs (100k-fold repetitions of
 *   what the patterns look for, a 1 MB line, a megabyte of newlines or entities).
 * - Linear growth: time per MB at 4 and 16 MB against 1 MB. Ratio 1 is linear. Inputs above 256 KB are scanned
 *   once for anchor phrases and only the regions around hits are parsed, at most 128 regions and 400 error sites
 *   per input (src/core/parse/limits.ts): a log with errors throughout then costs less per MB as it grows, and a
 *   log without errors shows the scan alone, which is linear.
 * - Baseline, measured in the same run on the same text: one plain pass, `toLowerCase()` + `split('\n')`.
 * Aim: under 20 ms per MB for the realistic log. Every measuring loop is bounded in runs and in time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFindings } from '../src/core/parse/index.js';
import { result, type BenchResult, type BenchSection } from './types.js';

const MB = 1024 * 1024;
const HERE = path.dirname(fileURLToPath(import.meta.url));

function loadPastes(): string[] {
  const file = path.join(HERE, '..', 'test', 'fixtures', 'errors', 'real-errors.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** Deterministic PRNG (mulberry32) so every run measures the same text. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOISE: ((r: () => number, i: number) => string)[] = [
  (_r, i) =>
    `2024-05-01T10:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z Step ${i % 40}/40 : RUN npm ci --no-audit`,
  (r) =>
    `added ${Math.floor(r() * 2000)} packages, and audited ${Math.floor(r() * 2000)} packages in ${Math.floor(r() * 60)}s`,
  (r) => `npm WARN deprecated inflight@1.0.${Math.floor(r() * 9)}: This module is not supported, and leaks memory.`,
  (r) =>
    ` ---> Running in ${Math.floor(r() * 0xffffffff)
      .toString(16)
      .padStart(8, '0')}${Math.floor(r() * 0xffff).toString(16)}`,
  (_r, i) => `#${i % 30} [build ${i % 5}/7] COPY src/ ./src/`,
  (r) =>
    `#12 ${(r() * 30).toFixed(1)} Collecting requests==2.31.0 (from -r requirements.txt (line ${Math.floor(r() * 40)}))`,
  (_r, i) => `[INFO] Building jar: /home/runner/work/app/app/target/app-1.${i % 20}.0-SNAPSHOT.jar`,
  (_r, i) =>
    `[INFO] Tests run: ${i % 300}, Failures: 0, Errors: 0, Skipped: ${i % 3}, Time elapsed: 0.${i % 900} s - in com.example.ServiceTest`,
  (_r, i) => `tests/test_api.py::test_endpoint_${i % 500} PASSED                                      [ ${i % 100}%]`,
  () => '##[section]Starting: Build and push image',
  (_r, i) => `##[group]Run actions/checkout@v4 (attempt ${i % 3})`,
  (r) =>
    `${Math.floor(r() * 0xffffffffffff)
      .toString(16)
      .padStart(12, '0')}: Pushed`,
  (r) => `Downloading https://registry.npmjs.org/lodash/-/lodash-4.17.${Math.floor(r() * 21)}.tgz`,
  () => '  warning: variable does not need to be mutable --> src/main.rs:42:9',
];

/** A CI log of about `bytes`, with a real paste every `every` noise lines (cycling through the corpus). */
function ciLog(pastes: string[], bytes: number, every: number, seed: number): string {
  const r = prng(seed);
  const parts: string[] = [];
  let size = 0;
  let next = Math.floor(r() * every);
  let p = 0;
  for (let i = 0; size < bytes; i++) {
    const line = (NOISE[Math.floor(r() * NOISE.length)] as (r: () => number, i: number) => string)(r, i);
    parts.push(line);
    size += line.length + 1;
    if (i === next) {
      const paste = pastes[p++ % pastes.length] as string;
      parts.push(paste);
      size += paste.length + 1;
      next = i + Math.max(1, Math.floor(every / 2 + r() * every));
    }
  }
  return parts.join('\n');
}

function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.ceil(bytes / unit.length)));
}

/** Median milliseconds of `fn`, after warm-up runs; at most `maxRuns` runs and about `budgetMs` of measuring. */
function median(fn: () => unknown, maxRuns = 15, budgetMs = 1500): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < 3 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Parse time per MB and the plain-pass baseline per MB, on the same text. */
function perMb(text: string): { parse: number; baseline: number } {
  const mb = text.length / MB;
  // Flatten the rope the generator built (indexOf flattens in place) so that neither side pays for it.
  text.indexOf('\u0000');
  const flat = text;
  const parse = median(() => parseFindings(flat)) / mb;
  const baseline = median(() => flat.toLowerCase().split('\n')) / mb;
  return { parse, baseline };
}

const BASELINE_NOTE = "baseline: toLowerCase() + split('\\n') of the same text";

async function run(): Promise<BenchResult[]> {
  const pastes = loadPastes();
  const rows: BenchResult[] = [];

  const realistic1 = ciLog(pastes, MB, 350, 1);
  const r1 = perMb(realistic1);
  rows.push(
    result(
      'parse realistic CI log, 1 MB (42 pastes in noise)',
      r1.parse,
      'ms/MB',
      r1.baseline,
      `aim < 20 ms/MB; ${BASELINE_NOTE}`,
    ),
  );

  const dense = perMb(ciLog(pastes, MB, 40, 2));
  rows.push(
    result(
      'parse error-dense CI log, 1 MB (a paste every ~40 lines)',
      dense.parse,
      'ms/MB',
      dense.baseline,
      BASELINE_NOTE,
    ),
  );

  const chat = median(() => {
    for (const p of pastes) parseFindings(p);
  });
  const chatBase = median(() => {
    for (const p of pastes) p.toLowerCase().split('\n');
  });
  rows.push(
    result(
      'parse one chat paste (mean over the 42 real pastes)',
      (chat * 1000) / pastes.length,
      'us',
      (chatBase * 1000) / pastes.length,
      BASELINE_NOTE,
    ),
  );

  const adversarial: [string, string][] = [
    ["100k-fold `client with IP '`", repeatTo("client with IP '", MB)],
    ['`a.azurecr.io/` repeated', repeatTo('a.azurecr.io/', MB)],
    ['`\\u0027` repeated', repeatTo('\\u0027', MB)],
    ['`<https://` repeated', repeatTo('<https://', MB)],
    ['`&amp;#39;` repeated', repeatTo('&amp;#39;', MB)],
    ['`<p>` repeated (Teams HTML path)', repeatTo('<p>', 200 * 1024)],
    ['one 1 MB line, no newline', repeatTo('abcdefgh ', MB)],
    ['1 MB of newlines', repeatTo('\n', MB)],
    ['a 401 on every line', repeatTo('Failed to pull image "x1234.azurecr.io/a:1": 401 Unauthorized\n', MB)],
  ];
  for (const [name, text] of adversarial) {
    const m = perMb(text);
    rows.push(result(`parse adversarial: ${name}`, m.parse, 'ms/MB', m.baseline, BASELINE_NOTE));
  }

  // Growth: the same generator at 4 and 16 MB; baseline is the 1 MB figure, so ratio 1.0 means linear.
  for (const size of [4, 16]) {
    const m = perMb(ciLog(pastes, size * MB, 350, 1));
    rows.push(
      result(
        `parse realistic CI log, ${size} MB (growth vs 1 MB)`,
        m.parse,
        'ms/MB',
        r1.parse,
        `baseline: the 1 MB figure; plain pass ${m.baseline.toFixed(1)} ms/MB`,
      ),
    );
  }
  // Pure scanning (no error anywhere): the cost every input pays, at 1 and 16 MB.
  const quiet1 = perMb(ciLog([''], MB, 1_000_000_000, 3)).parse;
  const quiet16 = perMb(ciLog([''], 16 * MB, 1_000_000_000, 3));
  rows.push(
    result(
      'parse CI log without errors, 16 MB (growth vs 1 MB)',
      quiet16.parse,
      'ms/MB',
      quiet1,
      `baseline: the 1 MB figure; plain pass ${quiet16.baseline.toFixed(1)} ms/MB`,
    ),
  );
  const adv1 = perMb(repeatTo("client with IP '", MB)).parse;
  const adv16 = perMb(repeatTo("client with IP '", 16 * MB)).parse;
  rows.push(
    result(
      "parse adversarial `client with IP '`, 16 MB (growth vs 1 MB)",
      adv16,
      'ms/MB',
      adv1,
      'baseline: the 1 MB figure',
    ),
  );
  return rows;
}

export const section: BenchSection = { title: 'Parser: pasted-error extraction (src/core/parse)', run };
