/**
 * Image references and registry API URLs → host, repository, reference.
 *
 * Image reference grammar (distribution spec, as Docker normalises it): `[host[:port]/]path[:tag][@digest]`; the
 * first component is a host only when it has a `.` or `:` or is `localhost`, otherwise the image is on Docker Hub.
 * Repository components are lowercase alphanumerics joined by `.`, `_`, `-` (dots are legal: `aem6.5-authbaseimage`,
 * ua-01) and may nest (`docker-hub/esridocker/enterprise-admin`, ua-05). A tag is `[\w][\w.-]{0,127}` (a 40-hex tag
 * is a tag, fw-02); a digest is `sha256:<64 hex>`.
 *
 * Registry API paths: `/v2/<name>/manifests/<reference>` (the image), `/v2/<name>/blobs/<digest>` (a layer: its
 * digest is NOT the image reference), `/v2/<name>/tags/list`, `/v2/` (login ping), and the token endpoint
 * `/oauth2/token?scope=repository%3A<name>%3Apull&service=<host>` (ua-03, ua-05).
 */
import { MAX_TOKEN_CHARS } from './limits.js';
import * as P from './patterns.js';
import { hasRedactionMarks, isRedacted } from './redaction.js';

export interface ImageParts {
  /** Host as written (port removed), null when the image names none (Docker Hub). */
  host: string | null;
  /** Valid repository, null when redacted or malformed. */
  repository: string | null;
  /** Repository as written, for matching mentions of the same image even when redacted. */
  repoRaw: string | null;
  /** Tag or digest, null when absent or redacted. */
  reference: string | null;
}

const TRAILING_PUNCT = new Set(['.', ',', ';', ':', ')', ']', '}', "'", '"', '>']);
const LEADING_PUNCT = new Set(["'", '"', '(', '[', '{']);

export function trimToken(token: string): string {
  let s = 0;
  let e = token.length;
  for (let i = 0; i < 8 && s < e && LEADING_PUNCT.has(token[s] as string); i++) s++;
  for (let i = 0; i < 8 && e > s && TRAILING_PUNCT.has(token[e - 1] as string); i++) {
    // `<redacted>` and `{registryname}` end in a bracket that belongs to the placeholder: keep it visible.
    const c = token[e - 1] as string;
    if ((c === '>' && token.lastIndexOf('<', e - 1) >= s) || (c === '}' && token.lastIndexOf('{', e - 1) >= s)) break;
    e--;
  }
  return token.slice(s, e);
}

/** A repository path if every component is valid and none is a placeholder; else null. */
export function validRepository(path: string): string | null {
  if (path.length === 0 || path.length > 255 || hasRedactionMarks(path)) return null;
  const parts = path.split('/');
  if (parts.length > 16) return null;
  for (const p of parts) if (!P.REPOSITORY_COMPONENT.test(p) || isRedacted(p)) return null;
  return path;
}

/** A tag or digest if it is well-formed and not a placeholder; else null. */
export function validReference(ref: string): string | null {
  if (ref.length === 0 || ref.length > 200) return null;
  if (ref.startsWith('sha')) {
    if (P.DIGEST.test(ref)) return ref;
    if (ref.includes(':')) return null;
  }
  if (!P.TAG.test(ref) || isRedacted(ref)) return null;
  return ref;
}

function stripPort(host: string): string {
  const c = host.lastIndexOf(':');
  if (c < 0) return host;
  const port = host.slice(c + 1);
  for (const ch of port) if (ch < '0' || ch > '9') return host;
  return host.slice(0, c);
}

/** Parse `[host/]repo[:tag][@digest]` (schemes `docker://`, `oci://` already removed). */
export function parseImageRef(written: string): ImageParts | null {
  let t = trimToken(written);
  if (t.length === 0 || t.length > MAX_TOKEN_CHARS || t.includes('://')) return null;
  let reference: string | null = null;
  let digestPart = false;
  const at = t.indexOf('@');
  if (at >= 0) {
    digestPart = true;
    const d = t.slice(at + 1);
    reference = P.DIGEST.test(d) ? d : null;
    t = t.slice(0, at);
  }
  let host: string | null = null;
  let rest = t;
  const slash = t.indexOf('/');
  if (slash > 0) {
    const first = t.slice(0, slash);
    // A first component that is only mask characters (`***/app:1`, a CI secret) stands for the registry host.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || P.MASKED_HOST.test(first)) {
      host = stripPort(first);
      rest = t.slice(slash + 1);
    }
  }
  if (rest.length === 0) return host === null ? null : { host, repository: null, repoRaw: null, reference };
  let repoRaw = rest;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    repoRaw = rest.slice(0, colon);
    if (!digestPart) reference = validReference(rest.slice(colon + 1));
  }
  return { host, repository: validRepository(repoRaw), repoRaw, reference };
}

