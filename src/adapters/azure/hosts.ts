/**
 * What the user named: a registry resource id, a host (login server, DNL `<name>-<hash>` host, data endpoint
 * `<name>.<region>.data.azurecr.io`, geo endpoint, `<name>.privatelink.azurecr.io`), or a bare registry name.
 * A host is matched on `properties.loginServer` and `dataEndpointHostNames`, never on the name: with DNL, names
 * are not unique and `foo.azurecr.io` is not the registry named foo (docs/azure.md, "Login servers and clouds").
 */
import { parseRegistryId, type RegistryId } from './resource-id.js';

export type RegistryRef =
  | ({ kind: 'id'; id: string } & RegistryId)
  | { kind: 'host'; host: string; loginServers: string[] }
  | { kind: 'name'; name: string };

/** ARM registry names: 5–50 letters and digits. */
const REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Lower-cased host without scheme, credentials, port, path or trailing dot; null if it is not a host name. */
export function normaliseHost(input: string): string | null {
  let t = input.trim().toLowerCase();
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
  const labels = host.split('.');
  let rest = labels.slice();
  const pl = rest.indexOf('privatelink');
  if (pl > 0) rest = [...rest.slice(0, pl), ...rest.slice(pl + 1)];
  // <name>.<region>.(data|geo).<suffix>
  if (rest.length >= 5 && (rest[2] === 'data' || rest[2] === 'geo')) rest = [rest[0]!, ...rest.slice(3)];
  out.add(rest.join('.'));
  return [...out];
}

export function parseRegistryRef(input: string): RegistryRef | null {
  const t = input.trim();
  if (t.startsWith('/')) {
    const id = parseRegistryId(t);
    return id ? { kind: 'id', id: t.replace(/\/+$/, ''), ...id } : null;
  }
  if (REGISTRY_NAME.test(t)) return { kind: 'name', name: t };
  const host = normaliseHost(t);
  return host ? { kind: 'host', host, loginServers: candidateLoginServers(host) } : null;
}

/** Does this registry answer to the host (login server, or one of its data endpoints)? */
export function registryServesHost(
  registry: { loginServer: string; dataEndpointHostNames: readonly string[] },
  ref: { host: string; loginServers: readonly string[] },
): boolean {
  const login = registry.loginServer.toLowerCase();
  return ref.loginServers.includes(login) || registry.dataEndpointHostNames.some((h) => h.toLowerCase() === ref.host);
}
