/**
 * `parseFindings(text)`: every ACR error recognised in a pasted text, as `Finding`s (the `acr-access parse --json`
 * contract). Pure: no I/O, no environment. Never throws, and its cost is linear in the input: the text is
 * normalised by a fixed number of bounded passes (markup.ts, lines.ts), anchor phrases are found in one pass of
 * an Aho–Corasick automaton (matcher.ts), and each of at most MAX_SITES error sites does bounded work (limits.ts).
 * Inputs above WHOLE_TEXT_CHARS are scanned once and only the regions around anchor hits are parsed.
 *
 * Pipeline: unwrap transport/markup (markup.ts) → clean lines (lines.ts) → anchors (recognise.ts) → for each
 * confirmed error, its registry and image (candidates.ts, target.ts), the tool (tool.ts) and an excerpt →
 * de-duplicate and order (dedupe.ts). The first finding is the primary one.
 *
 * Corpus kinds (fixtures/errors) map to finding kinds as: firewall_ip_denied → firewall_denied (registry_forbidden
 * when the text has no "client with IP", e.g. containerd's anonymous-token 403); public_access_disabled →
 * registry_forbidden (or firewall_denied: ACR sends the same text, only ARM can tell); unauthorized → unauthorized;
 * access_denied_rbac → access_denied; dns_private_link → dns_failure or network_timeout; data_endpoint_denied →
 * data_endpoint_blocked; other → what the text says, or nothing when it is not an ACR error (Azure SQL's
 * "Client with IP address …", an nginx 403 page, Azure Storage's AuthorizationFailure).
 */
import type { Finding } from '../finding.js';
import { dedupe, type Positioned } from './dedupe.js';
import { buildDoc, type Doc } from './doc.js';
import {
  CONTEXT_LINES_AFTER,
  CONTEXT_LINES_BEFORE,
  MAX_EXCERPT_CHARS,
  MAX_HITS_PER_ANCHOR,
  MAX_INPUT_CHARS,
  MAX_REGION_CHARS,
  MAX_REGIONS,
  MAX_SITES,
  NEAR_LINES,
  REGION_AFTER_CHARS,
  REGION_BEFORE_CHARS,
  WHOLE_TEXT_CHARS,
} from './limits.js';
import { PhraseMatcher } from './matcher.js';
import { RECOGNISERS, type Recogniser, type Site } from './recognise.js';
import { resolveTarget } from './target.js';
import { hostedCi, ToolDetector } from './tool.js';

/** Sites of one recogniser closer than this on one line are one error written with several anchor phrases. */
const SAME_ERROR_CHARS = 120;

let anchorMatcher: { matcher: PhraseMatcher; owners: { recogniser: Recogniser; anchor: string }[] } | undefined;

function anchors(): NonNullable<typeof anchorMatcher> {
  if (anchorMatcher === undefined) {
    const owners = RECOGNISERS.flatMap((recogniser) => recogniser.anchors.map((anchor) => ({ recogniser, anchor })));
    anchorMatcher = { matcher: new PhraseMatcher(owners.map((o) => o.anchor)), owners };
  }
  return anchorMatcher;
}

/** Error sites examined for the whole input, shared by its regions. */
interface Budget {
  sites: number;
}

/** Anchor hits in one pass, at most MAX_HITS_PER_ANCHOR per phrase and MAX_SITES in all, spread over recognisers. */
function findSites(doc: Doc, budget: Budget): Site[] {
  const { matcher, owners } = anchors();
  const byRecogniser = new Map<Recogniser, Site[]>();
  for (const h of matcher.findAll(doc.flat, MAX_HITS_PER_ANCHOR)) {
    const o = owners[h.phrase];
    if (o === undefined) continue;
    let list = byRecogniser.get(o.recogniser);
    if (list === undefined) {
      list = [];
      byRecogniser.set(o.recogniser, list);
    }
    list.push({ pos: h.pos, anchor: o.anchor, recogniser: o.recogniser });
  }
  const perRecogniser = Math.max(1, Math.floor(MAX_SITES / RECOGNISERS.length));
  const all: Site[] = [];
  for (const hits of byRecogniser.values()) {
    hits.sort((a, b) => a.pos - b.pos);
    let kept = 0;
    let lastPos = -Infinity;
    let lastLine = -1;
    for (const h of hits) {
      if (kept >= perRecogniser || budget.sites <= 0) break;
      const line = doc.lineOf(h.pos);
      if (line === lastLine && h.pos - lastPos < SAME_ERROR_CHARS) continue;
      all.push(h);
      kept++;
      budget.sites--;
      lastPos = h.pos;
      lastLine = line;
    }
  }
  return all;
}

