/**
 * How a fix names the registry in its `az` command: from the registry read, or from the paste when it is a plain
 * token, else a `<placeholder>`, so a copied command never carries pasted shell syntax.
 */
import type { RegistrySnapshot } from '../registry.js';

/** What a command needs to name the registry. Any part may be unknown. */
export interface FixTarget {
  id: string | null;
  name: string | null;
  resourceGroup: string | null;
  subscriptionId: string | null;
  loginServer: string | null;
}

export function targetOf(
  registry: RegistrySnapshot | null,
  fallback: { registryName: string | null; loginServer: string | null },
): FixTarget {
  if (registry) {
    return {
      id: registry.id,
      name: registry.name,
      resourceGroup: registry.resourceGroup,
      subscriptionId: registry.subscriptionId,
      loginServer: registry.loginServer,
    };
  }
  return {
    id: null,
    name: safeToken(fallback.registryName),
    resourceGroup: null,
    subscriptionId: null,
    loginServer: safeToken(fallback.loginServer),
  };
}

/**
 * Values from a paste only reach a command when they are plain tokens (registry names are `[a-zA-Z0-9]`, hosts
 * are DNS labels): anything else becomes a placeholder, so a copied command never carries pasted shell syntax.
 */
function safeToken(value: string | null): string | null {
  return value !== null && /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(value) ? value : null;
}

/** Single-quote a value for a POSIX shell unless it is plainly safe (resource groups may hold parentheses). */
export function sh(value: string): string {
  if (/^<[a-z-]+>$/.test(value)) return value; // a placeholder for the reader to fill in
  return /^[A-Za-z0-9._/:@=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function nameArgs(t: FixTarget): string {
  const parts = [`--name ${sh(t.name ?? '<registry>')}`];
  if (t.resourceGroup) parts.push(`--resource-group ${sh(t.resourceGroup)}`);
  if (t.subscriptionId) parts.push(`--subscription ${sh(t.subscriptionId)}`);
  return parts.join(' ');
}

export function registryArgs(t: FixTarget): string {
  const parts = [`--registry ${sh(t.name ?? '<registry>')}`];
  if (t.resourceGroup) parts.push(`--resource-group ${sh(t.resourceGroup)}`);
  if (t.subscriptionId) parts.push(`--subscription ${sh(t.subscriptionId)}`);
  return parts.join(' ');
}

export function scope(t: FixTarget): string {
  return sh(t.id ?? '<registry-resource-id>');
}

export function host(t: FixTarget): string {
  return t.loginServer ?? (t.name ? `${t.name.toLowerCase()}.azurecr.io` : '<registry>.azurecr.io');
}
