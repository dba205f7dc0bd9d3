/** ARM resource ids, compared the way ARM compares them: case-insensitively. */

export interface ParsedId {
  subscriptionId: string;
  resourceGroup: string;
  /** `Microsoft.ContainerRegistry/registries`, as written in the id. */
  type: string;
  name: string;
}

const ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/]+)$/i;

export function parseId(id: string): ParsedId | null {
  const m = ID.exec(id);
  if (!m) return null;
  return { subscriptionId: m[1]!, resourceGroup: m[2]!, type: `${m[3]}/${m[4]}`, name: m[5]! };
}

export function idKey(id: string): string {
  return id.toLowerCase();
}

export function registryId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${name}`;
}

export function sameText(a: string | undefined | null, b: string | undefined | null): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}
