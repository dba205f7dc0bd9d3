/**
 * A "Free N slots" change: the rules to take off (each with the rule that makes it safe to), the merged prefixes to
 * write, and the addresses those merges add. Approved like any request, then planned again on the worker's fresh
 * read: a change whose facts no longer hold is refused, never half applied. Pure; set arithmetic from cidr-tools.
 */
import { excludeCidr } from 'cidr-tools';
import { sameRule } from '../ip.js';
import { canonicalCidr, type RuleHygiene } from './analyse.js';

export interface Removal {
  /** As written on the registry. */
  value: string;
  why: 'duplicate' | 'covered' | 'merged';
  /** The rule that stays (or, for a merge, is written) and admits every address of `value`. */
  by: string;
}

export interface RuleCleanup {
  remove: Removal[];
  /** Merged prefixes to write. */
  add: string[];
  /** Addresses the merges admit that no rule admitted before, as CIDR ranges; empty for a lossless change. */
  widens: string[];
}

/** The change an analysis offers: duplicates and covered rules, plus the merges when asked (and allowed). */
export function cleanupOf(
  h: RuleHygiene,
  opts: { merges: boolean; mergeAllowed?: (into: string) => boolean } = { merges: false },
): RuleCleanup {
  const remove: Removal[] = [
    ...h.duplicates.map((d) => ({ value: d.value, why: 'duplicate' as const, by: d.sameAs })),
    ...h.covered.map((c) => ({ value: c.value, why: 'covered' as const, by: c.by })),
  ];
  const merges = opts.merges ? h.merges.filter((m) => opts.mergeAllowed?.(m.into) ?? true) : [];
  for (const m of merges) {
    // A rule whose proof is merged away is proved by the merged prefix, which holds its proof.
    for (const r of remove) if (m.values.includes(r.by)) r.by = m.into;
    for (const v of m.values) remove.push({ value: v, why: 'merged', by: m.into });
  }
  return { remove, add: merges.map((m) => m.into), widens: merges.flatMap((m) => m.added) };
}

/** Slots the change frees: rules taken off less prefixes written. */
export function slotsFreed(c: Pick<RuleCleanup, 'remove' | 'add'>): number {
  return c.remove.length - c.add.length;
}

function ranges(rules: readonly string[]): string[] {
  return rules.map(canonicalCidr).filter((c): c is string => c !== null);
}

/** Addresses `before` admits that `after` does not (CIDR ranges): empty when nobody loses access. */
export function lostAddresses(before: readonly string[], after: readonly string[]): string[] {
  const b = ranges(before);
  if (b.length === 0) return [];
  const a = ranges(after);
  return a.length === 0 ? excludeCidr(b, []).map(String) : excludeCidr(b, a).map(String);
}

/** Addresses `after` admits that `before` did not. */
export function gainedAddresses(before: readonly string[], after: readonly string[]): string[] {
  return lostAddresses(after, before);
}

export type CleanupPlan = { ok: true; target: string[] } | { ok: false; reason: string };

/**
 * The complete rule list after the change, planned on `current` (a fresh read): every listed rule must still be
 * there (one occurrence taken off per listing), every proving rule must stay or be written, nobody may lose an
 * address, and the merges may add no address beyond the ones the approvers saw.
 */
export function planCleanup(current: readonly string[], c: RuleCleanup): CleanupPlan {
  const target = [...current];
  for (const r of c.remove) {
    const i = target.indexOf(r.value);
    if (i < 0) return { ok: false, reason: `${r.value} is no longer on the registry` };
    target.splice(i, 1);
  }
  for (const a of c.add) if (!target.some((t) => sameRule(t, a))) target.push(a);
  for (const r of c.remove)
    if (!target.some((t) => sameRule(t, r.by)))
      return { ok: false, reason: `${r.by}, which made ${r.value} redundant, is no longer on the registry` };
  const lost = lostAddresses(current, target);
  if (lost.length > 0)
    return { ok: false, reason: `the change would take access away from ${lost.slice(0, 5).join(', ')}` };
  const gained = gainedAddresses(current, target);
  const beyond = lostAddresses(gained, c.widens);
  if (beyond.length > 0)
    return {
      ok: false,
      reason: `the change would admit ${beyond.slice(0, 5).join(', ')}, which the approvers did not see`,
    };
  return { ok: true, target };
}
