/**
 * Recognisers for what is not the network: credentials (401), roles, the identity a service pulls with,
 * throttling (the registry's own, or an upstream's behind a cache rule or an import), a missing image and a
 * refused write. The messages are listed with their sources in docs/azure.md, "Error messages".
 */
import * as P from './patterns.js';
import { containsAny, generic, hasRegistryContext, near, type Recogniser } from './recognise-support.js';

export const unauthorized = generic(
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
    'invalid credential to pull image',
    'please check the image and registry credential',
    'unauthorized error encountered while attempting to connect to the container registry',
  ],
  [
    'application not registered with aad',
    'invalid clientid or client secret',
    '"code":"unauthorized"',
    'invalid credential to pull image',
    'unauthorized error encountered while attempting to connect to the container registry',
  ],
  ['proxy authentication required'],
);

export const accessDenied: Recogniser = {
  name: 'access_denied',
  anchors: [
    'requested access to the resource is denied',
    'retrieving permissions failed',
    'insufficient_scope',
    'does not have authorization to perform action',
    'authorizationfailed',
    'pull access denied',
    'could not get sas url to upload',
  ],
  selfEvident: [
    'could not get sas url to upload',
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

/**
 * Azure ML's `Authentication failed for container registry <name>`: ACR when a bare registry name follows; a host
 * such as `docker.io` is another registry's credentials (a held-out look-alike).
 */
export const mlRegistryAuth: Recogniser = {
  name: 'ml_registry_auth',
  anchors: ['authentication failed for container registry '],
  check(doc, site) {
    const from = site.pos + site.anchor.length;
    const rest = doc.lower(from, from + 80);
    let e = 0;
    while (e < rest.length && !' \n\t"\''.includes(rest[e] as string)) e++;
    const name = rest.endsWith('.', e) ? rest.slice(0, e - 1) : rest.slice(0, e);
    if (name.length === 0 || (name.includes('.') && !name.includes('.azurecr'))) return null;
    return { kind: 'unauthorized', ip: null, end: from + name.length };
  },
};

/** Words that put a 429 upstream: ACR's cache rules and imports relay the source registry's throttling. */
const UPSTREAM = [
  'source registry',
  'cache rule',
  'pull rate limit',
  'increase-rate-limit',
  'docker.io',
  'mcr.microsoft.com',
  'az acr import',
];

export const throttled: Recogniser = {
  name: 'throttled',
  anchors: ['toomanyrequests', 'too many requests', 'connectivity_toomanyrequests_error', '429 too many', 'http 429'],
  check(doc, site) {
    const ctx = near(doc, site.pos);
    const self = site.anchor === 'toomanyrequests' || site.anchor === 'connectivity_toomanyrequests_error';
    if (!self && !hasRegistryContext(ctx)) return null;
    const kind = containsAny(near(doc, site.pos, 400, 300), UPSTREAM) ? 'upstream_throttled' : 'throttled';
    return { kind, ip: null, end: site.pos + site.anchor.length };
  },
};

/** A service told to pull with a managed identity that is missing, unassigned, or has no role on the registry. */
export const identity = generic(
  'identity_pull_failed',
  'identity_pull_failed',
  [
    'unable to pull image using managed identity',
    'no managed identity is assigned',
    'failed to retrieve container registry credentials',
    'no credential was provided to access azure container registry',
    'acrusemanagedidentitycreds',
  ],
  [
    'unable to pull image using managed identity',
    'no managed identity is assigned',
    'failed to retrieve container registry credentials',
    'no credential was provided to access azure container registry',
    'acrusemanagedidentitycreds',
  ],
);

/** "Access to x.azurecr.io denied." from ACR import or a task; the `Response code: 401/403` form is the CLI's own. */
export const accessTo: Recogniser = {
  name: 'access_to',
  anchors: ['access to '],
  check(doc, site) {
    const at = doc.lower(site.pos, site.pos + 300);
    if (!P.ACCESS_TO_HOST_DENIED.test(at) || !at.includes('.azurecr')) return null;
    if (P.RESPONSE_CODE_4XX.test(at.slice(0, 160))) return null;
    return { kind: 'access_denied', ip: null, end: site.pos + 40 };
  },
};

export const manifestUnknown: Recogniser = {
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

export const disallowed = generic(
  'operation_disallowed',
  'operation_disallowed',
  ['operation is disallowed', 'disallowed-operation', 'disallowed operation'],
  ['operation is disallowed', 'disallowed-operation', 'disallowed operation'],
);
