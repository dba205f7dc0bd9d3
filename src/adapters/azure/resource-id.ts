/** Registry resource ids: `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}`. */

export interface RegistryId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

// ARM compares ids case-insensitively, and Resource Graph returns some segments lower-cased.
const REGISTRY_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)\/?$/i;

export function parseRegistryId(id: string): RegistryId | null {
  const m = REGISTRY_ID.exec(id.trim());
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! } : null;
}

/** Cache key for an id: the same registry however its id is cased. */
export function idKey(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}
