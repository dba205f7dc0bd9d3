/**
 * The runner's address as the registry sees it, from the registry itself: one anonymous `GET https://<login server>/v2/`.
 * ACR's firewall refuses an address it does not admit with 403 and `{"errors":[{"code":"DENIED","message":"client with
 * IP '<address>' is not allowed access. …"}]}`; an address it admits gets the 401 Bearer challenge (docs/azure.md, "The
 * registry's own answer to an anonymous /v2/"). No third-party "what is my IP" service: the registry's view is the one
 * that counts (a NAT, a proxy or IPv6 egress can differ from what any other service reports).
 *
 * --registry-endpoint / ACR_ACCESS_REGISTRY_ENDPOINT replaces `https://<login server>` (a proxy, the tests' emulator);
 * `{loginServer}` in it is filled in.
 */
import { parseIp } from '../core/ip.js';
import { EXIT } from './io.js';
import { CliExit, describeFetchError } from './ci-client.js';

export type Probe = { kind: 'denied'; ip: string } | { kind: 'admitted' };

const DENIED = /client with IP '([^']{1,64})' is not allowed access/;

/** `name` → `name.azurecr.io`; a host is kept as given (sovereign clouds, DNL names). */
export function loginServerOf(registry: string): string {
  const r = registry.trim().toLowerCase();
  return r.includes('.') ? r : `${r}.azurecr.io`;
}

export async function probeRegistry(loginServer: string, endpoint: string | undefined): Promise<Probe> {
  const base = (endpoint ?? 'https://{loginServer}').replace('{loginServer}', loginServer).replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}/v2/`, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new CliExit(EXIT.azure, `the registry ${loginServer} did not answer: ${describeFetchError(err)}`);
  }
  const text = (await res.text()).slice(0, 8192);
  if (res.status === 401) return { kind: 'admitted' };
  if (res.status === 403) {
    let message = text;
    try {
      const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
      message = body.errors?.find((e) => e.code === 'DENIED')?.message ?? text;
    } catch {
      // not JSON: read the text as it is
    }
    const m = DENIED.exec(message);
    const ip = m ? parseIp(m[1]!) : null;
    if (ip) return { kind: 'denied', ip: ip.text };
  }
  throw new CliExit(
    EXIT.failure,
    `the registry ${loginServer} did not answer with a firewall denial naming this runner's address (HTTP ${res.status}): is it an ACR registry with a firewall?`,
  );
}
