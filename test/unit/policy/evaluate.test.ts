import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/adapters/policy/load.js';
import type { Actor } from '../../../src/core/actor.js';
import {
  approversFor,
  builtInPolicy,
  canApprove,
  canCancel,
  canDeny,
  canNarrow,
  canRequest,
  canRevoke,
  checkRule,
  clampDuration,
  globMatch,
  HOUR_MS,
  MINUTE_MS,
  DAY_MS,
  planRequest,
  policyFor,
  verifyIdentity,
  type ApprovalSubject,
  type ChannelRef,
  type RequestAsk,
} from '../../../src/core/policy/index.js';

const ALICE_AAD = '11111111-1111-4111-8111-111111111111';
const CAROL_AAD = '33333333-3333-4333-8333-333333333333';
const GROUP = '99999999-9999-4999-8999-999999999999';
const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000';

const policy = parsePolicy(
  `
version: 1
defaults:
  approvers: [alice@contoso.com, "slack:U0BOB0001", "teams:${CAROL_AAD}", "group:${GROUP}"]
  minApprovals: 1
  breakGlass: { enabled: true, maxDuration: 1h, allowedFor: approvers }
registries:
  - match: prod*
    approvers: [alice@contoso.com, "slack:U0BOB0001", "teams:${CAROL_AAD}"]
    minApprovals: 2
    duration: { default: 2h, max: 8h }
  - match: ${SUB}/resourceGroups/rg-dev
    selfApproval: true
    allowPermanent: true
    broadestPrefix: 28
  - match: lonely
    approvers: []
channels:
  - slack: C0PLATFORM
    registries: ["*"]
  - teams: "19:dev@thread.tacv2"
    registries: [dev*]
  - direct: true
    registries: [dev*]
`,
  'policy.yaml',
);

const teams = (id: string, email: string | null, extra: Partial<Actor> = {}): Actor => ({
  platform: 'teams',
  id,
  email,
  displayName: email,
  ...extra,
});
const slack = (id: string, email: string | null, extra: Partial<Actor> = {}): Actor => ({
  platform: 'slack',
  id,
  email,
  displayName: id,
  ...extra,
});

const alice = teams(ALICE_AAD, 'alice@contoso.com');
const aliceInSlack = slack('U0ALICE01', 'alice@contoso.com');
const bob = slack('U0BOB0001', 'bob@contoso.com');
const carol = teams(CAROL_AAD, null);
const dan = slack('U0DAN0001', 'dan@contoso.com');
const groupMember = teams('44444444-4444-4444-8444-444444444444', 'erin@contoso.com', {
  groups: [GROUP.toUpperCase()],
});

const prod = {
  id: `${SUB}/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/prodacr`,
  name: 'prodacr',
};
const dev = {
  id: `${SUB}/resourceGroups/rg-dev/providers/Microsoft.ContainerRegistry/registries/devacr`,
  name: 'devacr',
};
const other = {
  id: `${SUB}/resourceGroups/rg-devx/providers/Microsoft.ContainerRegistry/registries/otheracr`,
  name: 'otheracr',
};
const platformChannel: ChannelRef = { platform: 'slack', conversationId: 'C0PLATFORM' };

function subject(over: Partial<ApprovalSubject> = {}): ApprovalSubject {
  return {
    registry: dev,
    requester: { platform: 'slack', id: dan.id, email: dan.email },
    status: 'pending',
    breakGlass: false,
    requiredApprovals: 1,
    approvals: [],
    ...over,
  };
}

describe('registry selection', () => {
  it('first matching entry wins; resource-id prefixes match whole segments; otherwise defaults', () => {
    expect(policyFor(policy, prod).source).toBe('registries[0]');
    expect(policyFor(policy, dev).source).toBe('registries[1]');
    expect(policyFor(policy, other).source).toBe('defaults');
    expect(policyFor(policy, { id: dev.id.toUpperCase(), name: 'DEVACR' }).source).toBe('registries[1]');
  });

  it('approversFor returns the list, N and the notify targets', () => {
    expect(approversFor(policy, prod)).toMatchObject({ minApprovals: 2, source: 'registries[0]' });
    expect(approversFor(policy, prod).approvers).toHaveLength(3);
    expect(approversFor(builtInPolicy(), prod).approvers).toEqual([]);
  });

  it('globs are linear and anchored', () => {
    expect(globMatch('prod*', 'prodacr')).toBe(true);
    expect(globMatch('prod*', 'nonprod')).toBe(false);
    expect(globMatch('*acr', 'prodacr')).toBe(true);
    expect(globMatch('p?od*', 'prodacr')).toBe(true);
    expect(globMatch('*a*b*c*d*e*f*', 'a'.repeat(5000))).toBe(false);
  });
});

