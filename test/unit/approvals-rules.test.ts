/** Rule-set planning (core/approvals): what an apply adds and what an expiry may take off. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coveringRule,
  planAdditions,
  planRemovals,
  registryRefusal,
  ruleContains,
  durationChoices,
  readDuration,
  riskFlags,
  writesByOthers,
} from '../../src/core/approvals/index.js';

describe('ruleContains / coveringRule', () => {
  it('a wider or equal rule contains a narrower one, written with or without /32', () => {
    expect(ruleContains('203.0.113.0/24', '203.0.113.7/32')).toBe(true);
    expect(ruleContains('203.0.113.7', '203.0.113.7/32')).toBe(true);
    expect(ruleContains('203.0.113.7/32', '203.0.113.0/28')).toBe(false);
    expect(ruleContains('203.0.114.0/24', '203.0.113.7/32')).toBe(false);
    expect(coveringRule(['1.2.3.4', '203.0.113.0/28'], '203.0.113.7/32')).toBe('203.0.113.0/28');
    expect(coveringRule([], '203.0.113.7/32')).toBeNull();
  });
});

describe('planAdditions', () => {
  it('keeps every rule read, adds only what nothing covers, once per range, and stops at the quota', () => {
    const current = ['20.1.1.1', '198.51.100.0/24'];
    const plan = planAdditions(
      current,
      [
        { id: 'a', rule: '203.0.113.7/32' },
        { id: 'b', rule: '198.51.100.9/32' },
        { id: 'c', rule: '203.0.113.7/32' },
        { id: 'd', rule: '203.0.113.8/32' },
      ],
      4,
    );
    expect(plan.target).toEqual(['20.1.1.1', '198.51.100.0/24', '203.0.113.7/32', '203.0.113.8/32']);
    expect(plan.outcomes.get('a')).toEqual({ kind: 'added', value: '203.0.113.7/32' });
    expect(plan.outcomes.get('b')).toEqual({ kind: 'covered', by: '198.51.100.0/24' });
    expect(plan.outcomes.get('c')).toEqual({ kind: 'added', value: '203.0.113.7/32' });
    expect(plan.outcomes.get('d')).toEqual({ kind: 'added', value: '203.0.113.8/32' });
    const full = planAdditions(plan.target, [{ id: 'e', rule: '203.0.113.9/32' }], 4);
    expect(full).toMatchObject({ changed: false, target: plan.target });
    expect(full.outcomes.get('e')).toEqual({ kind: 'over_quota' });
  });

  it('property: the target keeps every rule read and admits every request that fits', () => {
    const ip = fc
      .tuple(
        fc.integer({ min: 1, max: 223 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 254 }),
      )
      .map((o) => `${o.join('.')}/32`);
    fc.assert(
      fc.property(fc.array(ip, { maxLength: 20 }), fc.array(ip, { maxLength: 20 }), (current, wanted) => {
        const plan = planAdditions(
          current,
          wanted.map((rule, i) => ({ id: String(i), rule })),
        );
        expect(plan.target.slice(0, current.length)).toEqual(current);
        for (const [i, rule] of wanted.entries()) {
          if (plan.outcomes.get(String(i))?.kind !== 'over_quota')
            expect(coveringRule(plan.target, rule)).not.toBeNull();
        }
      }),
    );
  });
});

describe('planRemovals', () => {
  it('removes only what the bot added for grants that ended', () => {
    const plan = planRemovals(
      ['20.1.1.1', '203.0.113.7/32', '203.0.113.8/32'],
      [
        { id: 'g1', rule: '203.0.113.7/32', ruleAdded: '203.0.113.7/32' },
        { id: 'g2', rule: '20.1.1.1/32', ruleAdded: null },
      ],
      [{ id: 'g3', rule: '203.0.113.8/32' }],
    );
    expect(plan.target).toEqual(['20.1.1.1', '203.0.113.8/32']);
    expect(plan.removed).toEqual(['203.0.113.7/32']);
    expect(plan.outcomes.get('g1')).toEqual({ kind: 'removed', value: '203.0.113.7/32' });
    expect(plan.outcomes.get('g2')).toMatchObject({ kind: 'kept', reason: expect.stringContaining('did not add') });
    expect(plan.adopt).toEqual([]);
  });

  it('overlapping grants: the rule stays while another active grant needs it, and that grant owns it from then on', () => {
    const plan = planRemovals(
      ['203.0.113.7/32'],
      [{ id: 'g1', rule: '203.0.113.7/32', ruleAdded: '203.0.113.7/32' }],
      [{ id: 'g2', rule: '203.0.113.7/32' }],
    );
    expect(plan).toMatchObject({
      changed: false,
      target: ['203.0.113.7/32'],
      removed: [],
      adopt: [{ grantId: 'g2', value: '203.0.113.7/32' }],
    });
    expect(plan.outcomes.get('g1')).toMatchObject({ kind: 'kept', neededBy: ['g2'] });
  });

  it('a wider rule the bot added comes off, and an active grant it covered gets its own /32 in the same write', () => {
    const plan = planRemovals(
      ['1.1.1.1', '203.0.113.0/28'],
      [{ id: 'wide', rule: '203.0.113.0/28', ruleAdded: '203.0.113.0/28' }],
      [{ id: 'one', rule: '203.0.113.7/32' }],
    );
    expect(plan.target).toEqual(['1.1.1.1', '203.0.113.7/32']);
    expect(plan.adopt).toEqual([{ grantId: 'one', value: '203.0.113.7/32' }]);
    expect(plan.outcomes.get('wide')).toEqual({ kind: 'removed', value: '203.0.113.0/28' });
  });

  it('a value already gone is recorded as kept with the reason, and nothing is written', () => {
    const plan = planRemovals(['1.1.1.1'], [{ id: 'g', rule: '203.0.113.7/32', ruleAdded: '203.0.113.7/32' }], []);
    expect(plan.changed).toBe(false);
    expect(plan.outcomes.get('g')).toMatchObject({
      kind: 'kept',
      reason: expect.stringContaining('no longer on the registry'),
    });
  });
});

describe('registryRefusal', () => {
  const base = {
    name: 'reg',
    sku: 'Premium',
    publicNetworkAccess: 'Enabled' as const,
    defaultAction: 'Deny' as const,
    ipRules: [] as string[],
  };
  it('refuses below Premium, with public access disabled, with default action Allow, and when the quota is full', () => {
    expect(registryRefusal({ ...base, sku: 'Basic' }, '203.0.113.7/32')?.code).toBe('not_premium');
    expect(registryRefusal({ ...base, publicNetworkAccess: 'Disabled' }, '203.0.113.7/32')?.code).toBe(
      'public_access_disabled',
    );
    expect(registryRefusal({ ...base, defaultAction: 'Allow' }, '203.0.113.7/32')?.code).toBe('firewall_allows_all');
    const rules = Array.from({ length: 199 }, (_, i) => `40.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(registryRefusal({ ...base, ipRules: rules }, '203.0.113.7/32')).toBeNull();
    expect(registryRefusal({ ...base, ipRules: rules }, '203.0.113.7/32', ['203.0.113.8/32'])?.code).toBe('quota_full');
    expect(registryRefusal({ ...base, ipRules: [...rules, '1.1.1.1'] }, '203.0.113.7/32')?.code).toBe('quota_full');
  });
});

describe('durations and flags', () => {
  it('offers choices up to the maximum, the default, permanent only when allowed, and shorter-only for narrowing', () => {
    expect(durationChoices({ maxMs: 8 * 3_600_000, include: 3 * 3_600_000 }).map((c) => c.value)).toEqual([
      '15m',
      '30m',
      '1h',
      '2h',
      '3h',
      '4h',
      '8h',
    ]);
    expect(durationChoices({ maxMs: 3_600_000, permanent: true }).map((c) => c.value)).toEqual([
      '15m',
      '30m',
      '1h',
      'permanent',
    ]);
    expect(durationChoices({ maxMs: 86_400_000, below: 2 * 3_600_000 }).map((c) => c.value)).toEqual([
      '15m',
      '30m',
      '1h',
    ]);
    expect(readDuration('4h')).toEqual({ ms: 4 * 3_600_000 });
    expect(readDuration('permanent')).toBe('permanent');
    expect(readDuration('forever')).toBe('invalid');
    expect(readDuration(undefined)).toBeNull();
  });

  it('flags documentation addresses, ranges, break-glass and permanent rules', () => {
    expect(riskFlags({ rule: '203.0.113.0/28', durationMs: null, breakGlass: true })).toEqual([
      expect.stringContaining('16 addresses'),
      expect.stringContaining('documentation-range'),
      expect.stringContaining('Break-glass'),
      expect.stringContaining('Permanent'),
    ]);
    expect(riskFlags({ rule: '20.61.14.37/32', durationMs: 3_600_000, breakGlass: false })).toEqual([]);
  });
});

describe('writes by others in the window before a PATCH', () => {
  const w = (at: string, caller: string | null, status: string, correlationId: string | null) => ({
    at,
    caller,
    status,
    correlationId,
  });

  it("leaves out the bot's own PATCH and whatever else its caller wrote, failed writes, and repeated phases", () => {
    const log = [
      w('2026-03-02T09:00:03Z', 'bot-app-id', 'Accepted', 'ours'),
      w('2026-03-02T09:00:01Z', 'bot-app-id', 'Succeeded', 'earlier-batch'),
      w('2026-03-02T09:00:02Z', 'alex@contoso.com', 'Started', 'alex-op'),
      w('2026-03-02T09:00:04Z', 'alex@contoso.com', 'Succeeded', 'alex-op'),
      w('2026-03-02T09:00:02Z', 'sam@contoso.com', 'Started', 'sam-op'),
      w('2026-03-02T09:00:03Z', 'sam@contoso.com', 'Failed', 'sam-op'),
      w('2026-03-02T09:00:00Z', null, 'Succeeded', null),
    ];
    expect(writesByOthers(log, 'OURS').map((x) => [x.caller, x.at])).toEqual([
      [null, '2026-03-02T09:00:00Z'],
      ['alex@contoso.com', '2026-03-02T09:00:02Z'],
    ]);
  });

  it("without its own event in the log the bot's caller is unknown: only its correlation id is left out", () => {
    const log = [w('2026-03-02T09:00:01Z', 'bot-app-id', 'Succeeded', 'earlier-batch')];
    expect(writesByOthers(log, 'ours')).toHaveLength(1);
    expect(writesByOthers(log, 'earlier-batch')).toEqual([]);
  });
});
