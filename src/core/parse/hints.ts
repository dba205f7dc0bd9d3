/**
 * Mentions that are not an image reference but still say which registry or image an error is about, each one a
 * form seen in the held-out pastes (test/fixtures/errors/held-out.jsonl):
 *
 * - a person's own note naming the registry under a masked log (`ACR : 9spokes.azurecr.io`): a `label`;
 * - Azure ML's SDK v1 environment, which gives the image and its registry on separate lines
 *   (`base_image = "tf_od_api:latest"`, `base_image_registry.address = "x.azurecr.io"`): a `split-image`;
 * - Helm's debug line with the chart version (`Original chart version: "1.0.5"`) and Docker's `Using default tag:
 *   latest` before a push that names no tag: a `version`;
 * - a registry named by its short name in prose (`Authentication failed for container registry myacr.`): a `host`.
 *
 * `split-image` and `version` carry no host, so they never decide the registry (target.ts reads them only to fill
 * in a repository or a tag the chosen mention lacks).
 */
import type { Candidate } from './candidate.js';
import { classifyHost, classifyRegistryName } from './host.js';
import { MAX_PROBES_PER_LINE, MAX_TOKEN_CHARS } from './limits.js';
import { PhraseMatcher } from './matcher.js';
import { parseImageRef, trimToken, validReference } from './reference.js';

type Hint = 'label' | 'split-image' | 'version' | 'name';

const HINTS: ReadonlyArray<readonly [string, Hint]> = [
  ['acr : ', 'label'],
  ['acr: ', 'label'],
  ['registry name: ', 'label'],
  ['base_image = "', 'split-image'],
  ["base_image = '", 'split-image'],
  ['original chart version: "', 'version'],
  ['using default tag: ', 'version'],
  ['authentication failed for container registry ', 'name'],
];

let matcher: PhraseMatcher | undefined;

/** The token at `from`, up to a space or quote. */
function token(line: string, from: number): string {
  let e = from;
  while (e < line.length && e - from < MAX_TOKEN_CHARS && !' \t"\'`,;'.includes(line[e] as string)) e++;
  return trimToken(line.slice(from, e));
}

function hint(kind: Hint, line: string, pos: number, from: number): Candidate | null {
  const text = token(line, from);
  if (text.length === 0) return null;
  const none = { pos, repository: null, repoRaw: null, reference: null };
  if (kind === 'label') {
    // Only at the start of a line: a note the person added, not a phrase inside a message.
    if (line.slice(0, pos).trim() !== '') return null;
    const host = classifyHost(text.includes(':') ? text.slice(0, text.indexOf(':')) : text);
    return host.acr && host.state === 'real' ? { ...none, source: 'label', host } : null;
  }
  if (kind === 'version') {
    const reference = validReference(text);
    return reference === null ? null : { ...none, source: 'version', host: null, reference };
  }
  if (kind === 'name') {
    // `docker.io` (an Azure ML look-alike) is a host, not an ACR name; only a bare registry name counts here.
    const name = text.endsWith('.') ? text.slice(0, -1) : text;
    if (name.includes('.') || name.includes('/')) return null;
    return { ...none, source: 'host', host: classifyRegistryName(name) };
  }
  const parts = parseImageRef(text);
  if (parts === null || parts.host !== null || parts.repository === null) return null;
  return {
    ...none,
    source: 'split-image',
    host: null,
    repository: parts.repository,
    repoRaw: parts.repoRaw,
    reference: parts.reference,
  };
}

export function lineHints(line: string): Candidate[] {
  matcher ??= new PhraseMatcher(HINTS.map((h) => h[0]));
  const out: Candidate[] = [];
  for (const h of matcher.findAll(line, MAX_PROBES_PER_LINE)) {
    const entry = HINTS[h.phrase];
    if (entry === undefined) continue;
    const c = hint(entry[1], line, h.pos, h.pos + entry[0].length);
    if (c !== null) out.push(c);
  }
  return out;
}
