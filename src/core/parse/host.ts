/**
 * Host → login server and registry name (docs/azure.md, "Login servers and clouds").
 *
 * ACR login servers: `<name>.azurecr.io` (public), `.azurecr.cn` (China), `.azurecr.us` (US Gov), air-gapped
 * `.azurecr.eaglex.ic.gov` and `.azurecr.microsoft.scloud`, legacy `.azurecr.de`, internal `.azurecr-test.io`.
 * Under a suffix the name can carry a Domain Name Label hash (`<name>-<hash>`: the dash is the hash delimiter and
 * registry names cannot contain one), a data endpoint (`<name>.<region>.data`), a geo endpoint
 * (`<name>.<region>.geo`) or the private-link zone (`<name>.privatelink`). Registry names are 5–50 alphanumerics;
 * anything else under an ACR suffix cannot be a real registry and is treated as a placeholder. Tutorial names
 * (`myregistry`) are kept, since many real registries carry them, but lose to any other name in the same paste.
 * A host that is not ACR (an Application Gateway custom domain, MCR) keeps its login server and has no registry
 * name. Docker Hub is the registry Docker falls back to when an image names none, so it yields neither.
 */
import * as P from './patterns.js';
import { hasRedactionMarks, isPlaceholderDomain, isPlaceholderRegistryName, isRedacted } from './redaction.js';

export type HostState = 'real' | 'redacted' | 'placeholder' | 'dockerhub' | 'invalid';

export interface HostInfo {
  /** The host as written, lower-cased. */
  raw: string;
  state: HostState;
  loginServer: string | null;
  registryName: string | null;
  /** Under an ACR login-server suffix. */
  acr: boolean;
  /** Identity for "the same registry" across mentions: registry name when known, else the host as written. */
  key: string;
}

/** Longest first, so `.azurecr.microsoft.scloud` is not read as something under `.azurecr.`. */
const ACR_SUFFIXES = [
  '.azurecr.microsoft.scloud',
  '.azurecr.eaglex.ic.gov',
  '.azurecr-test.io',
  '.azurecr.io',
  '.azurecr.cn',
  '.azurecr.us',
  '.azurecr.de',
];

const DOCKER_HUB_HOSTS = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
  'hub.docker.com',
]);

function info(
  raw: string,
  state: HostState,
  loginServer: string | null,
  registryName: string | null,
  acr: boolean,
): HostInfo {
  // Every mask is one "hidden registry": a CI log masks the same secret the same way on every line.
  return {
    raw,
    state,
    loginServer,
    registryName,
    acr,
    key: state === 'redacted' ? '<redacted>' : (registryName ?? loginServer ?? raw),
  };
}

function isAlnum(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/** DNS host name check without a regex: labels of `[a-z0-9-]`, not starting or ending with `-`, a letter TLD. */
function isHostName(h: string): boolean {
  if (h.length === 0 || h.length > 253) return false;
  if (h === 'localhost') return true;
  const labels = h.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
    for (const c of l) if (!isAlnum(c) && c !== '-') return false;
  }
  const tld = labels[labels.length - 1] as string;
  return tld.length >= 2 && tld[0] !== undefined && tld[0] >= 'a' && tld[0] <= 'z';
}

/** Where the ACR suffix ends in a doubled host such as `x.azurecr.iox.azurecr.io` (ot-17): cut after the first. */
function findAcrSuffix(h: string): { at: number; end: number } | null {
  for (const s of ACR_SUFFIXES) {
    const at = h.indexOf(s);
    if (at < 0) continue;
    const end = at + s.length;
    const next = h[end];
    if (next === undefined || isAlnum(next) || next === '-') return { at, end };
    // `x.azurecr.io.evil.example`: the suffix is not at the end of the name, so this is not an ACR host.
    return null;
  }
  return null;
}

/** Name part of an ACR host (`name`, `name-hash`, `name.region.data`, `name.region.geo`, `name.privatelink`). */
function acrName(prefix: string): { name: string | null; valid: boolean } {
  const labels = prefix.split('.');
  if (labels[labels.length - 1] === 'privatelink') labels.pop();
  let label: string | undefined;
  if (labels.length === 1) label = labels[0];
  else if (labels.length === 3 && (labels[2] === 'data' || labels[2] === 'geo')) label = labels[0];
  else return { name: null, valid: labels.every((l) => l.length > 0 && [...l].every((c) => isAlnum(c) || c === '-')) };
  if (label === undefined || label.length === 0) return { name: null, valid: false };
  if (P.REGISTRY_NAME.test(label)) return { name: label, valid: true };
  const dnl = P.DNL_LABEL.exec(label);
  if (dnl?.[1] !== undefined) return { name: dnl[1], valid: true };
  return { name: null, valid: false };
}