describe('identity (fail closed)', () => {
  it('accepts Teams AAD object ids and Slack user ids', () => {
    expect(verifyIdentity(alice)).toMatchObject({ ok: true, identity: { id: ALICE_AAD, email: 'alice@contoso.com' } });
    expect(verifyIdentity(bob)).toMatchObject({ ok: true });
  });

  it('accepts the Agents Playground sample users (13-digit last group), so demo policies can name them', () => {
    expect(verifyIdentity(teams('00000000-0000-0000-0000-0000000000020', 'alexw@example.com'))).toMatchObject({
      ok: true,
    });
    const demo = parsePolicy(
      'version: 1\ndefaults:\n  approvers: ["teams:00000000-0000-0000-0000-0000000000022"]\n',
      'demo.yaml',
    );
    const adele = teams('00000000-0000-0000-0000-0000000000022', 'adelev@example.com');
    const alex = teams('00000000-0000-0000-0000-0000000000020', 'alexw@example.com');
    expect(
      canApprove(demo, adele, subject({ requester: { platform: 'teams', id: alex.id, email: alex.email } })),
    ).toMatchObject({ ok: true, as: 'approver' });
  });

  it.each([
    ['a Teams user without an AAD object id', teams('29:1abc', 'x@contoso.com')],
    ['a Teams id that is almost a GUID', teams('11111111-1111-4111-8111-11111111111', null)],
    ['an empty id', slack('', 'x@contoso.com')],
    ['a Slack bot id', slack('B0123ABC', null)],
    ['a CLI user', { platform: 'cli', id: 'root', email: null, displayName: null } as Actor],
  ])('refuses %s', (_name, actor) => {
    expect(verifyIdentity(actor)).toMatchObject({ ok: false, code: 'unknown_identity' });
  });

  it('ignores guest UPNs and malformed emails for matching', () => {
    const guest = teams('55555555-5555-4555-8555-555555555555', 'alice_contoso.com#EXT#@fabrikam.onmicrosoft.com');
    expect(verifyIdentity(guest)).toMatchObject({ ok: true, identity: { email: null } });
    expect(verifyIdentity(slack('U0X000001', 'alice@contoso.com, mallory@evil.test'))).toMatchObject({
      ok: true,
      identity: { email: null },
    });
  });
});

