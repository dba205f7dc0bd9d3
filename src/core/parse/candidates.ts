/**
 * Everything on one line that can name the registry or image an error is about, found by one pass of a phrase
 * matcher (no scanning regexes): registry API URLs (`https://host/v2/…`, `/oauth2/…`), `docker://`/`oci://` references, any
 * token under an ACR suffix (`x.azurecr.io/repo:tag` in kubelet/containerd chains, `Logging in to registry: x…`),
 * image references after the words tools print before them (`image "…"`, `docker push …`, `repository […]`,
 * `Invalid value: "…"`, `load metadata for …`), hosts after `login server '`/`lookup `, ARM resource ids
 * (`…/providers/Microsoft.ContainerRegistry/registries/<name>`, az acr import LRO, ua-11), `az acr` options
 * (`--registry`/`--name`/`--image`, fw-23) and ACR error details naming a repository (ua-11, Go map dumps ua-10).
 */
import type { Candidate, CandidateSource } from './candidate.js';
import { lineHints } from './hints.js';
import { HOST_KEYWORDS, IMAGE_KEYWORDS } from './keywords.js';
import { classifyHost, classifyRegistryName, isNeverRegistryHost, type HostInfo } from './host.js';
import { MAX_CANDIDATES_PER_LINE, MAX_PROBES_PER_LINE, MAX_TOKEN_CHARS } from './limits.js';
import { PhraseMatcher } from './matcher.js';
import * as P from './patterns.js';
import { hasRedactionMarks } from './redaction.js';
import { parseImageRef, readUrl, trimToken, validReference, type ImageParts } from './reference.js';

export type { Candidate } from './candidate.js';

/** Characters that end a token (whitespace, quotes, brackets, separators). `<>{}*$` stay: they mark placeholders. */
const TOKEN_STOP = new Set([' ', '\t', '\n', '"', "'", '(', ')', '[', ']', '=', ',', ';', '|', '`', '\\']);

function tokenAt(line: string, from: number): { text: string; end: number } {
  let i = from;
  const limit = Math.min(line.length, from + MAX_TOKEN_CHARS);
  while (i < limit && !TOKEN_STOP.has(line[i] as string)) i++;
  return { text: line.slice(from, i), end: i };
}

const ARM_REGISTRY_ID = '/providers/microsoft.containerregistry/registries/';

function imageCandidate(pos: number, parts: ImageParts, source: CandidateSource, implied?: HostInfo): Candidate | null {
  let host: HostInfo;
  if (parts.host !== null) host = classifyHost(parts.host);
  else if (implied !== undefined) host = implied;
  else if (parts.repoRaw !== null && hasRedactionMarks(parts.repoRaw)) host = classifyHost('<redacted>');
  else host = classifyHost('docker.io');
  if (host.state === 'invalid') return null;
  if (parts.host !== null && isNeverRegistryHost(parts.host)) return null;
  return { pos, source, host, repository: parts.repository, repoRaw: parts.repoRaw, reference: parts.reference };
}

class Collector {
  readonly out: Candidate[] = [];
  /** Spans already read as URLs, so the `.azurecr` probe does not read the same text twice. */
  private readonly spans: [number, number][] = [];
  add(c: Candidate | null): void {
    if (c !== null && this.out.length < MAX_CANDIDATES_PER_LINE) this.out.push(c);
  }
  cover(a: number, b: number): void {
    if (this.spans.length < MAX_PROBES_PER_LINE) this.spans.push([a, b]);
  }
  covered(i: number): boolean {
    for (const [a, b] of this.spans) if (i >= a && i < b) return true;
    return false;
  }
  get full(): boolean {
    return this.out.length >= MAX_CANDIDATES_PER_LINE;
  }
}

