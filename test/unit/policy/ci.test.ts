/**
 * The policy's ci: section: what the validator accepts and refuses (with key paths), which entry a workload gets,
 * subject matching (exact, and patterns whose * stays inside one field), and the terms a CI request is planned on:
 * the same planning as chat, inside the CI limits (/32, never permanent, the shorter of the two maxima).
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/adapters/policy/load.js';
import { ciIdentityFor, planCiRequest, subjectMatches, type Workload } from '../../../src/core/policy/ci.js';
import { HOUR_MS, MINUTE_MS } from '../../../src/core/policy/index.js';
import { validatePolicy } from '../../../src/core/policy/validate.js';

const APP = '3f0c2b1a-8d7e-4c6b-9a5f-1e2d3c4b5a69';
const OID = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const OTHER_OID = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const GH = 'https://token.actions.githubusercontent.com';
const acme = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acmeprod',
  name: 'acmeprod',
};
const globex = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/globex',
  name: 'globex',
};

const policy = parsePolicy(
  `
version: 1
defaults:
  approvers: [alice@contoso.com]
  duration: { default: 4h, max: 8h }
registries:
  - match: globex
    duration: { default: 10m, max: 20m }
    requireTicket: true
ci:
  identities:
    - name: payments-main
      appId: ${APP.toUpperCase()}
      subject: "repo:contoso/payments:ref:refs/heads/main"
      registries: [acme*]
      approval: auto
    - name: payments-releases
      appId: ${APP}
      subjectPattern: "repo:contoso/payments:ref:refs/heads/release/*"
      registries: [acme*, globex]
      duration: { default: 45m, max: 2h }
    - name: nightly
      objectId: ${OTHER_OID}
      registries: ["*"]
`,
  'policy.yaml',
);

function workload(subject: string | null, over: Partial<Workload> = {}): Workload {
  return {
    tenantId: TENANT,
    appId: APP,
    objectId: OID,
    subject: subject ? { issuer: GH, value: subject } : null,
    ...over,
  };
}

function issues(ci: unknown): string[] {
  const r = validatePolicy({ version: 1, defaults: { approvers: ['alice@contoso.com'] }, ci });
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('policy ci: validation', () => {
  it('reads entries with their defaults: GitHub as issuer, approvers deciding, 30m of at most 1h', () => {
    const [main, releases, nightly] = policy.ci!.identities;
    expect(main).toMatchObject({
      source: 'ci.identities[0]',
      appId: APP,
      objectId: null,
      subject: { kind: 'exact', issuer: GH },
      approval: 'auto',
      durations: { defaultMs: 30 * MINUTE_MS, maxMs: HOUR_MS },
    });
    expect(releases!.subject).toEqual({
      kind: 'pattern',
      text: 'repo:contoso/payments:ref:refs/heads/release/*',
      issuer: GH,
    });
    expect(releases!.durations).toEqual({ defaultMs: 45 * MINUTE_MS, maxMs: 2 * HOUR_MS });
    expect(nightly).toMatchObject({ appId: null, objectId: OTHER_OID, subject: null, approval: 'approvers' });
  });

  it('is off without a ci: section', () => {
    const r = validatePolicy({ version: 1, defaults: { approvers: ['alice@contoso.com'] } });
    expect(r.ok && r.policy.ci).toBeNull();
  });

  it.each([
    ['an entry for nobody', [{ name: 'x', registries: ['*'] }], 'ci.identities.0: needs appId or objectId'],
    [
      'an app id that is not a GUID',
      [{ name: 'x', appId: 'payments', registries: ['*'] }],
      'ci.identities.0.appId: must be a GUID',
    ],
    ['no registries', [{ name: 'x', appId: APP }], 'ci.identities.0: needs registries'],
    ['no name', [{ appId: APP, registries: ['*'] }], 'ci.identities.0.name: is required'],
    [
      'a pattern for every repository',
      [{ name: 'x', appId: APP, subjectPattern: 'repo:*', registries: ['*'] }],
      'would match every subject',
    ],
    [
      'a pattern with no wildcard',
      [{ name: 'x', appId: APP, subjectPattern: 'repo:a/b:ref:x', registries: ['*'] }],
      'has no *',
    ],
    [
      'subject and pattern together',
      [{ name: 'x', appId: APP, subject: 'repo:a/b', subjectPattern: 'repo:a/*', registries: ['*'] }],
      'cannot be given with subject',
    ],
    [
      'an issuer without a subject',
      [{ name: 'x', appId: APP, issuer: GH, registries: ['*'] }],
      'only applies with subject',
    ],
    [
      'an issuer over plain http',
      [{ name: 'x', appId: APP, subject: 'repo:a/b', issuer: 'http://issuer.example', registries: ['*'] }],
      'must be the https URL',
    ],
    [
      'a grant longer than a day',
      [{ name: 'x', appId: APP, registries: ['*'], duration: { max: '2d' } }],
      'longer than a CI grant may be',
    ],
    [
      'an unknown approval',
      [{ name: 'x', appId: APP, registries: ['*'], approval: 'yes' }],
      'ci.identities.0.approval: must be auto',
    ],
    ['a misspelt key', [{ name: 'x', appId: APP, registrys: ['*'] }], 'did you mean registries'],
    [
      'two entries with one name',
      [
        { name: 'x', appId: APP, registries: ['*'] },
        { name: 'X', appId: APP, registries: ['*'] },
      ],
      'is used by another entry',
    ],
  ])('refuses %s', (_what, identities, message) => {
    expect(issues({ identities }).join('\n')).toContain(message);
  });

  it('refuses a section that is not a map, and one without identities', () => {
    expect(issues(['x'])).toEqual(['ci: must be a map with identities (and optionally duration)']);
    expect(issues({ duration: { max: '1h' } }).join()).toContain('needs identities');
  });
});

describe('policy ci: subjects', () => {
  const pattern = { kind: 'pattern' as const, text: 'repo:contoso/*:ref:refs/heads/release/*', issuer: GH };
  it.each([
    ['repo:contoso/payments:ref:refs/heads/release/1.2', true],
    ['repo:contoso/payments:ref:refs/heads/release/1.2/hotfix', true],
    ['repo:contoso/payments:ref:refs/heads/main', false],
    // * stays within one field: it cannot swallow ":ref:refs/heads/release/" from a longer subject.
    ['repo:contoso/payments:environment:x:ref:refs/heads/release/1', false],
    ['repo:fabrikam/payments:ref:refs/heads/release/1', false],
  ])('%s matches the pattern: %s', (subject, expected) => {
    expect(subjectMatches(pattern, { issuer: GH, value: subject })).toBe(expected);
  });

  it('needs the same issuer, and an exact subject exactly (case included)', () => {
    const exact = { kind: 'exact' as const, text: 'repo:contoso/app:ref:refs/heads/main', issuer: GH };
    expect(subjectMatches(exact, { issuer: `${GH}/`, value: 'repo:contoso/app:ref:refs/heads/main' })).toBe(true);
    expect(subjectMatches(exact, { issuer: 'https://vstoken.dev.azure.com/x', value: exact.text })).toBe(false);
    expect(subjectMatches(exact, { issuer: GH, value: 'repo:Contoso/app:ref:refs/heads/main' })).toBe(false);
    expect(subjectMatches(exact, null)).toBe(false);
  });
});

describe('policy ci: who may ask', () => {
  it('gives the first entry that fits the identity, the subject and the registry', () => {
    const main = ciIdentityFor(policy, workload('repo:contoso/payments:ref:refs/heads/main'), acme);
    expect(main.ok && main.identity.name).toBe('payments-main');
    const rel = ciIdentityFor(policy, workload('repo:contoso/payments:ref:refs/heads/release/7'), globex);
    expect(rel.ok && rel.identity.name).toBe('payments-releases');
    const nightly = ciIdentityFor(
      policy,
      workload(null, { appId: 'ffffffff-0000-4000-8000-000000000000', objectId: OTHER_OID }),
      globex,
    );
    expect(nightly.ok && nightly.identity.name).toBe('nightly');
  });

  it('refuses with a reason that says what would have been allowed', () => {
    const stranger = ciIdentityFor(policy, workload(null, { appId: 'ffffffff-0000-4000-8000-000000000000' }), acme);
    expect(stranger).toMatchObject({ ok: false, code: 'unknown_workload' });
    const feature = ciIdentityFor(policy, workload('repo:contoso/payments:ref:refs/heads/feature/x'), acme);
    expect(feature).toMatchObject({ ok: false, code: 'subject_not_allowed' });
    expect(!feature.ok && feature.reason).toContain('repo:contoso/payments:ref:refs/heads/main');
    expect(!feature.ok && feature.reason).toContain(
      'this request came from repo:contoso/payments:ref:refs/heads/feature/x',
    );
    const noToken = ciIdentityFor(policy, workload(null), acme);
    expect(!noToken.ok && noToken.reason).toContain('carried no verified CI token');
    const elsewhere = ciIdentityFor(policy, workload('repo:contoso/payments:ref:refs/heads/main'), globex);
    expect(elsewhere).toMatchObject({ ok: false, code: 'registry_not_allowed' });
    const off = ciIdentityFor(
      parsePolicy('version: 1\ndefaults: { approvers: [a@contoso.com] }\n', 'p.yaml'),
      workload(null),
      acme,
    );
    expect(off).toMatchObject({ ok: false, code: 'ci_off' });
  });
});

describe('policy ci: terms', () => {
  const main = workload('repo:contoso/payments:ref:refs/heads/main');
  const ask = { registry: acme, rule: '203.0.113.7', duration: null, reason: 'build 42', ticket: null };

  it("plans a /32 for the entry's default duration, approved by the entry or by N approvers", () => {
    const t = planCiRequest(policy, main, ask);
    expect(t).toMatchObject({ ok: true, rule: '203.0.113.7/32', durationMs: 30 * MINUTE_MS, breakGlass: false });
    expect(t.ok && t.identity.approval).toBe('auto');
  });

  it("keeps within the shorter maximum, the entry's or the registry's", () => {
    const long = planCiRequest(policy, main, { ...ask, duration: { ms: 5 * HOUR_MS } });
    expect(long).toMatchObject({ ok: true, durationMs: HOUR_MS });
    const rel = workload('repo:contoso/payments:ref:refs/heads/release/7');
    const onGlobex = planCiRequest(policy, rel, {
      ...ask,
      registry: globex,
      duration: { ms: HOUR_MS },
      ticket: 'CHG1',
    });
    expect(onGlobex).toMatchObject({ ok: true, durationMs: 20 * MINUTE_MS });
  });

  it('refuses what chat refuses, and more: wider than /32, permanent, a missing ticket or reason', () => {
    expect(planCiRequest(policy, main, { ...ask, rule: '203.0.113.0/28' })).toMatchObject({
      ok: false,
      code: 'too_wide',
    });
    expect(planCiRequest(policy, main, { ...ask, rule: '10.1.2.3' })).toMatchObject({ ok: false, code: 'not_public' });
    expect(planCiRequest(policy, main, { ...ask, duration: 'permanent' })).toMatchObject({
      ok: false,
      code: 'permanent_not_allowed',
    });
    expect(planCiRequest(policy, main, { ...ask, reason: ' ' })).toMatchObject({ ok: false, code: 'reason_required' });
    const rel = workload('repo:contoso/payments:ref:refs/heads/release/7');
    expect(planCiRequest(policy, rel, { ...ask, registry: globex })).toMatchObject({
      ok: false,
      code: 'ticket_required',
    });
  });

  it('refuses an approvers entry for a registry nobody approves', () => {
    const lonely = parsePolicy(
      `
version: 1
defaults: { approvers: [a@contoso.com] }
registries: [{ match: lonely, approvers: [] }]
ci: { identities: [{ name: n, appId: ${APP}, registries: ["*"] }] }
`,
      'p.yaml',
    );
    expect(planCiRequest(lonely, workload(null), { ...ask, registry: { id: 'x', name: 'lonely' } })).toMatchObject({
      ok: false,
      code: 'no_approvers',
    });
  });
});
