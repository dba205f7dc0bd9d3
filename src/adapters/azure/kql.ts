/**
 * The Resource Graph queries the gateway sends. `inspect` folds the registry lookup and the IP-owner lookup into
 * one query (one round trip on a cold inspection); rows come back with full `properties`, so the registry
 * snapshot and the owner's description need no further call.
 */

/** A KQL string literal; inputs are validated hosts, names and IPs already, escaping is the second line of defence. */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const REGISTRY_TYPE = 'microsoft.containerregistry/registries';
export const PUBLIC_IP_TYPE = 'microsoft.network/publicipaddresses';
export const PUBLIC_IP_PREFIX_TYPE = 'microsoft.network/publicipprefixes';

export interface LookupQuery {
  /** Candidate login servers (hosts); also matched against data endpoint host names by the caller. */
  loginServers?: string[];
  names?: string[];
  /** A public IPv4 whose owner (public IP or prefix in the tenant) we want. */
  ip?: string;
}

/** Upper bound on rows: a handful of registries sharing a DNL name plus an IP and its prefixes. */
export const LOOKUP_LIMIT = 50;

export function lookupQuery(q: LookupQuery): string | null {
  const clauses: string[] = [];
  const regMatch: string[] = [];
  if (q.loginServers && q.loginServers.length > 0)
    regMatch.push(`tostring(properties.loginServer) in~ (${q.loginServers.map(kqlString).join(', ')})`);
  if (q.names && q.names.length > 0) regMatch.push(`name in~ (${q.names.map(kqlString).join(', ')})`);
  if (regMatch.length > 0) clauses.push(`(type =~ '${REGISTRY_TYPE}' and (${regMatch.join(' or ')}))`);
  if (q.ip) {
    const ip = kqlString(q.ip);
    clauses.push(`(type =~ '${PUBLIC_IP_TYPE}' and tostring(properties.ipAddress) == ${ip})`);
    clauses.push(`(type =~ '${PUBLIC_IP_PREFIX_TYPE}' and ipv4_is_in_range(${ip}, tostring(properties.ipPrefix)))`);
  }
  if (clauses.length === 0) return null;
  return [
    'resources',
    `| where ${clauses.join(' or ')}`,
    '| project id, name, type, location, resourceGroup, subscriptionId, sku, tags, properties',
    `| limit ${LOOKUP_LIMIT}`,
  ].join('\n');
}
