/**
 * The cause decision: exactly one cause per finding, from the most fundamental fact down. The same denial text
 * means different things depending on the registry (docs/azure.md, "One denial, several causes"), so the order matters:
 *
 *  1. the finding kind is not about the network              → not_a_firewall_error
 *  2. a network kind that is not a denial (DNS, timeout, data endpoint): the registry firewall answers 403, it
 *     never drops or hides a name                             → not_a_firewall_error (registry_not_found for DNS)
 *  3. the registry cannot be found / read                     → registry_not_found / no_access_to_registry
 *     (when the paste names no registry at all, facts about the address itself still decide: 8, 9, 11)
 *  4. public network access Disabled: overrides every rule    → public_access_disabled
 *  5. SKU below Premium: no IP rules can exist (whatever the   → sku_not_premium
 *     rule set says), so an IP rule is never the fix
 *  6. default action Allow: the firewall admits everyone      → firewall_allows_all
 *  7. IPv6 client: rules are IPv4 only                        → ipv6_client
 *  8. private/CGNAT/loopback/reserved: not a public path      → private_ip
 *  9. a rule already admits the address                       → ip_already_allowed
 * 10. the client is a named Azure service (a service tag     → azure_service_ip
 *     other than the catch-all AzureCloud, or the tool)
 * 11. the 200-rule quota is full                              → rule_quota_full
 * 12. otherwise                                               → ip_not_allowed (the address may be missing)
 */
import type { Cause, ClientClass, IpOwner } from '../diagnosis.js';
import { NETWORK_KINDS, type Finding, type FindingKind } from '../finding.js';
import type { RegistrySnapshot } from '../registry.js';
import type { IpFacts, RegistryLookupResult } from './input.js';
import type { AzureService } from './services.js';

/** Kinds whose text says the registry refused the client: the only ones its firewall produces. */
export const DENIAL_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>(['firewall_denied', 'registry_forbidden']);

export interface DecisionFacts {
  finding: Finding;
  lookup: RegistryLookupResult | null;
  ip: IpFacts | null;
  owner: IpOwner | null;
  service: AzureService | null;
  clientClass: ClientClass | null;
  ipRuleLimit: number;
}

const NOT_PUBLIC = new Set(['private', 'cgnat', 'loopback', 'link_local', 'reserved']);

export function isPremium(r: RegistrySnapshot): boolean {
  return r.sku.toLowerCase() === 'premium';
}

/** Causes decided by the client address alone, whatever the registry says. */
function addressCause(f: DecisionFacts): Cause | null {
  if (f.ip?.ipClass === 'ipv6') return 'ipv6_client';
  if (f.ip && NOT_PUBLIC.has(f.ip.ipClass)) return 'private_ip';
  if (f.service !== null) return 'azure_service_ip';
  return null;
}

export function decideCause(f: DecisionFacts): Cause {
  const kind = f.finding.kind;
  if (!NETWORK_KINDS.has(kind)) return 'not_a_firewall_error';
  if (!DENIAL_KINDS.has(kind)) {
    return kind === 'dns_failure' && f.lookup?.status === 'not_found' ? 'registry_not_found' : 'not_a_firewall_error';
  }

  if (f.lookup === null) return addressCause(f) ?? 'registry_not_found';
  if (f.lookup.status === 'not_found' || f.lookup.status === 'ambiguous') return 'registry_not_found';
  if (f.lookup.status === 'no_access') return 'no_access_to_registry';

  const r = f.lookup.registry;
  if (r.publicNetworkAccess === 'Disabled') return 'public_access_disabled';
  // Below Premium there are no IP rules, so no rule can be the fix; the explanation says whether the registry's own
  // firewall can have refused the client at all (with the default Allow it cannot).
  if (!isPremium(r)) return 'sku_not_premium';
  if (r.defaultAction === 'Allow') return 'firewall_allows_all';

  if (f.ip?.ipClass === 'ipv6') return 'ipv6_client';
  if (f.ip && NOT_PUBLIC.has(f.ip.ipClass)) return 'private_ip';
  if (f.ip?.matchingRule) return 'ip_already_allowed';
  if (f.service !== null) return 'azure_service_ip';
  if (r.ipRules.length >= f.ipRuleLimit) return 'rule_quota_full';
  return 'ip_not_allowed';
}
