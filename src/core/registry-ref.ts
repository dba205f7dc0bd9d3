/**
 * How a person or a paste names a registry, read once. The three forms:
 * - a registry resource id, `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}`;
 * - a host: a login server (`name.azurecr.io`, or a DNL `name-<hash>.azurecr.io`), a data endpoint
 *   (`name.<region>.data.azurecr.io`), a geo endpoint, a `privatelink` name, or a custom domain;
 * - a bare registry name (ARM: 5–50 letters and digits).
 * A host is matched on the login server and data endpoints, never on the name: with domain name label (DNL)
 * scope, names are not unique and `foo.azurecr.io` need not be the registry named foo (docs/azure.md, "Login servers and clouds").
 */

/** A parsed registry resource id. `id` is the text as given, without a trailing slash. */
export interface RegistryId {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export type RegistryRef =
  | ({ kind: 'id' } & RegistryId)
  | { kind: 'host'; host: string; loginServers: string[] }
  | { kind: 'name'; name: string };

// The one registry resource-id pattern. ARM compares ids case-insensitively (Resource Graph lower-cases some
// segments). Subscriptions are GUIDs; resource-group names are letters, digits, `-_.()` and may not end with a
// period (so `..` is never a group); registry names are 5–50 letters and digits.
const REGISTRY_ID =
  /^\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/resourceGroups\/([-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}])\/providers\/Microsoft\.ContainerRegistry\/registries\/([a-z0-9]{5,50})\/?$/iu;
const REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const MAX_INPUT = 400;

export function parseRegistryId(text: string): RegistryId | null {
  const t = text.trim();
  if (t.length > MAX_INPUT) return null;
  const m = REGISTRY_ID.exec(t);
  return m ? { id: t.replace(/\/+$/, ''), subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[3]! } : null;
}

export function isRegistryId(text: unknown): text is string {
  return typeof text === 'string' && parseRegistryId(text) !== null;
}

/** The same registry however its id is cased or ended: for caches and comparisons. */
export function idKey(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}

/** Lower-cased host without scheme, credentials, port, path or trailing dot; null if it is not a host name. */
export function normaliseHost(input: string): string | null {
  let t = input.trim().toLowerCase();
  if (t.length > MAX_INPUT) return null;
  t = t.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  t = t.replace(/^[^@/]*@/, '');
  t = t.split(/[/?#]/, 1)[0] ?? '';
  t = t.replace(/:\d+$/, '').replace(/\.$/, '');
  return HOST.test(t) ? t : null;
}

/**
 * Login servers a host may stand for: itself, and the registry host behind a private-link, data-endpoint or
 * geo-endpoint name (`x.privatelink.azurecr.io`, `x.westeurope.data.azurecr.io`, `x.westeurope.geo.azurecr.io`,
 * and the private-link form of the data endpoint, `x.westeurope.data.privatelink.azurecr.io`).
 */
export function candidateLoginServers(host: string): string[] {
  const out = new Set<string>([host]);
  let rest = host.split('.');
  const pl = rest.indexOf('privatelink');
  if (pl > 0) rest = [...rest.slice(0, pl), ...rest.slice(pl + 1)];
  // <name>.<region>.(data|geo).<suffix>
  if (rest.length >= 5 && (rest[2] === 'data' || rest[2] === 'geo')) rest = [rest[0]!, ...rest.slice(3)];
  out.add(rest.join('.'));
  return [...out];
}

/** A resource id, a host (also as a URL), or a bare registry name; null when it can be none of them. */
export function parseRegistryRef(input: string): RegistryRef | null {
  const t = input.trim();
  if (t.length > MAX_INPUT) return null;
  if (t.startsWith('/')) {
    const id = parseRegistryId(t);
    return id ? { kind: 'id', ...id } : null;
  }
  if (REGISTRY_NAME.test(t)) return { kind: 'name', name: t };
  const host = normaliseHost(t);
  return host ? { kind: 'host', host, loginServers: candidateLoginServers(host) } : null;
}

/** One cache key per registry reference: hosts and names lower-cased, ids by idKey (an id needs no other part). */
export function refKey(ref: RegistryRef | { kind: 'id'; id: string }): string {
  if (ref.kind === 'host') return `host:${ref.host}`;
  if (ref.kind === 'name') return `name:${ref.name.toLowerCase()}`;
  return `id:${idKey(ref.id)}`;
}

/** How to name the reference to a person: the registry name for an id, else the host or name as given. */
export function refLabel(ref: RegistryRef): string {
  return ref.kind === 'host' ? ref.host : ref.name;
}

/** Does this registry answer to the host (login server, or one of its data endpoints)? */
export function registryServesHost(
  registry: { loginServer: string; dataEndpointHostNames: readonly string[] },
  ref: { host: string; loginServers: readonly string[] },
): boolean {
  const login = registry.loginServer.toLowerCase();
  return ref.loginServers.includes(login) || registry.dataEndpointHostNames.some((h) => h.toLowerCase() === ref.host);
}
