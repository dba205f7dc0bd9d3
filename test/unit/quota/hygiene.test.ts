/**
 * Rule-quota hygiene (core/quota): duplicates, covered rules, merges, the broadestPrefix refusal, and the change a
 * "Free N slots" request applies. Access is checked address by address with core's ruleCovers, never by trusting
 * the plan.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ruleCovers } from '../../../src/core/ip.js';
import {
  analyseRules,
  cleanupOf,
  hygieneView,
  mergeVerdicts,
  planCleanup,
  slotsFreed,
} from '../../../src/core/quota/index.js';

/** Every address of 20.1.2.0/24 the rules admit. */
function admitted(rules: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < 256; i++) if (rules.some((r) => ruleCovers(r, `20.1.2.${i}`))) out.add(i);
  return out;
}

const policy = (broadestPrefix: number) => ({ broadestPrefix, source: 'registries[0]' });

describe('analyseRules', () => {
  it('finds duplicates however they are written, keeping the first copy', () => {
    const h = analyseRules(['52.174.20.9', '40.74.28.0/28', '52.174.20.9/32', '40.74.28.0/28']);
    expect(h.duplicates).toEqual([
      { value: '52.174.20.9/32', sameAs: '52.174.20.9' },
      { value: '40.74.28.0/28', sameAs: '40.74.28.0/28' },
    ]);
    expect(h.covered).toEqual([]);
  });

  it('finds rules inside a wider rule and names the widest one as the proof', () => {
    const h = analyseRules(['20.1.2.0/26', '20.1.2.7', '20.1.0.0/16', '20.1.3.0/24', '51.4.4.4']);
    expect(h.covered).toEqual([
      { value: '20.1.2.0/26', by: '20.1.0.0/16' },
      { value: '20.1.2.7', by: '20.1.0.0/16' },
      { value: '20.1.3.0/24', by: '20.1.0.0/16' },
    ]);
    expect(h.duplicates).toEqual([]);
  });

  it('a copy of a covered rule is covered by the same wider rule, so its proof stays', () => {
    const h = analyseRules(['20.1.2.3', '20.1.2.3/32', '20.1.2.0/24']);
    expect(h.duplicates).toEqual([]);
    expect(h.covered).toEqual([
      { value: '20.1.2.3', by: '20.1.2.0/24' },
      { value: '20.1.2.3/32', by: '20.1.2.0/24' },
    ]);
  });

  it('never removes, merges or leans on a rule the bot keeps for an active grant', () => {
    const h = analyseRules(['20.1.2.0/24', '20.1.2.9/32', '51.4.4.4', '51.4.4.4/32', '51.4.4.5'], {
      managed: ['20.1.2.0/24', '51.4.4.4/32'],
    });
    // 20.1.2.9 is inside the grant's /24, which comes off when the grant ends: not redundant.
    expect(h.covered).toEqual([]);
    // 51.4.4.4 and the grant's 51.4.4.4/32 are the same range, but the grant's copy leaves with the grant.
    expect(h.duplicates).toEqual([]);
    expect(h.merges).toEqual([]);
  });

  it('merges siblings exactly (no address added) with cidr-tools', () => {
    const h = analyseRules(['40.0.0.0/25', '9.9.9.9', '40.0.0.128/25', '51.4.4.4', '51.4.4.5']);
    expect(h.merges).toEqual([
      { values: ['40.0.0.0/25', '40.0.0.128/25'], into: '40.0.0.0/24', added: [], addedCount: 0 },
      { values: ['51.4.4.4', '51.4.4.5'], into: '51.4.4.4/31', added: [], addedCount: 0 },
    ]);
  });

  it('offers a widening merge of neighbours only when half the prefix is admitted already, and lists what it adds', () => {
    const h = analyseRules(['51.4.4.9', '51.4.4.10', '51.4.4.200']);
    expect(h.merges).toEqual([
      { values: ['51.4.4.9', '51.4.4.10'], into: '51.4.4.8/30', added: ['51.4.4.8/32', '51.4.4.11/32'], addedCount: 2 },
    ]);
    // .10 and .200 are neighbours too, but a /24 for them would admit 253 new addresses: not offered.
    expect(h.merges.some((m) => m.values.includes('51.4.4.200'))).toBe(false);
  });
});

