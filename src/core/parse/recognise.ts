/**
 * Per-kind recognisers (the finding kinds of core/finding.ts; the messages and the az acr check-health
 * codes are listed with their sources in docs/azure.md, "Error messages"). Each one is a list of lower-case anchor
 * phrases (found in one pass by matcher.ts), and a check that reads a bounded slice around the anchor to confirm the
 * error, reject look-alikes and pick the kind.
 *
 * "Registry context" (a `/v2/` or `/oauth2/` URL, an ACR host, or the words tools print around pulls and logins)
 * is required for generic phrases (`403 Forbidden`, `no such host`, `i/o timeout`) so that an Azure Storage,
 * Azure SQL or web-server error is not reported as an ACR one; ACR-specific phrases stand on their own.
 */
import type { FindingKind } from '../finding.js';
import { parseIp } from '../ip.js';
import type { Doc } from './doc.js';
import { isBlobHost, isDataEndpointHost } from './host.js';
import * as P from './patterns.js';

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

const NEAR = 600;

/** A bounded lower-cased slice around `pos`. */
function near(doc: Doc, pos: number, before = NEAR, after = NEAR): string {
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
];

function hasRegistryContext(text: string): boolean {
  for (const w of REGISTRY_WORDS) if (text.includes(w)) return true;
  return false;
}

function containsAny(text: string, words: readonly string[]): boolean {
  for (const w of words) if (text.includes(w)) return true;
  return false;
}

/** Azure Storage's own firewall/authorization errors: not ACR (test/fixtures/errors/FORMATS.md §D look-alikes). */
const STORAGE_WORDS = ['authorizationfailure', 'this request is not authorized to perform this operation'];

