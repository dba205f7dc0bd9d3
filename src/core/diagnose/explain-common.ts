/**
 * What the explanations share: the registry target of a fix, the smallest rule for an address, and the private-DNS
 * wording used wherever a private endpoint may be the path.
 */
import type { Fix } from '../diagnosis.js';
import type { RegistrySnapshot } from '../registry.js';
import type { DecisionFacts } from './decide.js';
import * as fx from './fixes.js';
import { plural } from './wording.js';

export interface Explanation {
  summary: string;
  fixes: Fix[];
  notes: string[];
}

export type Found = DecisionFacts & { registry: RegistrySnapshot };

export function approvedEndpoints(r: RegistrySnapshot): number {
  return r.privateEndpoints.filter((p) => p.status.toLowerCase() === 'approved').length;
}

/** The smallest rule for one address. Only ever called for a public (or documentation) IPv4 address. */
export function ruleFor(address: string): string {
  return `${address}/32`;
}

export function target(f: DecisionFacts) {
  const registry = f.lookup?.status === 'found' ? f.lookup.registry : null;
  return fx.targetOf(registry, { registryName: f.finding.registryName, loginServer: f.finding.loginServer });
}

export function dnsDetail(r: RegistrySnapshot): string {
  const n = approvedEndpoints(r);
  return n > 0
    ? `The registry has ${plural(n, 'approved private endpoint')}. Inside a linked virtual network ${r.loginServer} resolves through ${r.name.toLowerCase()}.privatelink.azurecr.io to a private address; this client resolved the public address instead. Link the privatelink.azurecr.io zone to the client's virtual network (records for the registry and each <registry>.<region>.data endpoint), or forward custom DNS to 168.63.129.16.`
    : 'Check what the registry name resolves to from the client: inside a virtual network with a private endpoint it must resolve through privatelink.azurecr.io to a private address; custom DNS servers must forward to 168.63.129.16.';
}
