/**
 * The repository is self-contained: no file points to design notes, research notes or tickets that live outside it,
 * and every pointer into docs/ (`docs/azure.md, "Login servers and clouds"`) names a file and a heading that exist,
 * so a reader who follows one lands on the fact it promises.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && !/^package-lock\.json$|\.(png|jsonl)$/.test(f) && fs.existsSync(path.join(root, f)));
const text = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

/** Citations of material outside the repository (this file names them, so it is left out). */
const OUTSIDE = [
  /\bDESIGN(\.md| §)/,
  /\breference\/(acr|platforms|anchors|perf-baseline)\.md/,
  /\.\.\/shared\/|\/work\/shared|\bshared\/reference\b/,
  /\bperf-baseline\b|\banchors\.md\b/,
  /\bissue \d+\b/i,
];

describe('the repository is self-contained', () => {
  it('cites nothing outside itself', () => {
    const hits: string[] = [];
    for (const f of files) {
      if (f === 'test/unit/self-contained.test.ts') continue;
      text(f)
        .split('\n')
        .forEach((line, i) => {
          if (OUTSIDE.some((re) => re.test(line))) hits.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('every pointer to a docs/ section names a heading that exists', () => {
    const headings = new Map<string, Set<string>>();
    const headingsOf = (doc: string) => {
      if (!headings.has(doc)) {
        const found = fs.existsSync(path.join(root, doc))
          ? [...text(doc).matchAll(/^#{1,4} (.+)$/gm)].map((m) => m[1]!.trim())
          : [];
        headings.set(doc, new Set(found));
      }
      return headings.get(doc)!;
    };
    const broken: string[] = [];
    let pointers = 0;
    for (const f of files) {
      for (const m of text(f).matchAll(/\b(docs\/[\w./-]+\.md)`?,? "([^"\n]+)"/g)) {
        pointers++;
        if (!headingsOf(m[1]!).has(m[2]!)) broken.push(`${f}: ${m[1]} "${m[2]}"`);
      }
      for (const m of text(f).matchAll(/\b(docs\/[\w./-]+\.md)\b/g))
        if (!fs.existsSync(path.join(root, m[1]!))) broken.push(`${f}: ${m[1]} does not exist`);
    }
    expect(pointers).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });
});