/** Host of the request the failure is about: the last URL or `lookup <host>` before the anchor on its line. */
function failingHost(doc: Doc, pos: number): string | null {
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
function networkKind(doc: Doc, pos: number, fallback: FindingKind): FindingKind {
  const host = failingHost(doc, pos);
  if (isDataPath(host)) return 'data_endpoint_blocked';
  if (host?.includes('.')) return fallback;
  if (containsAny(near(doc, pos, 300, 40), DATA_PHASE)) return 'data_endpoint_blocked';
  return fallback;
}

function generic(
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

// ---- firewall_denied -----------------------------------------------------------------------------------------

/** Read the value after "client with IP": quoted with `'`/`"` (quotes already un-escaped), `<placeholder>`, or bare. */
function readIpValue(flat: string, from: number): { text: string; end: number } {
  let i = from;
  const limit = Math.min(flat.length, from + 16);
  while (i < limit && (flat[i] === ' ' || flat[i] === ':' || flat[i] === '=' || flat[i] === '\n')) i++;
  const open = flat[i];
  if (open === "'" || open === '"' || open === '<' || open === '[') {
    const close = open === '<' ? '>' : open === '[' ? ']' : open;
    const end = flat.indexOf(close, i + 1);
    if (end > i && end - i <= 80) return { text: flat.slice(i + 1, end), end: end + 1 };
  }
  let e = i;
  while (e < flat.length && e - i < 64 && !' \n\'",;'.includes(flat[e] as string)) e++;
  return { text: flat.slice(i, e), end: e };
}

const firewall: Recogniser = {
  name: 'firewall',
  anchors: ['client with ip', 'denied: client with'],
  check(doc, site) {
    const flat = doc.flat;
    const at = site.anchor === 'denied: client with' ? site.pos + 'denied: '.length : site.pos;
    const atEnd = (i: number): boolean => i + 8 >= flat.length && flat.slice(i).trim().length === 0;
    if (doc.lower(at, at + 14) !== 'client with ip') {
      // `denied: client with` and nothing after it: a paste cut mid-message (fw-25) is still the firewall.
      const after = at + 'client with'.length;
      if (!atEnd(after)) return null;
      return { kind: 'firewall_denied', ip: null, end: after };
    }
    const q = at + 'client with ip'.length;
    // Azure SQL: "Client with IP address '…' is not allowed to access the server" (ot-03).
    if (P.SQL_LOOKALIKE_TAIL.test(doc.lower(q, q + 12))) return null;
    const v = readIpValue(flat, q);
    const tail = doc.lower(v.end, v.end + 120);
    const confirmed =
      P.NOT_ALLOWED_ACCESS.test(tail) ||
      doc.lower(at - 24, at).includes('denied') ||
      atEnd(v.end) ||
      tail.includes('aka.ms/acr/firewall');
    if (!confirmed) return null;
    const p = parseIp(v.text);
    // Keep the address as printed (trimmed, brackets removed); redactions such as `xx.xx.xxx1.xx` are null.
    const printed = v.text.trim().replace('[', '').replace(']', '');
    return { kind: 'firewall_denied', ip: p === null ? null : printed, end: v.end };
  },
};

// ---- registry_forbidden ----------------------------------------------------------------------------------------

const HTML_PAGE = ['error parsing http 403 response body', '<title>403', '<h1>403', '<html', 'nginx/'];

const forbidden: Recogniser = {
  name: 'forbidden',
  anchors: [
    '403 forbidden',
    'response code: 403',
    'status: 403',
    'status code: 403',
    'statuscode: 403',
    'error status: 403',
    'connectivity_forbidden_error',
    "don't have access to registry",
    'response 403',
  ],
  selfEvident: ['connectivity_forbidden_error', "don't have access to registry"],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    if (containsAny(ctx, STORAGE_WORDS)) return null;
    const self = this.selfEvident?.includes(site.anchor) === true;
    if (!self && !hasRegistryContext(ctx)) return null;
    const kind = networkKind(doc, site.pos, 'registry_forbidden');
    // A 403 HTML page (nginx, a CDN, a mirror) is a web server talking, not the registry API (ot-01).
    const requireAcrHost = containsAny(ctx, HTML_PAGE);
    return { kind, ip: null, end: site.pos + site.anchor.length, requireAcrHost };
  },
};

// ---- unauthorized (401), access_denied, dns, timeouts, data endpoint, throttling, manifest, disallowed --------

const unauthorized = generic(
  'unauthorized',
  'unauthorized',
  [
    'unauthorized: ',
    '401 unauthorized',
    'response code: 401',
    '"code":"unauthorized"',
    'status: 401',
    'status code: 401',
    'authentication required',
    'application not registered with aad',
    'invalid clientid or client secret',
    'incorrect username or password',
    'unauthorized unauthorized',
  ],
  ['application not registered with aad', 'invalid clientid or client secret', '"code":"unauthorized"'],
  ['proxy authentication required'],
);

const accessDenied: Recogniser = {
  name: 'access_denied',
  anchors: [
    'requested access to the resource is denied',
    'retrieving permissions failed',
    'insufficient_scope',
    'does not have authorization to perform action',
    'authorizationfailed',
    'pull access denied',
  ],
  selfEvident: [
    'requested access to the resource is denied',
    'retrieving permissions failed',
    'insufficient_scope',
    'pull access denied',
  ],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    if (this.selfEvident?.includes(site.anchor) === true)
      return { kind: 'access_denied', ip: null, end: site.pos + site.anchor.length };
    // ARM AuthorizationFailed counts only for a container registry resource or action (ad-03).
    if (!ctx.includes('microsoft.containerregistry')) return null;
    return { kind: 'access_denied', ip: null, end: site.pos + site.anchor.length };
  },
};

const dns: Recogniser = {
  name: 'dns',
  anchors: [
    'no such host',
    'could not connect to the registry login server',
    'connectivity_dns_error',
    'failed to reach dns for registry',
    'dial tcp: lookup ',
    'server misbehaving',
    'temporary failure in name resolution',
    'name or service not known',
    'getaddrinfo enotfound',
    'could not resolve host',
    'unresolvable host',
  ],
  selfEvident: [
    'could not connect to the registry login server',
    'connectivity_dns_error',
    'failed to reach dns for registry',
  ],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    if (!this.selfEvident?.includes(site.anchor) && !hasRegistryContext(ctx)) return null;
    return { kind: networkKind(doc, site.pos, 'dns_failure'), ip: null, end: site.pos + site.anchor.length };
  },
};

