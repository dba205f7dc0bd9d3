/**
 * Can an IP rule help on this registry at all? Checked on a fresh read before a request reaches anyone (full
 * quota, non-Premium and public-access-disabled registries are refused with the reason before anyone approves),
 * and again by the apply worker, since the registry may have changed while the request waited.
 */
import type { IpOwner } from '../diagnosis.js';
import { isNamedServiceOwner } from '../diagnose/services.js';
import { classifyIp } from '../ip.js';
import type { Refusal } from '../policy/types.js';
import { MAX_IP_RULES, type RegistrySnapshot } from '../registry.js';
import { coveringRule } from './rules.js';

export type RegistryFitCode = 'not_premium' | 'public_access_disabled' | 'firewall_allows_all' | 'quota_full';

export type RegistryFacts = Pick<
  RegistrySnapshot,
  'name' | 'sku' | 'publicNetworkAccess' | 'defaultAction' | 'ipRules'
>;

/** Why a rule cannot be added here, or null when it can. `pendingAdds`: rules of requests approved but not yet applied. */
export function registryRefusal(
  registry: RegistryFacts,
  rule: string,
  pendingAdds: readonly string[] = [],
): Refusal<RegistryFitCode> | null {
  if (String(registry.sku).toLowerCase() !== 'premium') {
    return {
      ok: false,
      code: 'not_premium',
      reason: `${registry.name} is a ${registry.sku} registry: IP rules exist only on Premium. Ask its owner to upgrade it, or use a registry that is Premium.`,
    };
  }
  if (registry.publicNetworkAccess === 'Disabled') {
    return {
      ok: false,
      code: 'public_access_disabled',
      reason: `${registry.name} has public network access disabled, which overrides every IP rule: a rule cannot help. Reach it through a private endpoint, or ask its owner.`,
    };
  }
  if (registry.defaultAction === 'Allow') {
    return {
      ok: false,
      code: 'firewall_allows_all',
      reason: `${registry.name}'s firewall already admits every address (default action Allow), so an IP rule would change nothing; the denial comes from somewhere else.`,
    };
  }
  const waiting = new Set(pendingAdds.filter((r) => coveringRule(registry.ipRules, r) === null));
  const needed = registry.ipRules.length + waiting.size + (waiting.has(rule) ? 0 : 1);
  if (needed > MAX_IP_RULES) {
    return {
      ok: false,
      code: 'quota_full',
      reason: `${registry.name} has ${registry.ipRules.length} of ${MAX_IP_RULES} IP rules${waiting.size > 0 ? ` and ${waiting.size} more approved and waiting` : ''}: there is no room for another. ACR's limit cannot be raised; ask its owner to remove unused rules or use a private endpoint.`,
    };
  }
  return null;
}

export type AddressFitCode = 'not_ipv4' | 'not_public' | 'azure_service';

/**
 * Can a rule for this client address help? One decision for the card (whether it offers Request access) and the
 * request endpoint (whether it accepts the request): IPv6 and non-public addresses never match an IP rule, and a
 * named Azure service's range is shared by every customer of that service. The catch-all AzureCloud range is not
 * a reason to refuse: it covers every customer VM, AKS egress and hosted runner.
 */
export function addressRefusal(address: string, owner: IpOwner | null): Refusal<AddressFitCode> | null {
  const cls = classifyIp(address);
  if (cls === 'ipv6')
    return {
      ok: false,
      code: 'not_ipv4',
      reason: `${address} is IPv6, and ACR IP rules accept IPv4 addresses and ranges only.`,
    };
  if (cls === null || (cls !== 'public' && cls !== 'documentation'))
    return {
      ok: false,
      code: 'not_public',
      reason: `${address} is not a public address, so no registry IP rule can match it.`,
    };
  if (isNamedServiceOwner(owner))
    return {
      ok: false,
      code: 'azure_service',
      reason: `${address} belongs to the Azure service range ${owner.name}, shared by every customer of that service: a rule for it would admit all of them. Use the service's documented fix instead.`,
    };
  return null;
}
