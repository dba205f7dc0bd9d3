/**
 * Every real paste in test/fixtures/errors/real-errors.jsonl is a test case: the primary finding's registry, IP,
 * repository and reference equal the sample's `expect`, and its kind is consistent with the corpus kind:
 *
 *   firewall_ip_denied     → firewall_denied when the text says "client with …", else registry_forbidden
 *                            (containerd's anonymous-token 403 names no IP)
 *   public_access_disabled → registry_forbidden or firewall_denied (ACR sends the same text; only ARM can tell)
 *   unauthorized           → unauthorized
 *   access_denied_rbac     → access_denied
 *   dns_private_link       → dns_failure or network_timeout
 *   data_endpoint_denied   → data_endpoint_blocked
 *   other                  → whatever the text says; or no finding at all when it is not an ACR error, in which
 *                            case the sample's expectation must be all null.
 *
 * Nothing here looks at sample ids: the parser is expected to hold on pastes it was not tuned to.
 */
import { describe, expect, it } from 'vitest';
import type { FindingKind } from '../../../src/core/finding.js';
import { parseFindings, parseFindingsStrict } from '../../../src/core/parse/index.js';
import { expectWellFormed, FIELDS, loadSamples, primary } from './support.js';

function allowedKinds(corpusKind: string, text: string): FindingKind[] | null {
  switch (corpusKind) {
    case 'firewall_ip_denied':
      return /client with/i.test(text) ? ['firewall_denied'] : ['registry_forbidden'];
    case 'public_access_disabled':
      return ['registry_forbidden', 'firewall_denied'];
    case 'unauthorized':
      return ['unauthorized'];
    case 'access_denied_rbac':
      return ['access_denied'];
    case 'dns_private_link':
      return ['dns_failure', 'network_timeout'];
    case 'data_endpoint_denied':
      return ['data_endpoint_blocked'];
    case 'other':
      return null;
    default:
      throw new Error(`unknown corpus kind ${corpusKind}`);
  }
}

const samples = loadSamples();

describe('real pasted errors (fixtures/errors/real-errors.jsonl)', () => {
  it('the corpus is the one we expect to test', () => {
    expect(samples.length).toBe(42);
  });

  it.each(samples.map((s) => [s.id, s] as const))('%s', (_id, sample) => {
    const findings = parseFindingsStrict(sample.text);
    expectWellFormed(findings);
    const kinds = allowedKinds(sample.kind, sample.text);
    const expectAllNull = FIELDS.every((k) => sample.expect[k] === null);
    if (kinds === null && findings.length === 0) {
      // Not an ACR error (or not one we can say anything about): only acceptable when nothing was expected.
      expect(expectAllNull).toBe(true);
      return;
    }
    expect(findings.length, 'a finding is recognised').toBeGreaterThan(0);
    if (kinds !== null) expect(kinds).toContain(findings[0]?.kind);
    expect(primary(findings)).toEqual(sample.expect);
    // Never two identical findings.
    const keys = findings.map((f) => JSON.stringify([f.kind, ...FIELDS.map((k) => f[k])]));
    expect(new Set(keys).size).toBe(keys.length);
    // The excerpt is a slice of the paste that shows the error.
    expect(findings[0]?.excerpt.length).toBeGreaterThan(10);
  });

  it('parseFindings and the strict parser agree on every sample (the safety net is never used)', () => {
    for (const s of samples) expect(parseFindings(s.text)).toEqual(parseFindingsStrict(s.text));
  });

  it('takes no IP that is not the client IP (resolvers, private endpoints, nodes)', () => {
    for (const s of samples) {
      for (const f of parseFindingsStrict(s.text)) {
        if (f.ip !== null)
          expect(s.text).toMatch(new RegExp(`client with IP (?:\\\\u0027|')${f.ip.replaceAll('.', '\\.')}`, 'i'));
      }
    }
  });
});