describe('canRequest', () => {
  it('refuses everything without a policy file, telling the operator what to do', () => {
    const r = canRequest(builtInPolicy(), dan, platformChannel, dev);
    expect(r).toMatchObject({ ok: false, code: 'no_policy' });
    expect(!r.ok && r.reason).toMatch(/POLICY_FILE/);
  });

  it('allows listed channels for their registries only', () => {
    expect(canRequest(policy, dan, platformChannel, prod)).toMatchObject({ ok: true });
    const teamsThread: ChannelRef = {
      platform: 'teams',
      conversationId: '19:dev@thread.tacv2;messageid=17000',
      channelId: '19:dev@thread.tacv2',
    };
    expect(canRequest(policy, alice, teamsThread, dev)).toMatchObject({ ok: true });
    expect(canRequest(policy, alice, teamsThread, prod)).toMatchObject({
      ok: false,
      code: 'channel_not_allowed',
      reason: expect.stringMatching(/limits it to other registries/),
    });
    expect(canRequest(policy, dan, { platform: 'slack', conversationId: 'C0RANDOM' }, dev)).toMatchObject({
      ok: false,
      code: 'channel_not_allowed',
      reason: expect.stringMatching(/cannot be made from this channel/),
    });
    // The same id on the other platform is a different channel.
    expect(canRequest(policy, alice, { platform: 'teams', conversationId: 'C0PLATFORM' }, dev)).toMatchObject({
      ok: false,
      code: 'channel_not_allowed',
    });
  });

  it('direct chats follow the direct: rule', () => {
    expect(
      canRequest(policy, dan, { platform: 'slack', conversationId: 'D0DM00001', direct: true }, dev),
    ).toMatchObject({ ok: true });
    expect(
      canRequest(policy, dan, { platform: 'slack', conversationId: 'D0DM00001', direct: true }, prod),
    ).toMatchObject({ ok: false, code: 'channel_not_allowed' });
  });

  it('refuses registries without approvers, and unknown identities', () => {
    expect(canRequest(policy, dan, platformChannel, { id: `${SUB}/x/lonely`, name: 'lonely' })).toMatchObject({
      ok: false,
      code: 'no_approvers',
      reason: expect.stringMatching(/registries\[2\]/),
    });
    expect(canRequest(policy, slack('', null), platformChannel, dev)).toMatchObject({
      ok: false,
      code: 'unknown_identity',
    });
  });

  it('without a channels key any channel may request', () => {
    const open = parsePolicy('version: 1\ndefaults:\n  approvers: [alice@contoso.com]\n', 'p.yaml');
    expect(canRequest(open, dan, { platform: 'slack', conversationId: 'C0ANY' }, prod)).toMatchObject({ ok: true });
  });
});

describe('canApprove', () => {
  it('matches approvers by Teams object id, Slack id, email and resolved group', () => {
    expect(canApprove(policy, carol, subject())).toMatchObject({
      ok: true,
      as: 'approver',
      matched: { kind: 'teams' },
      completes: true,
    });
    expect(canApprove(policy, bob, subject())).toMatchObject({ ok: true, matched: { kind: 'slack' } });
    expect(canApprove(policy, alice, subject())).toMatchObject({ ok: true, matched: { kind: 'email' } });
    expect(canApprove(policy, groupMember, subject({ registry: other }))).toMatchObject({
      ok: true,
      matched: { kind: 'group' },
    });
  });

  it('refuses non-approvers with a reason naming the approvers', () => {
    const r = canApprove(policy, slack('U0EVE0001', 'eve@contoso.com'), subject({ registry: prod }));
    expect(r).toMatchObject({ ok: false, code: 'not_an_approver' });
    expect(!r.ok && r.reason).toContain('alice@contoso.com');
  });

  it('never matches by display name, or by a Slack id claimed on Teams', () => {
    expect(
      canApprove(
        policy,
        teams('66666666-6666-4666-8666-666666666666', null, { displayName: 'alice@contoso.com' }),
        subject(),
      ),
    ).toMatchObject({ ok: false, code: 'not_an_approver' });
    expect(
      canApprove(policy, { platform: 'teams', id: 'U0BOB0001', email: null, displayName: null }, subject()),
    ).toMatchObject({ ok: false, code: 'unknown_identity' });
    // Groups only count when the adapter resolved them.
    expect(
      canApprove(policy, (({ groups: _g, ...rest }) => rest)(groupMember), subject({ registry: other })),
    ).toMatchObject({
      ok: false,
      code: 'not_an_approver',
    });
  });

  it('refuses self-approval by default, across platforms by email', () => {
    const mine = subject({
      requester: { platform: 'teams', id: ALICE_AAD, email: 'alice@contoso.com' },
      registry: other,
    });
    expect(canApprove(policy, alice, mine)).toMatchObject({
      ok: false,
      code: 'self_approval',
      reason: expect.stringMatching(/break-glass/),
    });
    expect(canApprove(policy, aliceInSlack, mine)).toMatchObject({ ok: false, code: 'self_approval' });
  });

  it('allows self-approval where policy says so, counting as one approval', () => {
    const mine = subject({
      requester: { platform: 'teams', id: ALICE_AAD, email: 'alice@contoso.com' },
      registry: dev,
      requiredApprovals: 2,
    });
    expect(canApprove(policy, alice, mine)).toMatchObject({ ok: true, as: 'self', completes: false });
  });

  it('break-glass: the requester (an approver) completes it alone and everyone is told', () => {
    const bg = subject({
      requester: { platform: 'teams', id: ALICE_AAD, email: 'alice@contoso.com' },
      registry: other,
      breakGlass: true,
      requiredApprovals: 1,
    });
    expect(canApprove(policy, alice, bg)).toMatchObject({
      ok: true,
      as: 'break_glass',
      completes: true,
      notifyAllApprovers: true,
    });
    // A non-approver requester cannot break glass under allowedFor: approvers.
    expect(canApprove(policy, dan, subject({ breakGlass: true, registry: other }))).toMatchObject({
      ok: false,
      code: 'self_approval',
    });
  });

  it('N-of-M: counts distinct approvers and refuses a second click by the same one', () => {
    const one = subject({
      registry: prod,
      requiredApprovals: 2,
      approvals: [{ by: { platform: 'slack', id: 'U0BOB0001', email: 'bob@contoso.com' } }],
    });
    expect(canApprove(policy, bob, one)).toMatchObject({ ok: false, code: 'already_approved' });
    expect(canApprove(policy, alice, one)).toMatchObject({ ok: true, completes: true });
    expect(canApprove(policy, alice, subject({ registry: prod, requiredApprovals: 2 }))).toMatchObject({
      ok: true,
      completes: false,
    });
  });

  it('refuses when the request is no longer pending, and without a policy', () => {
    expect(canApprove(policy, bob, subject({ status: 'approved' }))).toMatchObject({ ok: false, code: 'not_pending' });
    expect(canApprove(builtInPolicy(), bob, subject())).toMatchObject({ ok: false, code: 'no_policy' });
  });

  it('deny, narrow, cancel and revoke', () => {
    const s = subject();
    expect(canDeny(policy, bob, s)).toEqual({ ok: true });
    expect(canDeny(policy, dan, s)).toMatchObject({ ok: false, code: 'self_approval' });
    expect(canNarrow(policy, dan, s)).toEqual({ ok: true });
    expect(canNarrow(policy, slack('U0EVE0001', null), s)).toMatchObject({ ok: false, code: 'not_an_approver' });
    expect(canCancel(policy, dan, s)).toEqual({ ok: true });
    expect(canCancel(policy, bob, s)).toEqual({ ok: true });
    expect(canCancel(policy, slack('U0EVE0001', null), s)).toMatchObject({ ok: false, code: 'not_requester' });
    expect(canRevoke(policy, bob, s)).toEqual({ ok: true });
    expect(canRevoke(policy, slack('U0EVE0001', null), s)).toMatchObject({ ok: false });
  });
});