export interface UrlParts {
  host: string;
  /** The path is a registry API path (`/v2/…`, `/oauth2/…`, `/acr/v1/…`). */
  registryPath: boolean;
  repository: string | null;
  repoRaw: string | null;
  reference: string | null;
  /** Offset just past the URL in the text it was read from. */
  end: number;
}

const HOST_STOP = new Set(['/', '?', '#', ':', '"', "'", '|', ')', ']', ',', ';', '`', ' ', '\n', '\t', '\\']);
const PATH_STOP = new Set(['"', "'", '|', ')', ']', ',', ';', '`', ' ', '\n', '\t', '\\']);

/** Decode the few escapes that appear in a token URL's `scope=` without decodeURIComponent (which throws). */
function decodeScope(s: string): string {
  let out = '';
  for (let i = 0; i < s.length && i < MAX_TOKEN_CHARS; i++) {
    const c = s[i] as string;
    if (c === '%' && i + 2 < s.length) {
      const code = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (Number.isFinite(code) && code >= 0x20 && code < 0x7f) {
        out += String.fromCharCode(code);
        i += 2;
        continue;
      }
    }
    out += c === '+' ? ' ' : c;
  }
  return out;
}

function pathParts(path: string): Pick<UrlParts, 'registryPath' | 'repository' | 'repoRaw' | 'reference'> {
  const lower = path.toLowerCase();
  const none = { repository: null, repoRaw: null, reference: null };
  if (lower.startsWith('/v2/') || lower === '/v2') {
    const q = path.indexOf('?');
    const rest = path.slice(4, q >= 0 ? q : path.length);
    const restLower = rest.toLowerCase();
    let cut = -1;
    let what = '';
    for (const marker of ['/manifests/', '/blobs/', '/tags/']) {
      const i = restLower.lastIndexOf(marker);
      if (i > cut) {
        cut = i;
        what = marker;
      }
    }
    if (cut <= 0) return { registryPath: true, ...none };
    const repoRaw = rest.slice(0, cut);
    const tail = trimToken(rest.slice(cut + what.length));
    const reference = what === '/manifests/' ? validReference(tail) : null;
    return { registryPath: true, repository: validRepository(repoRaw), repoRaw, reference };
  }
  if (lower.startsWith('/oauth2/') || lower.startsWith('/acr/v1/')) {
    const s = lower.indexOf('scope=');
    if (s < 0) return { registryPath: true, ...none };
    let e = path.indexOf('&', s);
    if (e < 0) e = path.length;
    const scope = decodeScope(path.slice(s + 6, e));
    // `repository:<name>:pull[,push]`; names cannot contain `:`.
    if (!scope.startsWith('repository:')) return { registryPath: true, ...none };
    const body = scope.slice('repository:'.length);
    const c = body.lastIndexOf(':');
    const repoRaw = c >= 0 ? body.slice(0, c) : body;
    return { registryPath: true, repository: validRepository(repoRaw), repoRaw, reference: null };
  }
  return { registryPath: false, ...none };
}

/**
 * Read a URL starting just after `://` at `from` in `text`. The host keeps placeholder characters (`<acr-name>`,
 * `***`, `{registryname}`) so they are seen as redactions; it stops at a space (`{Container registry}` then
 * yields `{Container`, still a redaction).
 */
export function readUrl(text: string, from: number): UrlParts | null {
  let i = from;
  const limit = Math.min(text.length, from + MAX_TOKEN_CHARS);
  while (i < limit && !HOST_STOP.has(text[i] as string)) i++;
  const host = text.slice(from, i);
  if (host.length === 0)
    return { host: '', registryPath: false, repository: null, repoRaw: null, reference: null, end: i };
  if (text[i] === ':') {
    let j = i + 1;
    while (j < limit && (text[j] as string) >= '0' && (text[j] as string) <= '9') j++;
    if (j > i + 1) i = j;
  }
  let path = '';
  if (text[i] === '/') {
    const ps = i;
    const plimit = Math.min(text.length, ps + 2048);
    while (i < plimit && !PATH_STOP.has(text[i] as string)) i++;
    path = trimToken(text.slice(ps, i));
  }
  return { host, ...pathParts(path), end: i };
}
