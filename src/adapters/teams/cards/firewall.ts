/**
 * `firewall` Reply (`@bot <registry>`, Show rules): the registry's firewall as core's one neutral view
 * (core/firewall-view.ts) lays it out: title, headline, settings, IP rules.
 */
import { firewallView, moreRules } from '../../../core/firewall-view.js';
import { FIREWALL_DOCS } from '../../../core/help-words.js';
import type { HygieneView } from '../../../core/quota/view.js';
import type { RegistrySnapshot } from '../../../core/registry.js';
import { learnMore } from './actions.js';
import { md, verbatim } from './escape.js';
import { hygieneActions, hygieneItems } from './hygiene.js';
import { card, type AdaptiveCard, type CardAction, type CardElement, type Fact, type TextBlock } from './types.js';

/** Rules listed on the card; the rest are counted (a full registry has 200). */
export const MAX_LISTED_RULES = 60;

export function renderFirewall(r: RegistrySnapshot, hygiene?: HygieneView): AdaptiveCard {
  const v = firewallView(r);
  const facts: Fact[] = v.facts.map((f) => ({ title: f.label, value: md(f.text, 600) }));
  const body: CardElement[] = [
    titleBlock(v.title),
    { type: 'TextBlock', text: md(v.headline, 300), wrap: true, spacing: 'Small' },
    { type: 'FactSet', facts, spacing: 'Medium' },
    ...ruleList(v.rulesHeading, v.rules),
  ];
  if (hygiene) body.push(...hygieneItems(hygiene));
  const actions: CardAction[] = hygiene ? hygieneActions(hygiene) : [];
  const more = learnMore(FIREWALL_DOCS);
  if (more) actions.push(more);
  return card(body, { actions, fallbackText: md(v.summary, 200) });
}

function titleBlock(title: string): TextBlock {
  return { type: 'TextBlock', text: md(title, 80), weight: 'Bolder', size: 'Medium', wrap: true };
}

/** The IP rules, the first MAX_LISTED_RULES verbatim and the rest counted; nothing when there are none. */
function ruleList(heading: string, rules: readonly string[]): CardElement[] {
  if (rules.length === 0) return [];
  const shown = rules.slice(0, MAX_LISTED_RULES);
  const out: CardElement[] = [
    { type: 'TextBlock', text: heading, weight: 'Bolder', spacing: 'Medium', separator: true },
    {
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: verbatim(shown.join('\n'), 4000), fontType: 'Monospace', size: 'Small' }],
    },
  ];
  if (rules.length > shown.length)
    out.push({ type: 'TextBlock', text: moreRules(rules.length - shown.length), isSubtle: true, size: 'Small' });
  return out;
}

/** The rules part of the firewall card, for a diagnosis to show under Show rules: title, headline, rules. */
export function rulesItems(r: RegistrySnapshot): CardElement[] {
  const v = firewallView(r);
  return [
    { ...titleBlock(v.title), size: 'Default', separator: true, spacing: 'Medium' },
    { type: 'TextBlock', text: md(v.headline, 300), wrap: true, spacing: 'Small' },
    ...ruleList(v.rulesHeading, v.rules),
  ];
}