describe('clampDuration', () => {
  const p = policyFor(policy, prod);
  it('uses the default, keeps shorter, clamps longer and says so', () => {
    expect(clampDuration(p, null)).toMatchObject({ ok: true, durationMs: 2 * HOUR_MS, adjusted: 'default' });
    expect(clampDuration(p, { ms: 30 * MINUTE_MS })).toEqual({
      ok: true,
      durationMs: 30 * MINUTE_MS,
      adjusted: null,
      note: null,
    });
    expect(clampDuration(p, { ms: 2 * DAY_MS })).toEqual({
      ok: true,
      durationMs: 8 * HOUR_MS,
      adjusted: 'clamped',
      note: 'Shortened from 2d to 8h, the longest access policy allows.',
    });
  });
  it('refuses permanent unless allowed, zero, and caps break-glass', () => {
    expect(clampDuration(p, 'permanent')).toMatchObject({ ok: false, code: 'permanent_not_allowed' });
    expect(clampDuration(policyFor(policy, dev), 'permanent')).toMatchObject({ ok: true, durationMs: null });
    expect(clampDuration(policyFor(policy, dev), 'permanent', { breakGlass: true })).toMatchObject({
      ok: false,
      code: 'permanent_not_allowed',
    });
    expect(clampDuration(p, { ms: 0 })).toMatchObject({ ok: false, code: 'invalid_duration' });
    expect(clampDuration(policyFor(policy, other), { ms: 4 * HOUR_MS }, { breakGlass: true })).toMatchObject({
      ok: true,
      durationMs: HOUR_MS,
      adjusted: 'clamped',
    });
  });
});

