/**
 * Small phrases the summaries share. Summaries are built only from Azure data and from values the parser already
 * validated (an IP address, a host name); anything else from the paste is left out, so a summary can never carry
 * pasted markup even before a renderer escapes it.
 */
import type { IpClass, IpOwner } from '../diagnosis.js';
import type { Finding } from '../finding.js';
import type { IpFacts } from './input.js';

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const REGISTRY_NAME = /^[A-Za-z0-9]{1,50}$/;

/** A host or registry name from the paste, when it is plainly one. */
export function pastedHost(finding: Finding): string | null {
  const host = finding.loginServer?.toLowerCase() ?? null;
  if (host !== null && HOST.test(host)) return host;
  const name = finding.registryName;
  return name !== null && REGISTRY_NAME.test(name) ? name : null;
}

/** Cloud login-server suffixes (docs/azure.md, "Login servers and clouds"); else a custom domain or a typo. */
const ACR_SUFFIX =
  /\.azurecr\.(io|cn|us|de)$|\.azurecr\.eaglex\.ic\.gov$|\.azurecr\.microsoft\.scloud$|\.azurecr-test\.io$/;

export function isAcrHost(host: string): boolean {
  return ACR_SUFFIX.test(host);
}

/** Last segment of a resource id (`…/registries/myreg` → `myreg`). */
export function nameFromId(id: string): string {
  const last = id.split('/').filter(Boolean).pop() ?? '';
  return REGISTRY_NAME.test(last) ? last : 'the registry';
}

/** Azure text in a summary: one line, no control characters, bounded. */
function oneLine(text: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function ownerPhrase(owner: IpOwner): string {
  // "outbound IP of AKS cluster aks-prod (load balancer kubernetes in MC_…)": the summary keeps the first part,
  // the evidence keeps all of it.
  if (owner.detail) return oneLine(owner.detail.replace(/\s*\([^()]*\)$/, '') || owner.detail);
  const what =
    owner.kind === 'public_ip'
      ? 'public IP'
      : owner.kind === 'public_ip_prefix'
        ? 'public IP prefix'
        : 'Azure service tag';
  return oneLine(`${what} ${owner.name}`);
}

/** `203.0.113.7 (outbound IP of AKS cluster aks-prod)`, or `the client address` when none is known. */
export function clientPhrase(ip: IpFacts | null, owner: IpOwner | null): string {
  if (ip === null) return 'the client address';
  return owner ? `${ip.address} (${ownerPhrase(owner)})` : ip.address;
}

export const CLASS_WORDS: Record<IpClass, string> = {
  public: 'public',
  private: 'private (RFC 1918)',
  cgnat: 'shared (CGNAT, 100.64.0.0/10)',
  loopback: 'loopback',
  link_local: 'link-local',
  documentation: 'documentation-range',
  reserved: 'reserved',
  ipv6: 'IPv6',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
