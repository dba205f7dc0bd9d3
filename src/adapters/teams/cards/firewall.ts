/** `firewall` Reply (`@bot <registry>`, Show rules): the registry's network settings and its IP rules as they are now. */
import { MAX_IP_RULES, type RegistrySnapshot } from '../../../core/registry.js';
import type { HygieneView } from '../../../core/quota/view.js';
import { FIREWALL_DOCS } from '../../../core/help-words.js';
import { learnMore } from './actions.js';
import { md, verbatim } from './escape.js';
import { hygieneActions, hygieneItems } from './hygiene.js';
import { card, type AdaptiveCard, type CardAction, type CardElement, type Fact, type TextBlock } from './types.js';

/** Rules listed on the card; the rest are counted (a full registry has 200). */
export const MAX_LISTED_RULES = 60;

export function renderFirewall(r: RegistrySnapshot, hygiene?: HygieneView): AdaptiveCard {
  const facts: Fact[] = [
    { title: 'Login server', value: md(r.loginServer) },
    { title: 'SKU', value: md(r.sku) },
    { title: 'Location', value: md(r.location) },
    { title: 'Resource group', value: md(r.resourceGroup) },
    { title: 'Public network access', value: md(r.publicNetworkAccess) },
    { title: 'Default action', value: md(r.defaultAction) },
    { title: 'IP rules used', value: `${r.ipRules.length}/${MAX_IP_RULES}` },
    { title: 'Trusted services bypass', value: r.trustedServicesBypass ? 'on' : 'off' },
    { title: 'ACR Tasks bypass', value: r.tasksBypass ? 'on' : 'off' },
    { title: 'Dedicated data endpoints', value: r.dataEndpointEnabled ? 'on' : 'off' },
    {
      title: 'Private endpoints',
      value:
        r.privateEndpoints.length === 0
          ? 'none'
          : md(r.privateEndpoints.map((p) => `${p.name} (${p.status})`).join(', ')),
    },
  ];
  const body: CardElement[] = [
    firewallTitle(r),
    { type: 'TextBlock', text: headline(r), wrap: true, spacing: 'Small' },
    { type: 'FactSet', facts, spacing: 'Medium' },
    ...ruleList(r),
  ];
  if (hygiene) body.push(...hygieneItems(hygiene));
  const actions: CardAction[] = hygiene ? hygieneActions(hygiene) : [];
  const more = learnMore(FIREWALL_DOCS);
  if (more) actions.push(more);
  return card(body, { actions, fallbackText: md(`Firewall of ${r.name}: ${headline(r)}`, 200) });
}

function firewallTitle(r: RegistrySnapshot): TextBlock {
  return { type: 'TextBlock', text: `Firewall of ${md(r.name, 60)}`, weight: 'Bolder', size: 'Medium', wrap: true };
}

/** The IP rules, the first MAX_LISTED_RULES verbatim and the rest counted; nothing when there are none. */
function ruleList(r: RegistrySnapshot): CardElement[] {
  if (r.ipRules.length === 0) return [];
  const shown = r.ipRules.slice(0, MAX_LISTED_RULES);
  const out: CardElement[] = [
    { type: 'TextBlock', text: 'IP rules', weight: 'Bolder', spacing: 'Medium', separator: true },
    {
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: verbatim(shown.join('\n'), 4000), fontType: 'Monospace', size: 'Small' }],
    },
  ];
  if (r.ipRules.length > shown.length)
    out.push({ type: 'TextBlock', text: `and ${r.ipRules.length - shown.length} more`, isSubtle: true, size: 'Small' });
  return out;
}

/** The rules part of the firewall card, for a diagnosis to show under Show rules: title, headline, rules. */
export function rulesItems(r: RegistrySnapshot): CardElement[] {
  return [
    { ...firewallTitle(r), size: 'Default', separator: true, spacing: 'Medium' },
    { type: 'TextBlock', text: headline(r), wrap: true, spacing: 'Small' },
    ...ruleList(r),
  ];
}

/** The one sentence that says what the firewall does with a client that is not listed. */
function headline(r: RegistrySnapshot): string {
  if (r.publicNetworkAccess === 'Disabled')
    return 'Public network access is disabled: only private endpoints reach this registry, and IP rules do not apply.';
  if (r.defaultAction === 'Allow') return 'The firewall allows every address (default action Allow).';
  if (r.ipRules.length === 0)
    return 'Every public address is denied: the default action is Deny and there are no IP rules.';
  return `Public addresses are denied unless one of the ${r.ipRules.length} IP rules admits them.`;
}