describe('checkRule', () => {
  const strict = policyFor(policy, prod);
  const loose = policyFor(policy, dev);
  it('accepts a public address as /32, and ranges up to the broadest prefix', () => {
    expect(checkRule(strict, '20.50.1.2')).toEqual({
      ok: true,
      rule: '20.50.1.2/32',
      prefixLength: 32,
      addressCount: 1,
    });
    expect(checkRule(loose, '20.50.1.0/28')).toMatchObject({ ok: true, rule: '20.50.1.0/28', addressCount: 16 });
    expect(checkRule(strict, '203.0.113.7')).toMatchObject({ ok: true }); // documentation range: demos and tests
  });
  it.each([
    ['0.0.0.0/0', 'everything'],
    ['20.50.1.0/28', 'too_wide'],
    ['10.1.2.3', 'not_public'],
    ['100.64.1.1', 'not_public'],
    ['127.0.0.1', 'not_public'],
    ['2001:db8::1', 'ipv6_not_supported'],
    ['20.50.1.3/30', 'host_bits_set'],
    ['not an ip', 'invalid_rule'],
    ['1.2.3.4/33', 'invalid_rule'],
  ])('refuses %s (%s) with a reason', (rule, code) => {
    const r = checkRule(strict, rule);
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.reason.length).toBeGreaterThan(10);
  });
  it('0.0.0.0/0 is refused even where ranges are allowed', () => {
    expect(checkRule({ broadestPrefix: 1, source: 'x' }, '0.0.0.0/0')).toMatchObject({ ok: false, code: 'everything' });
  });
});

describe('planRequest', () => {
  const ask = (over: Partial<RequestAsk> = {}): RequestAsk => ({
    actor: dan,
    channel: platformChannel,
    registry: prod,
    rule: '20.50.1.2',
    duration: null,
    reason: 'CI runner',
    ...over,
  });

  it('gives the terms: canonical rule, duration, N, timeout, reminders', () => {
    expect(planRequest(policy, ask({ duration: { ms: DAY_MS } }))).toMatchObject({
      ok: true,
      rule: '20.50.1.2/32',
      durationMs: 8 * HOUR_MS,
      requiredApprovals: 2,
      pendingTimeoutMs: DAY_MS,
      reminderIntervalMs: 4 * HOUR_MS,
      breakGlass: false,
      notifyAllApprovers: false,
      notes: ['Shortened from 1d to 8h, the longest access policy allows.'],
    });
  });

  it('requires a reason, and refuses in policy order (scope before rule)', () => {
    expect(planRequest(policy, ask({ reason: '  ' }))).toMatchObject({ ok: false, code: 'reason_required' });
    expect(
      planRequest(policy, ask({ channel: { platform: 'slack', conversationId: 'C0NOPE' }, rule: '0.0.0.0/0' })),
    ).toMatchObject({ ok: false, code: 'channel_not_allowed' });
    expect(planRequest(policy, ask({ rule: '0.0.0.0/0' }))).toMatchObject({ ok: false, code: 'everything' });
    expect(planRequest(builtInPolicy(), ask())).toMatchObject({ ok: false, code: 'no_policy' });
  });

  it('break-glass: approvers only, reason required, /32 only, short', () => {
    expect(planRequest(policy, ask({ breakGlass: true }))).toMatchObject({
      ok: false,
      code: 'break_glass_not_allowed',
    });
    expect(planRequest(policy, ask({ actor: alice, registry: other, breakGlass: true, reason: '' }))).toMatchObject({
      ok: false,
      code: 'reason_required',
    });
    expect(
      planRequest(policy, ask({ actor: alice, registry: dev, breakGlass: true, rule: '20.50.1.0/28' })),
    ).toMatchObject({ ok: false, code: 'too_wide' });
    expect(
      planRequest(policy, ask({ actor: alice, registry: other, breakGlass: true, duration: { ms: DAY_MS } })),
    ).toMatchObject({
      ok: true,
      breakGlass: true,
      durationMs: HOUR_MS,
      notifyAllApprovers: true,
    });
  });
});
