import type { IpOwner } from '../core/diagnosis.js';
import type { RegistrySnapshot } from '../core/registry.js';

/** What diagnosis asks Azure about one finding. Any field may be unknown. */
export interface InspectTarget {
  loginServer: string | null;
  registryName: string | null;
  ip: string | null;
}

export type RegistryLookup =
  | { status: 'found'; registry: RegistrySnapshot }
  /** Not visible in any subscription the identity can read. */
  | { status: 'not_found'; searchedSubscriptions: number }
  /** Visible (e.g. in Resource Graph) but reading it was refused. */
  | { status: 'no_access'; registryId: string; message: string };

export interface Inspection {
  registry: RegistryLookup | null; // null when the target names no registry
  ipOwner: IpOwner | null;
}

/**
 * The Azure side of the bot, as the use cases need it. Implemented by adapters/azure over ARM + Resource Graph.
 * Methods throw AzureError (app/azure-error.ts) for Azure failures; "not found" is a value, not an error.
 */
export interface RegistryGateway {
  /** Registry and IP owner for a finding, cached (TTL + single-flight): cold ≤ 1 Resource Graph call, warm ≤ 1 ARM read. */
  inspect(target: InspectTarget): Promise<Inspection>;
  /** Resolve a registry by login server, name or resource id (for `@bot <registry>`). */
  findRegistry(nameOrHost: string): Promise<RegistryLookup>;
  /** A fresh read from ARM, bypassing caches (before and after every change). */
  readRegistry(registryId: string): Promise<RegistrySnapshot>;
}

/** Time, injectable so expiry and timeouts are testable with a controllable clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
