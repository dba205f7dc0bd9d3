/**
 * What the diagnosis reads besides the finding. These mirror the gateway port's `Inspection` structurally (the
 * core cannot import from app/), so a use case passes what `RegistryGateway.inspect` returned unchanged.
 */
import type { IpClass, IpOwner } from '../diagnosis.js';
import type { RegistrySnapshot } from '../registry.js';

export type RegistryLookupResult =
  | { status: 'found'; registry: RegistrySnapshot }
  | { status: 'not_found'; searchedSubscriptions: number }
  | { status: 'no_access'; registryId: string; message: string }
  /** A bare registry name shared by several registries: never guessed. */
  | { status: 'ambiguous'; candidates: Array<{ id: string; loginServer: string }> };

export interface InspectionResult {
  /** null when the finding names no registry (redacted or absent), so nothing was looked up. */
  registry: RegistryLookupResult | null;
  ipOwner: IpOwner | null;
}

export interface DiagnoseContext {
  /** IP rule quota; ACR's documented 200 unless a test or a future limit says otherwise. */
  ipRuleLimit?: number;
  /** `check <registry> <ip>`: a question, not a paste; the answer leads with the verdict. */
  check?: boolean;
}

/** The client address as the IP rules see it. */
export interface IpFacts {
  /** Normalised text (IPv4-mapped IPv6 becomes IPv4). */
  address: string;
  ipClass: IpClass;
  /** The rule that admits it (IPv4 only), else null. */
  matchingRule: string | null;
  /** Rules close to it that do not admit it (same /24, a typo, a stale egress address). */
  nearRules: string[];
}
