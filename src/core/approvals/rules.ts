/**
 * Rule-set planning for the apply worker: what to add for approved requests and what to take off when grants end,
 * from the rule list just read from ARM. ARM replaces `networkRuleSet` whole and has no ETag (docs/azure.md,
 * "Changing the rules"), so every plan starts from a fresh read and keeps every rule present in it unless the bot
 * itself added that value for a grant that has ended and no active grant still needs it. Pure: no I/O, no clock.
 */
import { normaliseRule, ruleBreadth, ruleCovers, sameRule } from '../ip.js';
import { MAX_IP_RULES } from '../registry.js';
import { ruleKeptBecause } from '../requests/grant.js';

/** Does `outer` (a rule as written on a registry, host bits tolerated) admit every address of `inner` (a CIDR)? */
export function ruleContains(outer: string, inner: string): boolean {
  const i = normaliseRule(inner);
  const o = ruleBreadth(outer);
  if (!i.ok || o === null) return false;
  return o.prefixLength <= i.rule.prefixLength && ruleCovers(outer, i.rule.network);
}

/** The first rule in `rules` that admits all of `rule`, as written on the registry; null when none does. */
export function coveringRule(rules: readonly string[], rule: string): string | null {
  for (const r of rules) if (ruleContains(r, rule)) return r;
  return null;
}

function indexOfSame(rules: readonly string[], value: string): number {
  return rules.findIndex((r) => sameRule(r, value));
}

export interface WantedRule {
  /** Request id. */
  id: string;
  /** Canonical CIDR the request asks for. */
  rule: string;
}

export type AdditionOutcome =
  /** An existing rule (present at the read) already admits it: nothing to write, and the bot does not own that rule. */
  | { kind: 'covered'; by: string }
  /** Written by this plan (possibly shared with another request of the batch asking for the same range). */
  | { kind: 'added'; value: string }
  /** The registry would exceed its rule quota. */
  | { kind: 'over_quota' };

export interface AdditionPlan {
  /** The complete list to PATCH: every rule of the read, in its order, then the additions. */
  target: string[];
  /** Values this plan adds. */
  added: string[];
  outcomes: Map<string, AdditionOutcome>;
  /** False when the read already admits every request (no PATCH needed). */
  changed: boolean;
}

/**
 * Add, to the rules just read, one rule per request that nothing covers yet; requests that no longer fit the quota
 * are marked (first come, first served, in the order given).
 */
export function planAdditions(
  current: readonly string[],
  wanted: readonly WantedRule[],
  maxRules = MAX_IP_RULES,
): AdditionPlan {
  const target = [...current];
  const added: string[] = [];
  const outcomes = new Map<string, AdditionOutcome>();
  for (const w of wanted) {
    const existing = coveringRule(current, w.rule);
    if (existing !== null) {
      outcomes.set(w.id, { kind: 'covered', by: existing });
      continue;
    }
    const mine = coveringRule(added, w.rule);
    if (mine !== null) {
      outcomes.set(w.id, { kind: 'added', value: mine });
      continue;
    }
    if (target.length >= maxRules) {
      outcomes.set(w.id, { kind: 'over_quota' });
      continue;
    }
    target.push(w.rule);
    added.push(w.rule);
    outcomes.set(w.id, { kind: 'added', value: w.rule });
  }
  return { target, added, outcomes, changed: added.length > 0 };
}

/** A grant that has ended (expired or revoked) and whose rule may have to come off. */
export interface EndingGrant {
  id: string;
  rule: string;
  /** The value the bot wrote for this grant (or took over from another one); null = the bot did not add it. */
  ruleAdded: string | null;
}

/** A grant that is still active on the same registry. */
export interface ActiveGrant {
  id: string;
  rule: string;
}

export type RemovalOutcome =
  | { kind: 'removed'; value: string }
  /** Left on the registry; `reason` says why, for the audit log. */
  | { kind: 'kept'; reason: string; neededBy: readonly string[] };

export interface RemovalPlan {
  target: string[];
  /** Values taken off. */
  removed: string[];
  outcomes: Map<string, RemovalOutcome>;
  /**
   * Active grants that now own a value: either the value an ending grant added and they still need (it stays), or
   * their own rule, added because a wider rule that covered them comes off. Record these before the PATCH.
   */
  adopt: Array<{ grantId: string; value: string }>;
  changed: boolean;
}

