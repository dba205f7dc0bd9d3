/**
 * What every recogniser shares: the site and result types, bounded slices around an anchor, the "registry context"
 * test that keeps generic phrases (`403 Forbidden`, `no such host`, `i/o timeout`) from matching an Azure Storage,
 * Azure SQL or web-server error, and the data-path test for network failures.
 */
import type { FindingKind } from '../finding.js';
import type { Doc } from './doc.js';
import { isBlobHost, isDataEndpointHost } from './host.js';

export interface Site {
  pos: number;
  anchor: string;
  recogniser: Recogniser;
}

export interface Recognised {
  kind: FindingKind;
  ip: string | null;
  /** Offset in `flat` where the recognised text ends (for the excerpt). */
  end: number;
  /** Only report when the registry turns out to be an ACR host (an HTML 403 page may come from a proxy). */
  requireAcrHost?: boolean;
}

export interface Recogniser {
  name: string;
  anchors: readonly string[];
  /** Anchors that are ACR- or registry-specific and need no further context. */
  selfEvident?: readonly string[];
  check(doc: Doc, site: Site): Recognised | null;
}

export const NEAR = 600;

/** A bounded lower-cased slice around `pos`. */
export function near(doc: Doc, pos: number, before = NEAR, after = NEAR): string {
  return doc.lower(pos - before, pos + after);
}

const REGISTRY_WORDS = [
  'azurecr',
  '/v2/',
  '/oauth2/',
  'registry',
  'image',
  'docker',
  'manifest',
  'aka.ms/acr',
  'helm',
  'oci://',
  'skopeo',
  'repository',
  'pull',
  'push',
  'token',
  'containerd',
  'kubelet',
  'crictl',
  'podman',
  'oras',
  'acr ',
  'mcr.microsoft.com',
  'acb_step',
  'trivy',
];

export function hasRegistryContext(text: string): boolean {
  for (const w of REGISTRY_WORDS) if (text.includes(w)) return true;
  return false;
}

export function containsAny(text: string, words: readonly string[]): boolean {
  for (const w of words) if (text.includes(w)) return true;
  return false;
}

/** Azure Storage's own firewall/authorization errors: not ACR (test/fixtures/errors/FORMATS.md §D look-alikes). */
export const STORAGE_WORDS = [
  'authorizationfailure',
  'this request is not authorized to perform this operation',
  'server failed to authenticate the request',
];

/** Host of the request the failure is about: the last URL or `lookup <host>` before the anchor on its line. */
export function failingHost(doc: Doc, pos: number): string | null {
  const li = doc.lineOf(pos);
  const start = Math.max(doc.starts[li] ?? 0, pos - NEAR);
  const seg = doc.lower(start, pos);
  const u = seg.lastIndexOf('://');
  const l = seg.lastIndexOf('lookup ');
  const at = Math.max(u >= 0 ? u + 3 : -1, l >= 0 ? l + 7 : -1);
  if (at < 0) return null;
  let e = at;
  while (e < seg.length && e - at < 256 && !' /"\':'.includes(seg[e] as string)) e++;
  return seg.slice(at, e);
}

function isDataPath(host: string | null): boolean {
  return host !== null && (isBlobHost(host) || isDataEndpointHost(host));
}

const DATA_PHASE = ['error pulling image configuration', 'download failed after attempts', 'httpreadseeker'];

/**
 * A network failure on a blob or data-endpoint host is the data path. When the failing request's host is not
 * named (`dial tcp 20.60.1.1:443: i/o timeout`), the phase words decide (E10: `error pulling image configuration:
 * download failed`); a request to the login server itself (`/v2/<repo>/blobs/…` answered 403) is not.
 */
export function networkKind(doc: Doc, pos: number, fallback: FindingKind): FindingKind {
  const host = failingHost(doc, pos);
  if (isDataPath(host)) return 'data_endpoint_blocked';
  if (host?.includes('.')) return fallback;
  if (containsAny(near(doc, pos, 300, 40), DATA_PHASE)) return 'data_endpoint_blocked';
  return fallback;
}

export function generic(
  name: string,
  kind: FindingKind,
  anchors: readonly string[],
  selfEvident: readonly string[] = [],
  reject: readonly string[] = [],
): Recogniser {
  return {
    name,
    anchors,
    selfEvident,
    check(doc, site) {
      const ctx = near(doc, site.pos);
      if (containsAny(ctx, reject)) return null;
      if (!selfEvident.includes(site.anchor) && !hasRegistryContext(ctx)) return null;
      return { kind, ip: null, end: site.pos + site.anchor.length };
    },
  };
}