const timeout: Recogniser = {
  name: 'timeout',
  anchors: [
    'i/o timeout',
    'client.timeout exceeded',
    'context deadline exceeded',
    'connection timed out',
    'tls handshake timeout',
    'request canceled while waiting for connection',
    'connection reset by peer',
    'connect: connection refused',
    'network is unreachable',
    'no route to host',
  ],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    if (!hasRegistryContext(ctx)) return null;
    // `dial tcp: lookup x on 10.0.0.10:53: i/o timeout` is the DNS server timing out: the dns recogniser has it.
    const li = doc.lineOf(site.pos);
    const seg = doc.lower(Math.max(doc.starts[li] ?? 0, site.pos - NEAR), site.pos);
    if (seg.lastIndexOf('lookup ') > seg.lastIndexOf('://')) return null;
    return { kind: networkKind(doc, site.pos, 'network_timeout'), ip: null, end: site.pos + site.anchor.length };
  },
};

/** How a blob or data-endpoint request failed, right after its URL. Digests are hex, so `403` needs a boundary. */
const DATA_FAILURES = [
  ': eof',
  ' eof',
  'timeout',
  'timed out',
  'connection refused',
  'connection reset',
  ' 403',
  ':403',
  'forbidden',
  'no such host',
  'handshake',
  'unreachable',
  'deadline exceeded',
  'authorizationfailure',
  'not authorized',
  'denied',
];
const PULL_WORDS = [
  'docker/registry/v2',
  'image',
  'pull',
  'layer',
  'httpreadseeker',
  'manifest',
  'azurecr',
  'containerd',
  'kubelet',
  'docker',
  'blobs/sha256',
];

const dataEndpoint: Recogniser = {
  name: 'data_endpoint',
  anchors: ['.blob.core.', '.data.azurecr.', 'error pulling image configuration', 'download failed after attempts'],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    if (ctx.includes('client with ip')) return null;
    const after = doc.lower(site.pos, site.pos + 400);
    if (!containsAny(after, DATA_FAILURES)) return null;
    if (!containsAny(ctx, PULL_WORDS)) return null;
    return { kind: 'data_endpoint_blocked', ip: null, end: site.pos + site.anchor.length };
  },
};

const throttled = generic(
  'throttled',
  'throttled',
  ['toomanyrequests', 'too many requests', 'connectivity_toomanyrequests_error', '429 too many'],
  ['toomanyrequests', 'connectivity_toomanyrequests_error'],
);

const manifestUnknown: Recogniser = {
  name: 'manifest_unknown',
  anchors: ['manifest unknown', 'manifest_unknown', 'name_unknown', 'name unknown', ': not found'],
  selfEvident: ['manifest unknown', 'manifest_unknown', 'name_unknown'],
  check(doc, site) {
    if (site.anchor === ': not found') {
      // containerd: `failed to resolve reference "x": x: not found`; a missing layer (`content descriptor
      // sha256:… from remote: not found`, ua-05) is not a wrong tag.
      const before = near(doc, site.pos, 400, 0);
      const r = before.lastIndexOf('failed to resolve reference');
      if (r < 0 || before.indexOf('descriptor', r) >= 0) return null;
    } else if (!this.selfEvident?.includes(site.anchor) && !hasRegistryContext(near(doc, site.pos))) return null;
    return { kind: 'manifest_unknown', ip: null, end: site.pos + site.anchor.length };
  },
};

const disallowed = generic(
  'operation_disallowed',
  'operation_disallowed',
  ['operation is disallowed', 'disallowed-operation', 'disallowed operation'],
  ['operation is disallowed', 'disallowed-operation', 'disallowed operation'],
);

/** All recognisers; `az acr`'s `Response code: 401/403` lines are split between `unauthorized` and `forbidden`. */
export const RECOGNISERS: readonly Recogniser[] = [
  firewall,
  forbidden,
  unauthorized,
  accessDenied,
  dns,
  timeout,
  dataEndpoint,
  throttled,
  manifestUnknown,
  disallowed,
];