function url(line: string, lower: string, i: number, col: Collector): void {
  let s = i;
  while (s > 0 && i - s < 8 && (lower[s - 1] as string) >= 'a' && (lower[s - 1] as string) <= 'z') s--;
  const scheme = lower.slice(s, i);
  if (scheme === 'http' || scheme === 'https') {
    const u = readUrl(line, i + 3);
    if (u === null) return;
    col.cover(s, u.end);
    if (u.host.length === 0 || isNeverRegistryHost(u.host)) return;
    const host = classifyHost(u.host);
    if (host.state === 'invalid') return;
    if (!u.registryPath && !host.acr) return;
    col.add({ pos: s, source: 'url', host, repository: u.repository, repoRaw: u.repoRaw, reference: u.reference });
  } else if (scheme === 'docker' || scheme === 'oci') {
    const tok = tokenAt(line, i + 3);
    col.cover(s, tok.end);
    const parts = parseImageRef(tok.text);
    if (parts === null || parts.host === null) return;
    // Helm takes the chart version apart from the reference: `oci://host/charts/x --version 0.1.1` (ua-23).
    if (scheme === 'oci' && parts.reference === null) {
      const v = lower.indexOf('--version ', tok.end);
      if (v >= 0 && v - tok.end < 200) parts.reference = validReference(trimToken(tokenAt(line, v + 10).text));
    }
    col.add(imageCandidate(s, parts, 'image'));
  }
}

/** `get azurecr.io/v2/repo/manifests/tag` with no scheme and no registry label: the path still names the image. */
function bareAcrPath(line: string, i: number, col: Collector): void {
  const prev = line[i - 1];
  if (col.covered(i) || (prev !== undefined && !' "\'('.includes(prev))) return;
  const u = readUrl(line, i);
  if (u === null || !u.registryPath) return;
  col.cover(i, u.end);
  const host = classifyHost(u.host);
  col.add({ pos: i, source: 'url', host, repository: u.repository, repoRaw: u.repoRaw, reference: u.reference });
}

/** A token under an ACR suffix: expand left and right from `.azurecr` to token boundaries. */
function acrToken(line: string, i: number, col: Collector): void {
  if (col.covered(i)) return;
  let s = i;
  while (s > 0 && i - s < 256 && !TOKEN_STOP.has(line[s - 1] as string)) s--;
  const tok = tokenAt(line, s);
  const text = trimToken(tok.text);
  col.cover(s, tok.end);
  if (text.includes('/')) {
    const parts = parseImageRef(text);
    if (parts !== null) col.add(imageCandidate(s, parts, 'image'));
  } else {
    const c = text.indexOf(':');
    col.add({
      pos: s,
      source: 'host',
      host: classifyHost(c >= 0 ? text.slice(0, c) : text),
      repository: null,
      repoRaw: null,
      reference: null,
    });
  }
}

function imageAfter(line: string, from: number, col: Collector): void {
  if (col.covered(from)) return;
  const tok = tokenAt(line, from);
  // Docker 1.12's `Trying to pull repository x/y ...`: the word is not the image, the next token is.
  if (tok.text.length === 0 || tok.text.startsWith('-') || tok.text.includes('://') || tok.text === 'repository')
    return;
  const parts = parseImageRef(tok.text);
  if (parts === null) return;
  col.cover(from, tok.end);
  col.add(imageCandidate(from, parts, 'image'));
}

function hostAfter(line: string, from: number, col: Collector): void {
  if (col.covered(from)) return;
  const tok = tokenAt(line, from);
  const text = trimToken(tok.text);
  if (text.length === 0 || text.startsWith('-') || text.includes('/')) return;
  const c = text.indexOf(':');
  const h = c >= 0 ? text.slice(0, c) : text;
  // A bare word after "registry '" is not a host (`registry 'foo'`), unless it is a mask such as `***`.
  if (!h.includes('.') && !hasRedactionMarks(h)) return;
  const host = classifyHost(h);
  if (host.state === 'invalid' || isNeverRegistryHost(h)) return;
  col.cover(from, tok.end);
  col.add({ pos: from, source: 'host', host, repository: null, repoRaw: null, reference: null });
}

function armId(line: string, i: number, col: Collector): void {
  const from = i + ARM_REGISTRY_ID.length;
  let e = from;
  while (e < line.length && e - from < 64 && !TOKEN_STOP.has(line[e] as string) && line[e] !== '/') e++;
  const name = trimToken(line.slice(from, e));
  col.add({
    pos: i,
    source: 'arm',
    host: classifyRegistryName(name),
    repository: null,
    repoRaw: null,
    reference: null,
  });
}