/**
 * Take off the values that ending grants added, unless an active grant still needs them (overlapping grants are
 * never revoked early). A rule the bot did not add is never removed. When a wider rule that the bot added comes off
 * while an active grant relied on it, that grant's own (narrower) rule is added in the same write.
 */
export function planRemovals(
  current: readonly string[],
  ending: readonly EndingGrant[],
  active: readonly ActiveGrant[],
): RemovalPlan {
  const owned = ending.filter((e) => e.ruleAdded !== null).map((e) => e.ruleAdded!);
  const removable = current.filter((r) => owned.some((v) => sameRule(r, v)));
  const keep = new Set<string>(); // removable values that stay because an active grant needs them
  const extra: string[] = []; // narrower rules added for active grants that relied on a wider one
  const stays = (): string[] => [...current.filter((r) => !removable.includes(r) || keep.has(r)), ...extra];
  const adopt: RemovalPlan['adopt'] = [];
  const keptFor = new Map<string, string[]>(); // removable value → active grants that keep it

  for (const a of active) {
    if (coveringRule(stays(), a.rule) !== null) continue; // still admitted by something that stays
    const relied = removable.find((r) => ruleContains(r, a.rule));
    if (relied === undefined) continue; // it was not covered before either: drift, for the reconciler to report
    const exact = removable.find((r) => sameRule(r, a.rule));
    const value = exact ?? a.rule;
    if (exact !== undefined) keep.add(exact);
    else extra.push(a.rule);
    adopt.push({ grantId: a.id, value });
    keptFor.set(exact ?? relied, [...(keptFor.get(exact ?? relied) ?? []), a.id]);
  }
  const target = stays();

  const removed = removable.filter((r) => !target.includes(r));
  const outcomes = new Map<string, RemovalOutcome>();
  for (const e of ending) {
    const onRegistry = e.ruleAdded === null ? undefined : current.find((r) => sameRule(r, e.ruleAdded!));
    const neededBy = onRegistry === undefined ? [] : (keptFor.get(onRegistry) ?? []);
    const reason = ruleKeptBecause(e.ruleAdded, { before: current, after: target }, neededBy);
    outcomes.set(e.id, reason === null ? { kind: 'removed', value: onRegistry! } : { kind: 'kept', reason, neededBy });
  }
  const changed = target.length !== current.length || target.some((r, i) => r !== current[i]);
  return { target, removed, outcomes, adopt, changed };
}

/** Values of `wanted` (rules the bot meant to add) that are missing from `rules`. */
export function missingRules(rules: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((w) => indexOfSame(rules, w) < 0);
}

/** Values of `values` still present in `rules`. */
export function presentRules(rules: readonly string[], values: readonly string[]): string[] {
  return values.filter((v) => indexOfSame(rules, v) >= 0);
}

/** Values in `after` that are not in `before` (compared after normalisation). */
export function addedBetween(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((a) => indexOfSame(before, a) < 0);
}

/** The active grants that own `value` (took it over, or added it): why an ended grant's rule stays. */
export function ownersOf(
  value: string | null,
  active: ReadonlyArray<{ id: string; ruleAdded: string | null }>,
): string[] {
  if (value === null) return [];
  return active.filter((a) => a.ruleAdded !== null && sameRule(a.ruleAdded, value)).map((a) => a.id);
}

/**
 * The rules to count as "before" an apply, for the audit diff and for who owns a value: the read, minus values an
 * earlier, unconfirmed write for these very requests added (a write whose answer was lost is still the bot's).
 */
export function rulesBefore(
  read: readonly string[],
  earlier: ReadonlyArray<{ rule: string; before: readonly string[]; target: readonly string[] }>,
): string[] {
  const claimed = earlier.flatMap((e) =>
    addedBetween(e.before, e.target).filter((v) => sameRule(v, e.rule) && presentRules(read, [v]).length > 0),
  );
  return read.filter((v) => !claimed.some((c) => sameRule(c, v)));
}
