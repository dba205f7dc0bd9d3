/**
 * The facts the card shows: registry, SKU, public access, default action, rules used/200,
 * whether this IP or a near rule matches, private endpoints, trusted-services and Tasks bypass. Only facts that
 * were established are set: no registry read, no registry fields.
 */
import type { ClientClass, Evidence, IpOwner } from '../diagnosis.js';
import type { IpFacts, RegistryLookupResult } from './input.js';

export function buildEvidence(input: {
  lookup: RegistryLookupResult | null;
  ip: IpFacts | null;
  /** The finding carried an address (even if it did not parse). */
  ipInPaste: boolean;
  owner: IpOwner | null;
  ipRuleLimit: number;
  notes: string[];
  clientClass: ClientClass | null;
}): Evidence {
  const e: Evidence = {};
  const { lookup, ip } = input;
  if (lookup?.status === 'found') {
    const r = lookup.registry;
    e.sku = r.sku;
    if (r.endpointProtocol === 'IPv4AndIPv6') e.endpointProtocol = r.endpointProtocol;
    e.publicNetworkAccess = r.publicNetworkAccess;
    e.defaultAction = r.defaultAction;
    e.ipRuleCount = r.ipRules.length;
    e.ipRuleLimit = input.ipRuleLimit;
    e.privateEndpoints = r.privateEndpoints.map((p) => ({ name: p.name, status: p.status }));
    e.trustedServicesBypass = r.trustedServicesBypass;
    e.tasksBypass = r.tasksBypass;
    e.dataEndpointEnabled = r.dataEndpointEnabled;
    if (ip !== null) {
      e.matchingRule = ip.matchingRule;
      e.nearRules = ip.nearRules;
    }
  } else if (lookup?.status === 'not_found') {
    e.searchedSubscriptions = lookup.searchedSubscriptions;
  }
  if (ip !== null) {
    e.ipClass = ip.ipClass;
    e.ipOwner = input.owner;
    if (input.clientClass !== null) e.clientClass = input.clientClass;
  }
  const notes = [...input.notes];
  if (input.ipInPaste && ip === null) notes.push('The address in the paste is not a valid IP address; it was ignored.');
  if (notes.length > 0) e.notes = notes;
  return e;
}
