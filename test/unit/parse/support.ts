import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { FINDING_KINDS, type Finding } from '../../../src/core/finding.js';

export interface Sample {
  id: string;
  source: string;
  tool: string;
  kind: string;
  text: string;
  expect: {
    loginServer: string | null;
    registryName: string | null;
    ip: string | null;
    repository: string | null;
    reference: string | null;
  };
  notes: string;
}

export function loadSamples(): Sample[] {
  const file = path.resolve(__dirname, '../../fixtures/errors/real-errors.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Sample);
}

export const FIELDS = ['loginServer', 'registryName', 'ip', 'repository', 'reference'] as const;
const KEYS = ['kind', 'loginServer', 'registryName', 'ip', 'repository', 'reference', 'tool', 'excerpt', 'ci'];

/** The parse --json contract: all eight fields, the right types, nothing else. */
export function expectWellFormed(findings: unknown): asserts findings is Finding[] {
  expect(Array.isArray(findings)).toBe(true);
  for (const f of findings as Record<string, unknown>[]) {
    expect(Object.keys(f).sort()).toEqual([...KEYS].sort());
    expect(FINDING_KINDS).toContain(f.kind);
    for (const k of ['loginServer', 'registryName', 'ip', 'repository', 'reference', 'tool']) {
      expect(f[k] === null || (typeof f[k] === 'string' && (f[k] as string).length > 0), `${k}=${String(f[k])}`).toBe(
        true,
      );
    }
    expect(typeof f.excerpt).toBe('string');
    expect([null, 'github-actions', 'azure-pipelines']).toContain(f.ci);
    expect((f.excerpt as string).length).toBeLessThanOrEqual(320);
  }
}

export function primary(findings: Finding[]): Pick<Finding, (typeof FIELDS)[number]> | null {
  const f = findings[0];
  return f
    ? {
        loginServer: f.loginServer,
        registryName: f.registryName,
        ip: f.ip,
        repository: f.repository,
        reference: f.reference,
      }
    : null;
}
