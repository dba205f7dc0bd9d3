/**
 * Two small decisions around the cause: which kind of client the address is (the README's client classes), and,
 * for `check <registry> <ip>`, whether the address gets in right now, said first and in the present tense.
 */
import type { Cause, ClientClass, IpOwner } from '../diagnosis.js';
import type { HostedCi } from '../finding.js';
import type { RegistrySnapshot } from '../registry.js';
import type { IpFacts } from './input.js';
import type { AzureService } from './services.js';

const NOT_PUBLIC = new Set(['private', 'cgnat', 'loopback', 'link_local', 'reserved']);

/** A resource of the tenant beats a named service; hosted CI beats the catch-all AzureCloud (hosted runners are in it). */
export function clientClassOf(
  ip: IpFacts | null,
  owner: IpOwner | null,
  service: AzureService | null,
  ci: HostedCi | null,
): ClientClass | null {
  if (ip === null) return ci !== null ? 'hosted_ci' : null;
  if (ip.ipClass === 'ipv6') return 'ipv6';
  if (NOT_PUBLIC.has(ip.ipClass)) return 'private';
  if (owner?.kind === 'public_ip' || owner?.kind === 'public_ip_prefix') return 'tenant';
  if (service !== null) return 'azure_service';
  if (ci !== null) return 'hosted_ci';
  if (owner?.kind === 'azure_cloud' || owner?.kind === 'azure_service') return 'azure_hosted';
  return 'unknown';
}

export interface Verdict {
  verdict: 'allowed' | 'refused';
  /** "203.0.113.7 can reach acmeprod: rule 203.0.113.0/24 covers it." */
  lead: string;
}

/** Would this address get through the registry's public endpoint now? Only the registry's settings decide. */
export function verdictOf(cause: Cause, r: RegistrySnapshot, ip: IpFacts): Verdict {
  const who = ip.address;
  if (r.publicNetworkAccess === 'Disabled')
    return { verdict: 'refused', lead: `${who} is refused by ${r.name}: public network access is disabled.` };
  if (r.defaultAction === 'Allow')
    return {
      verdict: 'allowed',
      lead: `${who} can reach ${r.name}: its firewall admits every address (default action Allow).`,
    };
  if (String(r.sku).toLowerCase() !== 'premium')
    return { verdict: 'refused', lead: `${who} is refused by ${r.name}: its network rule set denies by default.` };
  if (cause === 'ip_already_allowed' && ip.matchingRule !== null)
    return { verdict: 'allowed', lead: `${who} can reach ${r.name}: rule ${ip.matchingRule} covers it.` };
  if (ip.ipClass === 'ipv6')
    return {
      verdict: 'refused',
      lead: `${who} is refused by ${r.name}: IP rules are IPv4 only and the default action is Deny.`,
    };
  return {
    verdict: 'refused',
    lead: `${who} is refused by ${r.name}: no IP rule covers it and the default action is Deny.`,
  };
}
