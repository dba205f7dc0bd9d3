/**
 * Field accuracy over every real paste we hold (test/fixtures/errors: real-errors.jsonl and collected.jsonl). The
 * bar is the one a held-out set is judged by: every firewall denial found with its IP (null when redacted), at
 * least 95% of host, repository and tag fields right, and no firewall finding on a look-alike. The figures are in
 * the failure message, so a regression says how far it fell.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFindings } from '../../../src/core/parse/index.js';

interface Paste {
  id: string;
  source: string;
  tool: string | null;
  kinds?: string[];
  kind?: string;
  lookalike?: boolean;
  text: string;
  expect: Record<'loginServer' | 'registryName' | 'ip' | 'repository' | 'reference', string | null>;
}

const DIR = path.resolve(__dirname, '../../fixtures/errors');
const FIELDS = ['loginServer', 'registryName', 'repository', 'reference'] as const;
const FIREWALL = new Set(['firewall_denied', 'registry_forbidden']);

function load(file: string): Paste[] {
  return fs
    .readFileSync(path.join(DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Paste);
}

const all = [...load('real-errors.jsonl'), ...load('collected.jsonl')];
const isDenial = (p: Paste) =>
  (p.kind === 'firewall_ip_denied' && /client with/i.test(p.text)) || (p.kinds?.includes('firewall_denied') ?? false);
const isLookalike = (p: Paste) =>
  p.lookalike === true ||
  (p.kind === 'other' && Object.values(p.expect).every((v) => v === null) && !/azurecr/i.test(p.text));

describe('field accuracy over every collected real paste', () => {
  it('every paste cites a public source', () => {
    for (const p of all) expect(p.source, p.id).toMatch(/^https:\/\/[^\s]+$/);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
  });

  it('finds every firewall denial with its IP, and no firewall finding on a look-alike', () => {
    const missed: string[] = [];
    for (const p of all.filter(isDenial)) {
      const f = parseFindings(p.text).find((x) => x.kind === 'firewall_denied');
      if (!f || f.ip !== p.expect.ip) missed.push(`${p.id}: ${f ? `ip ${f.ip}` : 'no firewall finding'}`);
    }
    const falseHits = all
      .filter(isLookalike)
      .filter((p) => parseFindings(p.text).some((f) => FIREWALL.has(f.kind)))
      .map((p) => p.id);
    expect({ missed, falseHits }).toEqual({ missed: [], falseHits: [] });
  });

  it('gets at least 95% of host, repository and tag fields right, and the kind and tool where the paste says', () => {
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const p of all.filter((x) => !isLookalike(x))) {
      const f = parseFindings(p.text)[0];
      for (const k of FIELDS) {
        total++;
        const got = f ? f[k] : null;
        if (got === p.expect[k]) right++;
        else wrong.push(`${p.id}.${k}: ${String(got)} ≠ ${String(p.expect[k])}`);
      }
      if (p.kinds && p.kinds.length > 0 && !p.kinds.includes(f?.kind ?? 'none'))
        wrong.push(`${p.id}.kind: ${f?.kind ?? 'none'} ∉ ${p.kinds.join('|')}`);
      if (p.kinds && p.tool && f && f.tool !== p.tool) wrong.push(`${p.id}.tool: ${String(f.tool)} ≠ ${p.tool}`);
    }
    const accuracy = right / total;
    const kindOrTool = wrong.filter((w) => /\.(kind|tool):/.test(w));
    expect(
      { accuracy: accuracy >= 0.95, kindOrTool },
      `${(accuracy * 100).toFixed(1)}% of ${total} fields over ${all.length} pastes from ${new Set(all.map((p) => p.source)).size} sources\n${wrong.join('\n')}`,
    ).toEqual({ accuracy: true, kindOrTool: [] });
  });
});
