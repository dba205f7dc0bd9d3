/**
 * What the emulator serves: the state file whose items have exactly the shape ARM returns for GET.
 * Optional extensions, both in ARM's own shapes: `serviceTags` (the body of GET
 * `Microsoft.Network/locations/{location}/serviceTags`) and `subscriptions` (items of GET /subscriptions); when
 * `subscriptions` is absent the emulator derives them from the resource ids.
 */
import fs from 'node:fs';
import { idKey, parseId, sameText } from './ids.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type ArmResource = {
  id: string;
  name: string;
  type: string;
  location?: string;
  properties?: Record<string, Json>;
} & Record<string, Json>;

export interface SubscriptionItem {
  id: string;
  subscriptionId: string;
  displayName: string;
  state: string;
  tenantId: string;
  [k: string]: Json;
}

export interface StateFile {
  registries: ArmResource[];
  publicIPAddresses?: ArmResource[];
  publicIPPrefixes?: ArmResource[];
  serviceTags?: Record<string, Json>;
  subscriptions?: SubscriptionItem[];
  tenantId?: string;
}

export const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-00000000e1a7';

function clone<T>(v: T): T {
  return structuredClone(v);
}

function checkResources(list: unknown, key: string, type: string, problems: string[]): ArmResource[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push(`"${key}" must be an array`);
    return [];
  }
  for (const [i, item] of (list as unknown[]).entries()) {
    const r = item as Partial<ArmResource> | null;
    if (!r || typeof r !== 'object') {
      problems.push(`${key}[${i}] is not an object`);
      continue;
    }
    if (typeof r.id !== 'string' || !parseId(r.id)) {
      problems.push(`${key}[${i}].id is not an ARM resource id`);
      continue;
    }
    if (typeof r.name !== 'string') problems.push(`${key}[${i}].name is missing`);
    if (!sameText(r.type, type)) problems.push(`${key}[${i}].type must be "${type}"`);
    if (!sameText(parseId(r.id)?.name, r.name))
      problems.push(`${key}[${i}].name does not match the last segment of its id`);
  }
  return list as ArmResource[];
}

/** Validates a state object (throws one Error listing every problem) and returns a deep copy. */
export function checkState(input: unknown): StateFile {
  const problems: string[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new Error('state must be a JSON object {"registries":[…], …}');
  const s = input as Record<string, unknown>;
  if (!Array.isArray(s.registries)) problems.push('"registries" must be an array');
  const registries = checkResources(
    s.registries ?? [],
    'registries',
    'Microsoft.ContainerRegistry/registries',
    problems,
  );
  const publicIPAddresses = checkResources(
    s.publicIPAddresses,
    'publicIPAddresses',
    'Microsoft.Network/publicIPAddresses',
    problems,
  );
  const publicIPPrefixes = checkResources(
    s.publicIPPrefixes,
    'publicIPPrefixes',
    'Microsoft.Network/publicIPPrefixes',
    problems,
  );
  const seen = new Set<string>();
  for (const r of [...registries, ...publicIPAddresses, ...publicIPPrefixes]) {
    if (typeof r?.id !== 'string') continue;
    if (seen.has(idKey(r.id))) problems.push(`duplicate resource id ${r.id}`);
    seen.add(idKey(r.id));
  }
  const known = new Set([
    'registries',
    'publicIPAddresses',
    'publicIPPrefixes',
    'serviceTags',
    'subscriptions',
    'tenantId',
  ]);
  for (const k of Object.keys(s))
    if (!known.has(k)) problems.push(`unknown key "${k}" (expected ${[...known].join(', ')})`);
  if (problems.length > 0) throw new Error(`invalid emulator state:\n  - ${problems.join('\n  - ')}`);
  return clone({
    registries,
    publicIPAddresses,
    publicIPPrefixes,
    ...(s.serviceTags ? { serviceTags: s.serviceTags as Record<string, Json> } : {}),
    ...(s.subscriptions ? { subscriptions: s.subscriptions as SubscriptionItem[] } : {}),
    ...(typeof s.tenantId === 'string' ? { tenantId: s.tenantId } : {}),
  });
}

export function readStateFile(file: string): StateFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read state file ${file}: ${(err as Error).message}`);
  }
  return checkState(parsed);
}

/** The live, mutable store. Every read hands out copies so callers cannot edit the store by accident. */
export class EmulatorState {
  private data: StateFile;
  private initial: StateFile;

  constructor(initial: StateFile) {
    this.initial = clone(initial);
    this.data = clone(initial);
  }

  get tenantId(): string {
    return this.data.tenantId ?? DEFAULT_TENANT_ID;
  }

  /** Back to the state the emulator started with (or was last replaced with). */
  reset(): void {
    this.data = clone(this.initial);
  }

  replace(next: unknown): void {
    const checked = checkState(next);
    this.initial = clone(checked);
    this.data = checked;
  }

  snapshot(): StateFile {
    return clone(this.data);
  }

  registries(): ArmResource[] {
    return this.data.registries;
  }

  /** Every resource, as Resource Graph's `resources` table sees them. */
  allResources(): ArmResource[] {
    return [...this.data.registries, ...(this.data.publicIPAddresses ?? []), ...(this.data.publicIPPrefixes ?? [])];
  }

  /** The stored registry object itself (mutable; callers copy before returning it on the wire). */
  registry(subscriptionId: string, resourceGroup: string, name: string): ArmResource | undefined {
    return this.data.registries.find((r) => {
      const p = parseId(r.id)!;
      return (
        sameText(p.subscriptionId, subscriptionId) && sameText(p.resourceGroup, resourceGroup) && sameText(p.name, name)
      );
    });
  }

  registryByNameOrId(nameOrId: string): ArmResource | undefined {
    return this.data.registries.find((r) => sameText(r.id, nameOrId) || sameText(r.name, nameOrId));
  }

  serviceTags(): Record<string, Json> | undefined {
    return this.data.serviceTags;
  }

  subscriptions(): SubscriptionItem[] {
    if (this.data.subscriptions) return clone(this.data.subscriptions);
    const ids = new Map<string, string>();
    for (const r of this.allResources()) {
      const sub = parseId(r.id)!.subscriptionId;
      if (!ids.has(sub.toLowerCase())) ids.set(sub.toLowerCase(), sub);
    }
    return [...ids.values()].map((sub, i) => ({
      id: `/subscriptions/${sub}`,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId: sub,
      tenantId: this.tenantId,
      displayName: `Emulated subscription ${i + 1}`,
      state: 'Enabled',
      subscriptionPolicies: {
        locationPlacementId: 'Public_2014-09-01',
        quotaId: 'PayAsYouGo_2014-09-01',
        spendingLimit: 'Off',
      },
    }));
  }

  hasSubscription(subscriptionId: string): boolean {
    return this.subscriptions().some((s) => sameText(s.subscriptionId, subscriptionId));
  }

  hasResourceGroup(subscriptionId: string, resourceGroup: string): boolean {
    return this.allResources().some((r) => {
      const p = parseId(r.id)!;
      return sameText(p.subscriptionId, subscriptionId) && sameText(p.resourceGroup, resourceGroup);
    });
  }
}