describe('mergeVerdicts: a merge is a widening under broadestPrefix', () => {
  const h = analyseRules(['51.4.4.9', '51.4.4.10', '40.0.0.0/25', '40.0.0.128/25']);

  it('refuses a merged prefix broader than policy allows, exact or not', () => {
    const v = mergeVerdicts(h, policy(28));
    expect(v.find((m) => m.into === '51.4.4.8/30')!.refusal).toBeNull();
    expect(v.find((m) => m.into === '40.0.0.0/24')!.refusal).toMatch(
      /wider than policy allows \(registries\[0\]: at most \/28/,
    );
    expect(mergeVerdicts(h, policy(32)).every((m) => m.refusal !== null)).toBe(true);
  });

  it('a refused merge is listed with the reason and left out of every offer', () => {
    const view = hygieneView({
      registry: {
        id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerRegistry/registries/r',
        name: 'r',
      },
      hygiene: h,
      mergeVerdicts: mergeVerdicts(h, policy(28)),
      stale: [],
      offerRefusal: null,
    });
    const merges = view.sections.find((s) => s.title.startsWith('Neighbours'))!;
    expect(merges.lines.join('\n')).toContain(
      '40.0.0.0/25 + 40.0.0.128/25 → 40.0.0.0/24 (frees 1 slot, adds no address). Not offered:',
    );
    expect(merges.lines.join('\n')).toContain('adds 2 addresses: 51.4.4.8/32, 51.4.4.11/32');
    expect(view.offers).toEqual([
      expect.objectContaining({
        label: 'Free 1 slot, merging',
        data: expect.objectContaining({ merges: true, slots: 1 }),
      }),
    ]);
  });
});

describe('the Free N slots change', () => {
  const rules = ['20.1.2.3', '20.1.2.0/26', '20.1.2.3/32', '20.1.2.40', '20.1.2.128/28', '20.1.2.130', '20.1.2.200'];

  it('takes off exactly the duplicates and covered rules, and every address admitted before still is', () => {
    const c = cleanupOf(analyseRules(rules));
    expect(c.remove.map((r) => [r.value, r.why, r.by])).toEqual([
      ['20.1.2.3', 'covered', '20.1.2.0/26'],
      ['20.1.2.3/32', 'covered', '20.1.2.0/26'],
      ['20.1.2.40', 'covered', '20.1.2.0/26'],
      ['20.1.2.130', 'covered', '20.1.2.128/28'],
    ]);
    expect(slotsFreed(c)).toBe(4);
    const plan = planCleanup(rules, c);
    expect(plan).toEqual({ ok: true, target: ['20.1.2.0/26', '20.1.2.128/28', '20.1.2.200'] });
    if (plan.ok) expect(admitted(plan.target)).toEqual(admitted(rules));
  });

  it('is refused on a fresh read where its proof has gone or a listed rule is missing', () => {
    const c = cleanupOf(analyseRules(rules));
    expect(
      planCleanup(
        rules.filter((r) => r !== '20.1.2.40'),
        c,
      ),
    ).toEqual({
      ok: false,
      reason: '20.1.2.40 is no longer on the registry',
    });
    expect(
      planCleanup(
        rules.filter((r) => r !== '20.1.2.0/26'),
        c,
      ),
    ).toEqual({
      ok: false,
      reason: '20.1.2.0/26, which made 20.1.2.3 redundant, is no longer on the registry',
    });
  });

  it('refuses to admit addresses beyond the ones the approvers saw', () => {
    const c = cleanupOf(analyseRules(['51.4.4.9', '51.4.4.10']), { merges: true });
    expect(c.widens).toEqual(['51.4.4.8/32', '51.4.4.11/32']);
    expect(planCleanup(['51.4.4.9', '51.4.4.10'], c)).toEqual({ ok: true, target: ['51.4.4.8/30'] });
    const plan = planCleanup(['51.4.4.9', '51.4.4.10'], { ...c, widens: ['51.4.4.8/32'] });
    expect(plan).toEqual({
      ok: false,
      reason: 'the change would admit 51.4.4.11/32, which the approvers did not see',
    });
  });

  it('property: a lossless change never takes an address away, and a merging one adds exactly what it lists', () => {
    const rule = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom(24, 25, 26, 27, 28, 29, 30, 31, 32), fc.boolean())
      .map(([i, bits, bare]) => {
        const net = i & (bits === 32 ? 255 : (0xff << (32 - bits)) & 255);
        return bits === 32 && bare ? `20.1.2.${net}` : `20.1.2.${net}/${bits}`;
      });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 24 }), (rs) => {
        const h = analyseRules(rs);
        const lossless = planCleanup(rs, cleanupOf(h));
        if (!lossless.ok) return false;
        const before = admitted(rs);
        expect(admitted(lossless.target)).toEqual(before);
        const c = cleanupOf(h, { merges: true });
        const merged = planCleanup(rs, c);
        if (!merged.ok) return false;
        const after = admitted(merged.target);
        for (const a of before) expect(after.has(a)).toBe(true);
        const added = [...after].filter((a) => !before.has(a));
        expect(added.length).toBe(h.merges.reduce((n, m) => n + m.addedCount, 0));
        for (const a of added) expect(c.widens.some((w) => ruleCovers(w, `20.1.2.${a}`))).toBe(true);
        return merged.target.length === rs.length - slotsFreed(c);
      }),
      { numRuns: 60 },
    );
  });
});
