/**
 * The one neutral view of a registry's firewall (`@bot <registry>`, Show rules), for every platform: the title, the
 * one sentence that says what happens to an address that is not listed, the settings as facts (the labels a
 * diagnosis uses for the same settings), and the rules. Teams and Slack only lay it out, so both say the same
 * things. Values are raw (from Azure): renderers escape every one.
 */
import type { ViewFact } from './approval-views.js';
import { MAX_IP_RULES, type RegistrySnapshot } from './registry.js';

/** Private endpoints named in their fact; the rest are counted. */
const MAX_LISTED_ENDPOINTS = 20;

export interface FirewallView {
  /** "Firewall of acmeprod". */
  title: string;
  headline: string;
  facts: ViewFact[];
  rulesHeading: string;
  rules: string[];
  /** One line for notifications and fallbacks. */
  summary: string;
}

const onOff = (v: boolean): string => (v ? 'on' : 'off');

/** The one sentence that says what the firewall does with a client that is not listed. */
function firewallHeadline(r: RegistrySnapshot): string {
  if (r.publicNetworkAccess === 'Disabled')
    return 'Public network access is disabled: only private endpoints reach this registry, and IP rules do not apply.';
  if (r.defaultAction === 'Allow')
    return 'The firewall allows every address (default action Allow): the IP rules are not enforced.';
  if (r.ipRules.length === 0)
    return 'Every public address is denied: the default action is Deny and there are no IP rules.';
  return `Public addresses are denied unless one of the ${r.ipRules.length} IP rules admits them.`;
}

/** `12 more rules are not shown.` */
export function moreRules(n: number): string {
  return `${n} more ${n === 1 ? 'rule is' : 'rules are'} not shown.`;
}

function firewallTitle(r: Pick<RegistrySnapshot, 'name'>): string {
  return `Firewall of ${r.name}`;
}

export function firewallView(r: RegistrySnapshot): FirewallView {
  const pes = r.privateEndpoints;
  const listed = pes.slice(0, MAX_LISTED_ENDPOINTS).map((p) => `${p.name} (${p.status})`);
  const more = pes.length > MAX_LISTED_ENDPOINTS ? ` and ${pes.length - MAX_LISTED_ENDPOINTS} more` : '';
  const headline = firewallHeadline(r);
  return {
    title: firewallTitle(r),
    headline,
    facts: [
      { label: 'Login server', text: r.loginServer },
      { label: 'Resource group', text: r.resourceGroup },
      { label: 'Location', text: r.location },
      { label: 'SKU', text: String(r.sku) },
      { label: 'Public network access', text: r.publicNetworkAccess },
      { label: 'Default action', text: r.defaultAction },
      { label: 'IP rules used', text: `${r.ipRules.length}/${MAX_IP_RULES}` },
      { label: 'Trusted services bypass', text: onOff(r.trustedServicesBypass) },
      { label: 'ACR Tasks bypass', text: onOff(r.tasksBypass) },
      { label: 'Dedicated data endpoints', text: onOff(r.dataEndpointEnabled) },
      { label: 'Private endpoints', text: pes.length === 0 ? 'none' : `${listed.join(', ')}${more}` },
      { label: 'Resource id', text: r.id },
    ],
    rulesHeading: 'IP rules',
    rules: r.ipRules,
    summary: `${firewallTitle(r)}: ${headline}`,
  };
}