/** The error's own line around the anchor (through the next line when the message wrapped), whitespace-normalised. */
function excerpt(doc: Doc, pos: number, end: number): string {
  const li = doc.lineOf(pos);
  const ls = doc.starts[li] ?? 0;
  const lastLine = doc.lineOf(Math.max(pos, end - 1));
  const le = doc.lineEnd(lastLine);
  let s = Math.max(ls, pos - 140);
  let e = Math.min(le, Math.max(pos + 240, end + 40));
  if (s > ls) {
    const sp = doc.flat.indexOf(' ', s);
    if (sp >= 0 && sp < pos) s = sp + 1;
  }
  if (e < le) {
    const sp = doc.flat.lastIndexOf(' ', e);
    if (sp > Math.max(pos, end)) e = sp;
  }
  // Line breaks stay (a joined "access.step 2:" misreads); blank lines and the spaces around breaks do not.
  const text = doc.flat
    .slice(s, e)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
  return text.length > MAX_EXCERPT_CHARS ? text.slice(0, MAX_EXCERPT_CHARS) : text;
}

/** Findings (with positions) in one region of text that is parsed whole. */
function parseRegion(text: string, base: number, budget: Budget): Positioned[] {
  const doc = buildDoc(text);
  if (doc.lines.length === 0) return [];
  const tools = new ToolDetector(doc, text);
  const ci = hostedCi(text);
  const found: Positioned[] = [];
  for (const site of findSites(doc, budget)) {
    const r = site.recogniser.check(doc, site);
    if (r === null) continue;
    const li = doc.lineOf(site.pos);
    const target = resolveTarget(doc, li, site.pos - (doc.starts[li] ?? 0));
    if (r.requireAcrHost === true && !target.acrHost) continue;
    // ghcr's `denied: denied`, ECR's `403 Forbidden`: another registry's refusal is not ACR's firewall.
    if (r.kind === 'registry_forbidden' && target.otherRegistry) continue;
    found.push({
      pos: base + site.pos,
      finding: {
        kind: r.kind,
        loginServer: target.loginServer,
        registryName: target.registryName,
        ip: r.ip,
        repository: target.repository,
        reference: target.reference,
        tool: tools.detect(li),
        excerpt: excerpt(doc, site.pos, r.end),
        ci,
      },
    });
  }
  return found;
}

/**
 * Regions of a large input worth parsing: around each anchor hit in the raw text, reaching back CONTEXT lines
 * (where the registry may be named) and a little forward; overlapping regions merge. The raw scan folds case and
 * line breaks like the normalised one, so only anchors split by markup (an HTML tag or entity inside the
 * phrase, a hard wrap inside a word) are missed, and those belong to chat pastes, which are parsed whole.
 */
function hotRegions(text: string): [number, number][] {
  const hits = anchors().matcher.findAll(text, MAX_HITS_PER_ANCHOR);
  hits.sort((a, b) => a.pos - b.pos);
  const regions: [number, number][] = [];
  for (const h of hits) {
    let start = h.pos;
    for (let n = 0; n <= CONTEXT_LINES_BEFORE && start > 0 && h.pos - start < REGION_BEFORE_CHARS; n++) {
      const nl = text.lastIndexOf('\n', start - 1);
      start = Math.max(nl, 0);
    }
    start = Math.max(start, h.pos - REGION_BEFORE_CHARS);
    let end = h.pos;
    for (
      let n = 0;
      n <= CONTEXT_LINES_AFTER + NEAR_LINES && end < text.length && end - h.pos < REGION_AFTER_CHARS;
      n++
    ) {
      const nl = text.indexOf('\n', end + 1);
      end = nl < 0 ? text.length : nl;
    }
    end = Math.min(end, h.pos + REGION_AFTER_CHARS);
    const last = regions[regions.length - 1];
    if (last !== undefined && start <= last[1] && end - last[0] <= MAX_REGION_CHARS) last[1] = Math.max(last[1], end);
    else if (regions.length < MAX_REGIONS) regions.push([start, end]);
    else break;
  }
  return regions;
}

/** The parser without the safety net: tests call it to prove the net in parseFindings is never needed. */
export function parseFindingsStrict(input: string): Finding[] {
  const text = input.length > MAX_INPUT_CHARS ? input.slice(0, MAX_INPUT_CHARS) : input;
  const budget: Budget = { sites: MAX_SITES };
  if (text.length <= WHOLE_TEXT_CHARS) return dedupe(parseRegion(text, 0, budget));
  const found: Positioned[] = [];
  for (const [a, b] of hotRegions(text)) {
    if (budget.sites <= 0) break;
    found.push(...parseRegion(text.slice(a, b), a, budget));
  }
  return dedupe(found);
}

/** Findings in `text`, primary first; `[]` when nothing is recognised. Never throws. */
export function parseFindings(text: string): Finding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  try {
    return parseFindingsStrict(text);
  } catch {
    // Unreachable by design (the property tests throw everything at it); a paste must never crash the bot.
    return [];
  }
}
