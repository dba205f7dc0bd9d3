/**
 * Which registry and image an error is about. Looks outward from the error's line in rings: the line itself, the
 * lines next to it (kubectl tables, fw-27's `Pulling image` row after the denial), then earlier lines of the paste
 * (fw-07: the `POST https://…/oauth2/exchange` line 8 lines above the JSON body; ad-01: `docker push` above the
 * denial). The first ring that names any host decides it, even when that host is redacted: a denial that says
 * `Get "https://***"` (masked by CI) is about a hidden registry, and a registry named elsewhere is not substituted for it.
 * Within a ring the most trustworthy mention wins: a real name over a placeholder (ot-07: `<redacted>`, then
 * `myacr.azurecr.io/myimage`, then the real `mfcloudacr.azurecr.io/birdndizz`), a request URL over an image name
 * over a bare host, and on the error's own line a mention before the message over one after it.
 * Repository and reference then come from that mention, or from another mention of the same host and repository
 * (a `/v2/` login ping names no image; fw-23 takes it from `az acr build --image`), or from an ACR error detail.
 */
import type { Candidate } from './candidates.js';
import type { Doc } from './doc.js';
import { isOtherRegistryHost, type HostState } from './host.js';
import { CONTEXT_LINES_AFTER, CONTEXT_LINES_BEFORE, NEAR_LINES } from './limits.js';

export interface Target {
  loginServer: string | null;
  registryName: string | null;
  repository: string | null;
  reference: string | null;
  /** The chosen host is under an ACR suffix and names a registry (a tutorial-style name counts: it may be real). */
  acrHost: boolean;
  /** The chosen host is another registry (ghcr.io, ECR, Docker Hub…), whose refusals are never ACR's. */
  otherRegistry: boolean;
}

const NO_TARGET: Target = {
  loginServer: null,
  registryName: null,
  repository: null,
  reference: null,
  acrHost: false,
  otherRegistry: false,
};

const STATE_SCORE: Record<HostState, number> = { real: 4, dockerhub: 3, placeholder: 2, redacted: 2, invalid: 0 };
const SOURCE_SCORE: Record<Candidate['source'], number> = {
  url: 3,
  image: 2,
  'az-image': 1,
  host: 1,
  arm: 1,
  detail: 0,
  label: 0,
  'split-image': 0,
  version: 0,
};

/** Line indexes in the order they are searched: the line, then ±1, ±2, then earlier lines and a few later ones. */
function* rings(doc: Doc, li: number): Generator<number[]> {
  yield [li];
  for (let d = 1; d <= NEAR_LINES; d++) yield [li - d, li + d].filter((x) => x >= 0 && x < doc.lines.length);
  const far = Math.max(CONTEXT_LINES_BEFORE, CONTEXT_LINES_AFTER);
  for (let d = NEAR_LINES + 1; d <= far; d++) {
    const ring: number[] = [];
    if (d <= CONTEXT_LINES_BEFORE && li - d >= 0) ring.push(li - d);
    if (d <= CONTEXT_LINES_AFTER && li + d < doc.lines.length) ring.push(li + d);
    if (ring.length > 0) yield ring;
  }
}

interface Placed {
  c: Candidate;
  line: number;
}

function score(p: Placed, li: number, off: number): number {
  const host = p.c.host;
  if (host === null) return -1;
  const before = p.line === li && p.c.pos <= off ? 1 : 0;
  return STATE_SCORE[host.state] * 10 + SOURCE_SCORE[p.c.source] * 2 + before;
}

function distance(p: Placed, li: number, off: number): number {
  return p.line === li ? Math.abs(p.c.pos - off) : Math.abs(p.line - li) * 100_000;
}

/** An image on the line whose host is a placeholder or a mask: the same pull, written with a disguised host. */
function sameLineImage(doc: Doc, line: number, pick: Candidate): Candidate | null {
  for (const c of doc.candidates(line))
    if (
      c !== pick &&
      c.source === 'image' &&
      c.repoRaw !== null &&
      (c.host?.state === 'placeholder' || c.host?.state === 'redacted')
    )
      return c;
  return null;
}