/** `az acr build --registry r --image repo:tag`, `az acr login --name r`, `-r`/`-n`/`-t` short forms. */
function azOptions(line: string, az: number, col: Collector): void {
  const words = line.slice(az, az + 2048).split(' ', 64);
  let registry: HostInfo | undefined;
  const images: { pos: number; text: string }[] = [];
  for (let k = 0; k + 1 < words.length; k++) {
    const w = words[k] as string;
    const v = trimToken(words[k + 1] as string);
    if (w === '--registry' || w === '-r' || w === '--name' || w === '-n') registry = classifyRegistryName(v);
    else if (w === '--image' || w === '-t') images.push({ pos: az, text: v });
  }
  if (registry !== undefined)
    col.add({ pos: az, source: 'host', host: registry, repository: null, repoRaw: null, reference: null });
  for (const img of images) {
    const parts = parseImageRef(img.text);
    if (parts !== null) col.add(imageCandidate(img.pos, parts, 'az-image', registry));
  }
}

/** `"Type":"repository",…,"Name":"x"` in ACR error JSON, or `Name:x Type:repository` in a Go map dump. */
function jsonDetail(line: string, j: number, col: Collector): void {
  const m = P.JSON_DETAIL_NAME.exec(line.slice(Math.max(0, j - 200), j + 300));
  if (m?.[1] !== undefined && !hasRedactionMarks(m[1])) {
    col.add({ pos: j, source: 'detail', host: null, repository: m[1], repoRaw: m[1], reference: null });
  }
}

function goMapDetail(line: string, g: number, col: Collector): void {
  const m = P.GO_MAP_REPOSITORY_NAME.exec(line.slice(Math.max(0, g - 300), g + 20));
  if (m?.[1] !== undefined && !hasRedactionMarks(m[1])) {
    col.add({ pos: g, source: 'detail', host: null, repository: m[1], repoRaw: m[1], reference: null });
  }
}

type Probe = 'url' | 'bare' | 'acr' | 'image' | 'host' | 'arm' | 'az' | 'json-detail' | 'go-detail';

const PROBES: ReadonlyArray<readonly [string, Probe]> = [
  ['://', 'url'],
  ['azurecr.io/v2/', 'bare'],
  ['.azurecr', 'acr'],
  ...IMAGE_KEYWORDS.map((k) => [k, 'image'] as const),
  ...HOST_KEYWORDS.map((k) => [k, 'host'] as const),
  [ARM_REGISTRY_ID, 'arm'],
  ['az acr ', 'az'],
  ['"type":"repository"', 'json-detail'],
  ['type:repository', 'go-detail'],
];
/** URLs are read first so that the `.azurecr` and keyword probes skip text already read as a URL. */
const PROBE_ORDER: readonly Probe[] = ['url', 'bare', 'acr', 'image', 'host', 'arm', 'az', 'json-detail', 'go-detail'];

let probeMatcher: PhraseMatcher | undefined;

/** Candidates on one line: image references and hosts (one pass of the probe matcher), then hints.ts's mentions. */
export function lineCandidates(line: string): Candidate[] {
  const found = probeCandidates(line);
  const hints = lineHints(line);
  return hints.length === 0 ? found : [...found, ...hints];
}

function probeCandidates(line: string): Candidate[] {
  probeMatcher ??= new PhraseMatcher(PROBES.map((p) => p[0]));
  const hits = probeMatcher.findAll(line, MAX_PROBES_PER_LINE);
  if (hits.length === 0) return [];
  const folded = line.toLowerCase();
  const lower = folded.length === line.length ? folded : line;
  const col = new Collector();
  for (const kind of PROBE_ORDER) {
    for (const h of hits) {
      if (col.full) return col.out;
      const probe = PROBES[h.phrase];
      if (probe === undefined || probe[1] !== kind) continue;
      const end = h.pos + probe[0].length;
      if (kind === 'url') url(line, lower, h.pos, col);
      else if (kind === 'bare') bareAcrPath(line, h.pos, col);
      else if (kind === 'acr') acrToken(line, h.pos, col);
      else if (kind === 'image') imageAfter(line, end, col);
      else if (kind === 'host') hostAfter(line, end, col);
      else if (kind === 'arm') armId(line, h.pos, col);
      else if (kind === 'az') azOptions(line, h.pos, col);
      else if (kind === 'json-detail') jsonDetail(line, h.pos, col);
      else goMapDetail(line, h.pos, col);
    }
  }
  return col.out;
}
