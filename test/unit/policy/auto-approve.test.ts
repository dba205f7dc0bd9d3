/**
 * Auto-approval rules: what the validator refuses (never-matching rules, rules that approve anybody), the weekly
 * window in a named time zone (daylight saving, past midnight), and the decision: the first rule whose every
 * condition holds, or why none does.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicy } from '../../../src/adapters/policy/load.js';
import { autoApproval, ciAutoApproval, type AutoApproveSubject } from '../../../src/core/approvals/auto-approve.js';
import type { IpOwner } from '../../../src/core/diagnosis.js';
import { HOUR_MS, policyFor } from '../../../src/core/policy/index.js';
import { validatePolicy } from '../../../src/core/policy/validate.js';
import { inWindow, localTime } from '../../../src/core/policy/window.js';
import type { TimeWindow } from '../../../src/core/policy/types.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const AKS_IP: IpOwner = {
  kind: 'public_ip',
  name: 'kubernetes-a1',
  resourceId: `/subscriptions/${SUB}/resourceGroups/MC_rg-aks-prod_aks-prod_westeurope/providers/Microsoft.Network/publicIPAddresses/kubernetes-a1`,
  detail: 'outbound IP of AKS cluster aks-prod',
  aksCluster: 'aks-prod',
};
const VM_IP: IpOwner = {
  kind: 'public_ip',
  name: 'vm1-ip',
  resourceId: `/subscriptions/${SUB}/resourceGroups/rg-build/providers/Microsoft.Network/publicIPAddresses/vm1-ip`,
  detail: 'network interface vm1-nic',
};
const AZURE_CLOUD: IpOwner = { kind: 'azure_cloud', name: 'AzureCloud', resourceId: null, detail: null };

const POLICY = `
version: 1
groups:
  oncall: [dana@contoso.com, "slack:U0ONCALL1"]
defaults:
  approvers: [carol@contoso.com]
  duration: { default: 1h, max: 1d }
  autoApprove:
    - name: aks-egress
      owner: { subscriptions: ["${SUB}"], aksClusters: ["aks-*"] }
      maxDuration: 4h
      window: { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00", timeZone: Europe/Berlin }
    - name: oncall-night
      groups: [oncall]
      maxDuration: 1h
      window: { days: [fri], from: "22:00", to: "06:00", timeZone: America/New_York }
`;
const policy = parsePolicy(POLICY, 'policy.yaml');
const registry = {
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acmeprod`,
  name: 'acmeprod',
};

function subject(over: Partial<AutoApproveSubject> = {}): AutoApproveSubject {
  return {
    registryPolicy: policyFor(policy, registry),
    requester: { platform: 'teams', id: '11111111-1111-4111-8111-111111111111', email: 'frank@contoso.com' },
    owner: AKS_IP,
    durationMs: HOUR_MS,
    breakGlass: false,
    // Monday 2 March 2026, 10:00 in Berlin (CET, UTC+1).
    startsAt: new Date('2026-03-02T09:00:00Z'),
    ...over,
  };
}

function issues(yaml: string): string[] {
  const r = validatePolicy(parse(yaml));
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
const rule = (body: string, extra = '') => `
version: 1
${extra}
defaults:
  approvers: [carol@contoso.com]
  duration: { max: 1d }
  autoApprove:
    - ${body}
`;

describe('the validator', () => {
  it('accepts the example rules', () => {
    expect(issues(POLICY)).toEqual([]);
  });

  it.each([
    ['approves anybody', 'name: all\n      maxDuration: 1h', /would approve anybody/],
    [
      'has an empty window',
      'name: w\n      requesters: [a@contoso.com]\n      window: { days: [mon], from: "08:00", to: "08:00", timeZone: UTC }',
      /window is empty/,
    ],
    [
      'has no day',
      'name: w\n      requesters: [a@contoso.com]\n      window: { days: [], from: "08:00", to: "09:00", timeZone: UTC }',
      /days: is empty/,
    ],
    [
      'names an unknown weekday',
      'name: w\n      requesters: [a@contoso.com]\n      window: { days: [funday], from: "08:00", to: "09:00", timeZone: UTC }',
      /must be a weekday/,
    ],
    [
      'names an unknown time zone',
      'name: w\n      requesters: [a@contoso.com]\n      window: { days: [mon], from: "08:00", to: "09:00", timeZone: Mars/Olympus }',
      /IANA time-zone/,
    ],
    [
      'allows longer than the registry',
      'name: long\n      requesters: [a@contoso.com]\n      maxDuration: 2d',
      /above duration.max/,
    ],
    ['names an unknown group', 'name: g\n      groups: [nobody]', /names no group/],
    ['names a directory group', 'name: g\n      requesters: ["group:S0123ABCD"]', /cannot be a directory group/],
    ['has an owner that narrows nothing', 'name: o\n      owner: {}', /narrows nothing/],
    ['has a bad subscription', 'name: o\n      owner: { subscriptions: [prod] }', /subscription id/],
    ['has no name', 'requesters: [a@contoso.com]', /name: is required/],
  ])('refuses a rule that %s', (_what, body, message) => {
    expect(issues(rule(body)).join('\n')).toMatch(message);
  });

  it('refuses an empty group and duplicate rule names', () => {
    expect(issues(rule('name: g\n      groups: [x]', 'groups:\n  x: []')).join('\n')).toMatch(/groups.x: is empty/);
    const twice = `${rule('name: same\n      requesters: [a@contoso.com]')}
registries:
  - match: dev*
    autoApprove:
      - name: same
        requesters: [b@contoso.com]
`;
    expect(issues(twice).join('\n')).toMatch(/already the name of defaults.autoApprove\[0\]/);
  });

  it('refuses an inherited rule longer than a registry entry allows', () => {
    const doc = `${rule('name: r\n      requesters: [a@contoso.com]\n      maxDuration: 8h')}
registries:
  - match: prod*
    duration: { max: 4h }
`;
    expect(issues(doc).join('\n')).toMatch(/registries.0.autoApprove: rule "r".*above duration.max \(4h\)/);
  });
});

describe('the weekly window', () => {
  const office: TimeWindow = {
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    fromMinute: 8 * 60,
    toMinute: 18 * 60,
    timeZone: 'Europe/Berlin',
  };

  it('follows the zone through daylight saving', () => {
    // 07:30 UTC is 08:30 in Berlin in winter (in the window) and 09:30 in summer (in the window).
    expect(inWindow(office, new Date('2026-03-02T07:30:00Z'))).toBe(true);
    // 06:30 UTC: 07:30 in winter (outside), 08:30 in summer (inside).
    expect(inWindow(office, new Date('2026-03-02T06:30:00Z'))).toBe(false);
    expect(inWindow(office, new Date('2026-06-01T06:30:00Z'))).toBe(true);
    expect(localTime(new Date('2026-06-01T06:30:00Z'), 'Europe/Berlin')).toEqual({ day: 1, minute: 8 * 60 + 30 });
  });

  it('ends at to and skips the days not listed', () => {
    expect(inWindow(office, new Date('2026-03-02T17:00:00Z'))).toBe(false); // 18:00 Berlin
    expect(inWindow(office, new Date('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
  });

  it('runs past midnight into the next day when to is before from', () => {
    const night: TimeWindow = { days: ['fri'], fromMinute: 22 * 60, toMinute: 6 * 60, timeZone: 'UTC' };
    expect(inWindow(night, new Date('2026-03-06T23:00:00Z'))).toBe(true); // Friday 23:00
    expect(inWindow(night, new Date('2026-03-07T05:59:00Z'))).toBe(true); // Saturday 05:59
    expect(inWindow(night, new Date('2026-03-07T06:00:00Z'))).toBe(false);
    expect(inWindow(night, new Date('2026-03-05T23:00:00Z'))).toBe(false); // Thursday night
  });
});

describe('the decision', () => {
  it('approves by the first rule whose every condition holds', () => {
    expect(autoApproval(subject())).toEqual({
      ok: true,
      rule: { name: 'aks-egress', source: 'defaults.autoApprove[0]' },
    });
  });

  it('says why not: outside the window, too long, another owner, not the tenant', () => {
    const saturday = autoApproval(subject({ startsAt: new Date('2026-03-07T10:00:00Z') }));
    expect(saturday).toMatchObject({ ok: false });
    expect(!saturday.ok && saturday.reason).toMatch(/rule aks-egress: the access starts outside its window/);
    expect(!saturday.ok && saturday.reason).toMatch(/rule oncall-night: the requester is not one of/);
    const long = autoApproval(subject({ durationMs: 5 * HOUR_MS }));
    expect(!long.ok && long.reason).toMatch(/5h is longer than its maxDuration 4h/);
    const vm = autoApproval(subject({ owner: VM_IP }));
    expect(!vm.ok && vm.reason).toMatch(/not an AKS cluster/);
    const cloud = autoApproval(subject({ owner: AZURE_CLOUD }));
    expect(!cloud.ok && cloud.reason).toMatch(/not a public IP or prefix the bot can see in the tenant/);
    const other = autoApproval(
      subject({
        owner: { ...AKS_IP, resourceId: AKS_IP.resourceId!.replace(SUB, '99999999-1bf0-4dda-aec3-111122223333') },
      }),
    );
    expect(!other.ok && other.reason).toMatch(/subscription 99999999/);
  });

  it('matches a group member by email on either platform, in the night window in New York', () => {
    // Friday 23:30 in New York (EST, UTC-5) is Saturday 04:30 UTC.
    const fridayNight = new Date('2026-03-07T04:30:00Z');
    const dana = { platform: 'slack', id: 'U0DANA001', email: 'Dana@Contoso.com' };
    expect(autoApproval(subject({ requester: dana, owner: VM_IP, startsAt: fridayNight }))).toMatchObject({
      ok: true,
      rule: { name: 'oncall-night' },
    });
    const byId = { platform: 'slack', id: 'U0ONCALL1', email: null };
    expect(autoApproval(subject({ requester: byId, owner: null, startsAt: fridayNight }))).toMatchObject({ ok: true });
  });

  it('never approves break-glass, a permanent rule, or a workload by requester', () => {
    expect(autoApproval(subject({ breakGlass: true }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/break-glass/),
    });
    expect(autoApproval(subject({ durationMs: null }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/permanent/),
    });
    const workload = { platform: 'workload', id: 'dana@contoso.com', email: 'dana@contoso.com' };
    const fridayNight = new Date('2026-03-07T04:30:00Z');
    expect(autoApproval(subject({ requester: workload, owner: VM_IP, startsAt: fridayNight })).ok).toBe(false);
  });

  it('is off where a registry has no rules', () => {
    const none = parsePolicy('version: 1\ndefaults:\n  approvers: [carol@contoso.com]\n', 'p.yaml');
    expect(autoApproval(subject({ registryPolicy: policyFor(none, registry) }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no auto-approval rule/),
    });
  });

  it('a CI entry approves by itself only when it says approval: auto', () => {
    expect(ciAutoApproval({ name: 'payments-ci', source: 'ci.identities[0]', approval: 'auto' })).toEqual({
      ok: true,
      rule: { name: 'payments-ci', source: 'ci.identities[0]' },
    });
    expect(ciAutoApproval({ name: 'rel', source: 'ci.identities[1]', approval: 'approvers' }).ok).toBe(false);
  });
});
