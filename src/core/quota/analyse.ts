/**
 * Rule-quota hygiene: which of a registry's IP rules can go without anyone losing access, and which neighbours
 * could become one prefix. Pure. Containment, unions and differences come from cidr-tools; a rule is read the way
 * core/ip.ts reads an existing rule (`1.2.3.4` ≡ `1.2.3.4/32`, host bits masked off).
 *
 * - a duplicate names the same range as an earlier rule (`20.1.2.3` and `20.1.2.3/32`);
 * - a covered rule lies inside a strictly wider rule that stays;
 * - a merge replaces rules that sit next to each other with the one prefix that holds them. When their union is
 *   exactly that prefix it adds no address; otherwise it adds the listed ones, and it is offered only when at least
 *   half of the prefix is admitted already.
 *
 * Rules the bot keeps for an active grant (`managed`) leave when that grant ends, so they are never removed or
 * merged here, never prove that another rule is redundant, and a rule of the same range is not called a duplicate.
 */
import { excludeCidr, mergeCidr, parseCidr } from 'cidr-tools';
import { ipv4Range, sameRule } from '../ip.js';

export interface Duplicate {
  /** The rule as written on the registry. */
  value: string;
  /** The earlier rule naming the same range, which stays. */
  sameAs: string;
}

export interface Covered {
  value: string;
  /** The widest rule that admits every address of `value`, which stays. */
  by: string;
}

export interface Merge {
  /** The rules it replaces, as written. */
  values: string[];
  /** The one prefix written instead. */
  into: string;
  /** Addresses the prefix admits that none of `values` did, as CIDR ranges (empty: an exact merge). */
  added: string[];
  addedCount: number;
}

export interface RuleHygiene {
  ruleCount: number;
  duplicates: Duplicate[];
  covered: Covered[];
  merges: Merge[];
}

interface Entry {
  value: string;
  /** Position on the registry (-1 for a prefix made here). */
  index: number;
  cidr: string;
  start: bigint;
  end: bigint;
  prefix: number;
}

function dotted(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A rule as the range it admits, `a.b.c.d/nn` (`1.2.3.4` → `1.2.3.4/32`); null for anything not IPv4. */
export function canonicalCidr(value: string): string | null {
  const r = ipv4Range(value);
  return r === null ? null : `${dotted(r.network)}/${r.prefixLength}`;
}

function entryOf(value: string, index = -1): Entry | null {
  const cidr = canonicalCidr(value);
  if (cidr === null) return null;
  const p = parseCidr(cidr);
  return { value, index, cidr, start: p.start, end: p.end, prefix: Number(p.prefix) };
}

const inside = (outer: Entry, inner: Entry): boolean => outer.start <= inner.start && inner.end <= outer.end;
const size = (e: Pick<Entry, 'start' | 'end'>): bigint => e.end - e.start + 1n;

/** The smallest prefix holding both ranges (`a` before `b`). */
function commonPrefix(a: Entry, b: Entry): Entry {
  let bits = Math.min(a.prefix, b.prefix);
  // Blocks are disjoint and `a` comes first.
  const lo = a.start;
  const hi = b.end;
  for (; bits > 0; bits--) {
    const block = 1n << BigInt(32 - bits);
    const start = (lo / block) * block;
    if (hi <= start + block - 1n) break;
  }
  const block = 1n << BigInt(32 - bits);
  const start = (lo / block) * block;
  const cidr = `${dotted(Number(start))}/${bits}`;
  return { value: cidr, index: -1, cidr, start, end: start + block - 1n, prefix: bits };
}

/** Candidate blocks for merging: exact unions first (cidr-tools' mergeCidr), each with the rules inside it. */
interface Block extends Entry {
  members: Entry[];
}

function exactBlocks(rest: Entry[]): Block[] {
  const merged = mergeCidr(rest.map((e) => e.cidr))
    .map((c) => entryOf(String(c)))
    .filter((e): e is Entry => e !== null);
  return merged
    .map((m) => ({ ...m, members: rest.filter((e) => inside(m, e)) }))
    .sort((x, y) => (x.start < y.start ? -1 : 1));
}

/** Neighbouring blocks whose smallest common prefix is at least half admitted already, narrowest first. */
function nearMerges(blocks: Block[]): Block[] {
  const candidates: Block[] = [];
  for (let i = 0; i + 1 < blocks.length; i++) {
    const p = commonPrefix(blocks[i]!, blocks[i + 1]!);
    const within = blocks.filter((b) => inside(p, b));
    const admitted = within.reduce((n, b) => n + size(b), 0n);
    if (admitted * 2n >= size(p)) candidates.push({ ...p, members: within.flatMap((b) => b.members) });
  }
  candidates.sort((x, y) => y.prefix - x.prefix || (x.start < y.start ? -1 : 1));
  const chosen: Block[] = [];
  for (const c of candidates) if (!chosen.some((k) => inside(k, c) || inside(c, k))) chosen.push(c);
  const taken = (b: Block) => chosen.some((k) => inside(k, b));
  return [...chosen, ...blocks.filter((b) => !taken(b))];
}

export function analyseRules(rules: readonly string[], opts: { managed?: readonly string[] } = {}): RuleHygiene {
  const managed = opts.managed ?? [];
  const isManaged = (v: string) => managed.some((m) => sameRule(m, v));
  const entries = rules.map((r, i) => entryOf(r, i)).filter((e): e is Entry => e !== null);

  const duplicates: Array<Duplicate & { index: number }> = [];
  const keepers: Entry[] = [];
  const groups = new Map<string, Entry[]>();
  for (const e of entries) groups.set(e.cidr, [...(groups.get(e.cidr) ?? []), e]);
  for (const group of groups.values()) {
    const first = group[0]!;
    if (group.some((e) => isManaged(e.value))) {
      keepers.push(...group);
      continue;
    }
    keepers.push(first);
    for (const e of group.slice(1)) duplicates.push({ value: e.value, sameAs: first.value, index: e.index });
  }

  const proof = keepers.filter((e) => !isManaged(e.value));
  const covered: Array<Covered & { index: number }> = [];
  const rest: Entry[] = [];
  for (const e of keepers) {
    if (isManaged(e.value)) continue;
    const wider = proof.filter((w) => w.prefix < e.prefix && inside(w, e)).sort((x, y) => x.prefix - y.prefix)[0];
    if (wider) covered.push({ value: e.value, by: wider.value, index: e.index });
    else rest.push(e);
  }

  // A duplicate of a covered rule is covered by the same wider rule (its first copy goes too).
  for (const d of [...duplicates]) {
    const by = covered.find((c) => c.value === d.sameAs)?.by;
    if (by === undefined) continue;
    duplicates.splice(duplicates.indexOf(d), 1);
    covered.push({ value: d.value, by, index: d.index });
  }
  const merges: Merge[] = nearMerges(exactBlocks(rest))
    .filter((b) => b.members.length >= 2)
    .map((b) => {
      const added = excludeCidr(
        b.cidr,
        b.members.map((m) => m.cidr),
      ).map(String);
      return {
        values: b.members.map((m) => m.value),
        into: b.cidr,
        added,
        addedCount: Number(size(b) - b.members.reduce((n, m) => n + size(m), 0n)),
      };
    });
  const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index;
  return {
    ruleCount: rules.length,
    duplicates: duplicates.sort(byIndex).map(({ value, sameAs }) => ({ value, sameAs })),
    covered: covered.sort(byIndex).map(({ value, by }) => ({ value, by })),
    merges,
  };
}
