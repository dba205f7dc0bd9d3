/**
 * Can an IP rule help on this registry at all? Checked on a fresh read before a request reaches anyone (full
 * quota, non-Premium and public-access-disabled registries are refused with the reason before anyone approves),
 * and again by the apply worker, since the registry may have changed while the request waited.
 */
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