/** The nearest mention (in ring order, over the whole context) that satisfies `want`. */
function nearestPlaced(doc: Doc, li: number, off: number, want: (c: Candidate) => boolean): Placed | null {
  for (const ring of rings(doc, li)) {
    let best: Placed | null = null;
    for (const line of ring) {
      for (const c of doc.candidates(line)) {
        if (!want(c)) continue;
        const p = { c, line };
        if (best === null || distance(p, li, off) < distance(best, li, off)) best = p;
      }
    }
    if (best !== null) return best;
  }
  return null;
}

export function resolveTarget(doc: Doc, li: number, off: number): Target {
  let chosen: Placed | null = null;
  const seen: Placed[] = [];
  for (const ring of rings(doc, li)) {
    let best: Placed | null = null;
    let bestScore = -1;
    for (const line of ring) {
      for (const c of doc.candidates(line)) {
        const p = { c, line };
        seen.push(p);
        const s = score(p, li, off);
        if (s <= 0) continue;
        if (s > bestScore || (s === bestScore && best !== null && distance(p, li, off) < distance(best, li, off))) {
          best = p;
          bestScore = s;
        }
      }
    }
    if (best !== null) {
      chosen = best;
      break;
    }
  }
  /** A hint of one kind (hints.ts) anywhere in the context, the nearest first. */
  const hint = (source: Candidate['source']): Candidate | null =>
    nearestPlaced(doc, li, off, (c) => c.source === source)?.c ?? null;
  if (chosen === null) {
    // No host anywhere near: an ACR error detail may still name the repository (ua-11 style, without the ARM id),
    // a split Azure ML image the repository and tag, Helm's debug line the chart version.
    const detail = seen.find((p) => p.c.source === 'detail' && Math.abs(p.line - li) <= NEAR_LINES);
    const split = hint('split-image');
    return {
      ...NO_TARGET,
      repository: detail?.c.repository ?? split?.repository ?? null,
      reference: split?.reference ?? hint('version')?.reference ?? null,
    };
  }
  // A masked log with the person's own note naming the registry (`ACR : 9spokes.azurecr.io`): the note says it.
  const label = chosen.c.host?.state === 'redacted' ? nearestPlaced(doc, li, off, (c) => c.source === 'label') : null;
  const pick = label ?? chosen;
  const host = pick.c.host;
  if (host === null) return NO_TARGET;
  let { repository, reference } = pick.c;
  const repoRaw = pick.c.repoRaw;
  /** The nearest other mention (in ring order, over the whole context) that satisfies `want`. */
  const nearest = (want: (c: Candidate) => boolean): Candidate | null =>
    nearestPlaced(doc, li, off, (c) => c !== pick.c && want(c))?.c ?? null;
  let loginServer = host.loginServer;
  if (loginServer === null && host.registryName !== null) {
    // An ARM id or `--name` gave the name only; a host mention of the same registry gives its login server.
    const named = nearest((c) => c.host?.registryName === host.registryName && c.host.loginServer !== null);
    if (named?.host) loginServer = named.host.loginServer;
  }
  if (repository === null && repoRaw === null) {
    // The request named no image (`/v2/` ping, a bare host, an ARM id): another mention of the same registry may
    // (fw-23: `az acr build --image` 12 lines up), or an ACR error detail next to it (ua-11), or else the image
    // the error's own line is about, when the poster disguised its host differently from the URL's.
    const same =
      nearest((c) => c.host !== null && c.host.key === host.key && c.repoRaw !== null) ??
      sameLineImage(doc, pick.line, pick.c);
    if (same !== null) {
      repository = same.repository;
      reference = same.reference;
    } else {
      const detail = seen.find((p) => p.c.source === 'detail' && Math.abs(p.line - pick.line) <= NEAR_LINES);
      const split = detail ? null : hint('split-image');
      if (detail) repository = detail.c.repository;
      else if (split) ({ repository, reference } = split);
    }
  } else if (reference === null) {
    // A token URL or a blob path names the repository but not the tag: take it from the same image's reference.
    const same = nearest(
      (c) => c.host !== null && c.host.key === host.key && c.repoRaw === repoRaw && c.reference !== null,
    );
    if (same !== null) reference = same.reference;
  }
  if (reference === null && repository !== null) reference = hint('version')?.reference ?? null;
  return {
    loginServer,
    registryName: host.registryName,
    repository,
    reference,
    acrHost: host.acr && (host.state === 'real' || (host.state === 'placeholder' && host.registryName !== null)),
    otherRegistry: isOtherRegistryHost(host.raw) || host.state === 'dockerhub',
  };
}
