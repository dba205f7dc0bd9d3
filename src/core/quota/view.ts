/**
 * What a firewall view or a quota diagnosis says about rule hygiene, in words built once for every platform:
 * what can go, the proof that nobody loses access, what a merge would add, and the "Free N slots" offers.
 * Renderers only lay these out. Rule values come from Azure: renderers escape them like any other text.
 */
import { APPROVAL_VERBS } from '../approval-views.js';
import { MAX_IP_RULES } from '../registry.js';
import type { RuleHygiene } from './analyse.js';
import { cleanupOf, slotsFreed } from './cleanup.js';
import type { HygieneOffer, HygieneView, MergeVerdict, StaleGrantRule } from './view-types.js';

export type { HygieneView, MergeVerdict, StaleGrantRule } from './view-types.js';

/** From this many rules on, a diagnosis looks for slots to free (ACR's limit is MAX_IP_RULES). */
export const HYGIENE_THRESHOLD = 180;

/** Lines listed per section; the rest are counted. */
const MAX_LINES = 12;

function listed(lines: string[]): string[] {
  return lines.length <= MAX_LINES ? lines : [...lines.slice(0, MAX_LINES), `and ${lines.length - MAX_LINES} more`];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function addresses(n: number): string {
  return plural(n, 'address', 'addresses');
}

export function hygieneView(input: {
  registry: { id: string; name: string };
  hygiene: RuleHygiene;
  mergeVerdicts: readonly MergeVerdict[];
  stale: readonly StaleGrantRule[];
  /** Null when requests can be made; else why not (shown instead of the buttons). */
  offerRefusal: string | null;
}): HygieneView {
  const { registry, hygiene: h } = input;
  const refusalOf = (into: string) => input.mergeVerdicts.find((v) => v.into === into)?.refusal ?? null;
  const lossless = cleanupOf(h, { merges: false });
  const withMerges = cleanupOf(h, { merges: true, mergeAllowed: (into) => refusalOf(into) === null });
  const free = slotsFreed(lossless);
  const freeMore = slotsFreed(withMerges);

  const sections: HygieneView['sections'] = [];
  if (h.duplicates.length > 0)
    sections.push({
      title: `Duplicates (${h.duplicates.length})`,
      lines: listed(h.duplicates.map((d) => `${d.value} is the same range as ${d.sameAs}, which stays`)),
    });
  if (h.covered.length > 0)
    sections.push({
      title: `Covered by a wider rule (${h.covered.length})`,
      lines: listed(h.covered.map((c) => `${c.value} is inside ${c.by}, which stays`)),
    });
  if (h.merges.length > 0)
    sections.push({
      title: `Neighbours that merge into one prefix (${h.merges.length})`,
      lines: listed(
        h.merges.map((m) => {
          const adds =
            m.addedCount === 0
              ? 'adds no address'
              : `adds ${addresses(m.addedCount)}: ${m.added.slice(0, 8).join(', ')}${m.added.length > 8 ? ', …' : ''}`;
          const refusal = refusalOf(m.into);
          return `${m.values.join(' + ')} → ${m.into} (frees ${plural(m.values.length - 1, 'slot')}, ${adds})${refusal ? `. Not offered: ${refusal}` : ''}`;
        }),
      ),
    });
  if (input.stale.length > 0)
    sections.push({
      title: `Rules of ended grants still on the registry (${input.stale.length})`,
      lines: listed(
        input.stale.map(
          (s) =>
            `${s.value} was added by the bot for request ${s.requestId}, whose grant ended${s.endedAt ? ` at ${s.endedAt}` : ''}: it should have come off`,
        ),
      ),
    });

  const used = `${registry.name} uses ${h.ruleCount} of ${MAX_IP_RULES} IP rules.`;
  const parts: string[] = [];
  if (h.duplicates.length > 0) parts.push(plural(h.duplicates.length, 'duplicate'));
  if (h.covered.length > 0) parts.push(`${h.covered.length} covered by a wider rule`);
  let summary =
    free > 0
      ? `${used} ${plural(free, 'rule')} can go without anyone losing access (${parts.join(', ')}): each is a copy of, or inside, a rule that stays.`
      : `${used} No rule is a duplicate of, or inside, another.`;
  if (freeMore > free)
    summary += ` Merging neighbours frees ${plural(freeMore - free, 'more slot')}, but admits addresses no rule admitted before.`;
  if (input.stale.length > 0)
    summary += ` ${plural(input.stale.length, 'rule')} the bot added outlived ${input.stale.length === 1 ? 'its grant' : 'their grants'}.`;

  const offers: HygieneOffer[] = [];
  if (input.offerRefusal === null) {
    if (free > 0)
      offers.push({
        label: `Free ${plural(free, 'slot')}`,
        verb: APPROVAL_VERBS.freeSlots,
        data: { registryId: registry.id, merges: false, slots: free },
        primary: true,
      });
    if (freeMore > free)
      offers.push({
        label: `Free ${plural(freeMore, 'slot')}, merging`,
        verb: APPROVAL_VERBS.freeSlots,
        data: { registryId: registry.id, merges: true, slots: freeMore },
        primary: free === 0,
      });
  }
  return {
    title: 'Rule quota',
    summary,
    sections,
    offers,
    note: input.offerRefusal !== null && (free > 0 || freeMore > free) ? input.offerRefusal : null,
  };
}

/** Whether a view is worth showing: something found, or a registry close to the limit. */
export function hygieneWorthShowing(v: HygieneView, ruleCount: number): boolean {
  return v.sections.length > 0 || ruleCount >= HYGIENE_THRESHOLD;
}
