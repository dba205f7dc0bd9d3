/**
 * Recognisers for what the network and the registry firewall say: the denial itself, a 403 that names no address,
 * name resolution, timeouts, the data path, TLS and the Python SDK's connection-pool wrapper. The messages are
 * listed with their sources in docs/azure.md, "Error messages".
 */
import { parseIp } from '../ip.js';
import * as P from './patterns.js';
import {
  containsAny,
  hasRegistryContext,
  near,
  NEAR,
  networkKind,
  STORAGE_WORDS,
  type Recogniser,
} from './recognise-support.js';

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

export const firewall: Recogniser = {
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

export const forbidden: Recogniser = {
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
    'error parsing http 403 response body',
    '{"message":"denied"}',
  ],
  selfEvident: ['connectivity_forbidden_error', "don't have access to registry"],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    if (containsAny(ctx, STORAGE_WORDS)) return null;
    // App Service relays a registry's bare `denied` (public access disabled, no private path) as the daemon's JSON.
    if (site.anchor === '{"message":"denied"}' && !ctx.includes('dockerapiexception')) return null;
    const self = this.selfEvident?.includes(site.anchor) === true;
    if (!self && !hasRegistryContext(ctx)) return null;
    const kind = networkKind(doc, site.pos, 'registry_forbidden');
    // A 403 HTML page (nginx, a CDN, a mirror) is a web server talking, not the registry API (ot-01).
    const requireAcrHost = containsAny(ctx, HTML_PAGE);
    return { kind, ip: null, end: site.pos + site.anchor.length, requireAcrHost };
  },
};

export const dns: Recogniser = {
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

export const timeout: Recogniser = {
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
    'connection attempt failed',
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

export const dataEndpoint: Recogniser = {
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

/** TLS failures on the way to a registry: the name a certificate does not cover, an intercepting proxy, a cut handshake. */
export const tls: Recogniser = {
  name: 'tls',
  anchors: [
    'x509: certificate is valid for',
    'x509: certificate signed by unknown authority',
    'tls: failed to verify certificate',
    'certificate verify failed',
    'bad handshake',
    "doesn't contain any ip sans",
    'ssl routines',
  ],
  check(doc, site) {
    if (!hasRegistryContext(near(doc, site.pos))) return null;
    return { kind: 'tls_error', ip: null, end: site.pos + site.anchor.length };
  },
};

const NEVER_POOL_HOSTS = ['management.', 'login.microsoftonline.', 'graph.microsoft.', '.blob.core.', '.vault.azure.'];
const DNS_CAUSES = [
  'nameresolutionerror',
  'failed to resolve',
  'name or service not known',
  'getaddrinfo',
  'nodename nor servname',
  'no address associated',
];

/**
 * Python's `HTTPSConnectionPool(host=…): Max retries exceeded … (Caused by …)` (az CLI, the Python SDKs). The cause
 * decides the kind; a TLS cause is left to the tls recogniser, and pools to ARM, Entra ID or storage are not a
 * registry's.
 */
export const connectionPool: Recogniser = {
  name: 'connection_pool',
  anchors: ['max retries exceeded with url'],
  check(doc, site) {
    const before = doc.lower(site.pos - 300, site.pos);
    const host = P.CONNECTION_POOL_HOST.exec(before)?.[1] ?? null;
    if (host === null || containsAny(host, NEVER_POOL_HOSTS)) return null;
    const after = doc.lower(site.pos, site.pos + 600);
    if (after.includes('sslerror')) return null;
    if (!host.includes('.azurecr') && !hasRegistryContext(near(doc, site.pos))) return null;
    const kind = containsAny(after, DNS_CAUSES) ? 'dns_failure' : 'network_timeout';
    return { kind, ip: null, end: site.pos + site.anchor.length };
  },
};
