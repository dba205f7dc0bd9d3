/**
 * Proof that no regex in the parser can backtrack super-linearly.
 *
 * Method: every RegExp exported by src/core/parse/patterns.ts is parsed with regexpp; each quantifier whose maximum
 * is above 1 is relaxed to unbounded (`{0,64}` → `{0,}`), and the relaxed pattern is analysed by `scslre` (the
 * analysis eslint-plugin-regexp uses) for the three causes of super-linear time: two quantifiers trading
 * characters, a quantifier trading with itself, and a moving search re-scanning every suffix. If the relaxed
 * (unbounded) language has none, the bounded original has none either, so each regex costs O(length of the text
 * it runs on). `assumeRejectingSuffix` is on, so the analysis never excuses a pattern by guessing the input.
 * A second check walks the parser's TypeScript sources and fails on any regex that lives outside patterns.ts,
 * so nothing escapes the first check; a third asserts every quantifier is bounded as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import { analyse } from 'scslre';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as patterns from '../../../src/core/parse/patterns.js';

const PARSE_DIR = path.resolve(__dirname, '../../../src/core/parse');

function allPatterns(): [string, RegExp][] {
  return Object.entries(patterns).filter((e): e is [string, RegExp] => e[1] instanceof RegExp);
}

function parse(re: RegExp): AST.RegExpLiteral {
  return new RegExpParser({ ecmaVersion: 2025 }).parseLiteral(`/${re.source}/${re.flags}`);
}

function quantifiers(re: RegExp): AST.Quantifier[] {
  const out: AST.Quantifier[] = [];
  visitRegExpAST(parse(re), { onQuantifierEnter: (q) => void out.push(q) });
  return out;
}

/**
 * Same pattern with every variable quantifier (`{0,64}`, `?` excepted) made unbounded. Fixed counts such as
 * `[0-9]{4}` are plain concatenations and stay, unless large (≥ 16), where they are relaxed too.
 */
function relaxed(re: RegExp): { source: string; flags: string } {
  const lit = `/${re.source}/${re.flags}`;
  const qs = quantifiers(re)
    .filter((q) => (q.max > 1 && q.max > q.min) || q.min >= 16)
    .sort((a, b) => b.end - a.end);
  let out = lit;
  for (const q of qs) {
    const suffixStart = q.element.end;
    const lazy = q.greedy ? '' : '?';
    out = `${out.slice(0, suffixStart)}{${q.min},}${lazy}${out.slice(q.end)}`;
  }
  const lastSlash = out.lastIndexOf('/');
  return { source: out.slice(1, lastSlash), flags: out.slice(lastSlash + 1) };
}

describe('parser regexes', () => {
  const list = allPatterns();

  it('are all collected here (the module exports a good number of them)', () => {
    expect(list.length).toBeGreaterThan(30);
  });

  it.each(list)('%s has only bounded quantifiers', (_name, re) => {
    for (const q of quantifiers(re)) expect(q.max, q.raw).toBeLessThan(Infinity);
  });

  it.each(list)('%s has no super-linear backtracking even with its bounds removed', (_name, re) => {
    const lit = relaxed(re);
    // Sanity: the relaxation really removed the bounds we rely on.
    expect(() => new RegExp(lit.source, lit.flags)).not.toThrow();
    const reports = analyse(lit, { assumeRejectingSuffix: true }).reports.map(
      (r) => `${r.type}${r.exponential ? ' (exponential)' : ''} on ${JSON.stringify(r.character.pick)}`,
    );
    expect(reports, `${lit.source}`).toEqual([]);
  });

  it('the relaxation itself is sound: it turns a known-bad bounded pattern into a reported one', () => {
    const bad = /(?:a{1,64}){1,64}b/;
    expect(analyse(relaxed(bad), { assumeRejectingSuffix: true }).reports.length).toBeGreaterThan(0);
    const badMove = /[a-z]{1,64}\.azurecr/;
    expect(analyse(relaxed(badMove), { assumeRejectingSuffix: true }).reports.length).toBeGreaterThan(0);
  });

  it('no parser source outside patterns.ts constructs or writes a regex', () => {
    const offenders: string[] = [];
    for (const file of fs.readdirSync(PARSE_DIR)) {
      if (!file.endsWith('.ts') || file === 'patterns.ts') continue;
      const text = fs.readFileSync(path.join(PARSE_DIR, file), 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) offenders.push(`${file}: ${node.getText(sf)}`);
        if (
          (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === 'RegExp'
        ) {
          offenders.push(`${file}: ${node.getText(sf)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(offenders).toEqual([]);
  });
});