/** A name typed in capitals (`MYREG`, `XXX`): image references and ACR names are lower-case, so a person wrote it. */
function isShouted(written: string): boolean {
  let upper = 0;
  for (const c of written) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') upper++;
  }
  return upper >= 2;
}

export function classifyHost(written: string): HostInfo {
  let h = written.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.length === 0 || h.length > 253 || hasRedactionMarks(h))
    return info(h, 'redacted', null, null, h.includes('.azurecr'));
  if (DOCKER_HUB_HOSTS.has(h)) return info(h, 'dockerhub', null, null, false);
  // `get azurecr.io/v2/…` (a held-out Azure ML paste): the registry label is missing altogether.
  if (ACR_SUFFIXES.includes(`.${h}`)) return info(h, 'redacted', null, null, true);
  const suffix = findAcrSuffix(h);
  if (suffix !== null) {
    const host = h.slice(0, suffix.end);
    const prefix = h.slice(0, suffix.at);
    // `https://.azurecr.io` (fw-01): the name was deleted by the poster.
    if (prefix.length === 0) return info(host, 'redacted', null, null, true);
    const { name, valid } = acrName(prefix);
    if (!valid) return info(host, 'placeholder', null, null, true);
    if (name !== null && (isRedacted(name) || isShouted(written.slice(0, suffix.at))))
      return info(host, 'redacted', null, null, true);
    // A tutorial-style name (`myregistry`, `contosoprod`) may well be the real one: keep it, ranked below a real name.
    if (name !== null && isPlaceholderRegistryName(name)) return info(host, 'placeholder', host, name, true);
    return info(host, 'real', host, name, true);
  }
  if (!isHostName(h)) return info(h, 'invalid', null, null, false);
  if (isPlaceholderDomain(h)) return info(h, 'placeholder', null, null, false);
  return info(h, 'real', h, null, false);
}

/** A bare registry name (ARM resource id `…/registries/<name>`, `az acr login --name <name>`). */
export function classifyRegistryName(written: string): HostInfo {
  const n = written.toLowerCase();
  if (!P.REGISTRY_NAME.test(n)) return info(n, hasRedactionMarks(n) ? 'redacted' : 'placeholder', null, null, true);
  if (isRedacted(n)) return info(n, 'redacted', null, null, true);
  if (isPlaceholderRegistryName(n)) return info(n, 'placeholder', null, n, true);
  return info(n, 'real', null, n, true);
}

/** Hosts that serve blobs for a pull (storage behind ACR, or a dedicated data endpoint): not the login server. */
export function isBlobHost(host: string): boolean {
  const h = host.toLowerCase();
  return h.includes('.blob.core.') || h.includes('.blob.storage.azure.net');
}

export function isDataEndpointHost(host: string): boolean {
  const h = host.toLowerCase();
  const s = findAcrSuffix(h);
  if (s === null) return false;
  const labels = h.slice(0, s.at).split('.');
  if (labels[labels.length - 1] === 'privatelink') labels.pop();
  return labels.length === 3 && labels[2] === 'data';
}

/** Hosts that appear in error text but are never the registry: documentation links, ARM, Entra ID. */
const NOT_REGISTRY_HOSTS = [
  'aka.ms',
  'learn.microsoft.com',
  'docs.microsoft.com',
  'management.azure.com',
  'login.microsoftonline.com',
  'github.com',
  'schema.skype.com',
  'schemas.microsoft.com',
  'go.microsoft.com',
  'portal.azure.com',
  'docs.docker.com',
];

export function isNeverRegistryHost(host: string): boolean {
  const h = host.toLowerCase();
  if (isBlobHost(h)) return true;
  for (const n of NOT_REGISTRY_HOSTS) if (h === n || h.endsWith(`.${n}`)) return true;
  return false;
}

/**
 * Registries that are not ACR and answer with their own 403s and `denied`s: GitHub, Amazon ECR, Google, Quay, GitLab,
 * Alibaba, Oracle, Red Hat, NVIDIA and Docker Hub. A refusal from one of them is never an ACR firewall (the held-out
 * look-alikes: ghcr's `denied: denied`, ECR Public's `403 Forbidden`). MCR is left out: it is served by ACR.
 */
const OTHER_REGISTRY_SUFFIXES = [
  'ghcr.io',
  'docker.pkg.github.com',
  'amazonaws.com',
  'public.ecr.aws',
  'gcr.io',
  'pkg.dev',
  'quay.io',
  'registry.gitlab.com',
  'aliyuncs.com',
  'ocir.io',
  'registry.redhat.io',
  'nvcr.io',
];

export function isOtherRegistryHost(host: string): boolean {
  const h = host.toLowerCase();
  if (DOCKER_HUB_HOSTS.has(h)) return true;
  for (const n of OTHER_REGISTRY_SUFFIXES) if (h === n || h.endsWith(`.${n}`)) return true;
  return false;
}
