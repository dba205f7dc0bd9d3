/**
 * De-duplication and ordering of findings.
 *
 * - Identical findings (same kind, registry, IP, repository, reference) collapse to the first: kubelet repeats
 *   the same pull error (fw-27, ua-09).
 * - A finding whose known fields are all shared by a richer finding of the same kind is dropped (an event row
 *   that lacks the image next to one that names it).
 * - `registry_forbidden` (a 403 that names no IP) is dropped when the same paste has a `firewall_denied` for a
 *   compatible registry (same, or either unknown): it is the same denial seen by another client. fw-17 shows
 *   `az acr login`'s CONNECTIVITY_REFRESH_TOKEN_ERROR 403 and the daemon's "client with IP" line for one incident;
 *   the firewall finding says everything the 403 says, plus the IP, so one card is enough.
 * - Order: the kinds that decide what the bot reads in Azure first (network before auth before content), then
 *   position in the paste. `findings[0]` is the primary finding.
 */
import type { Finding, FindingKind } from '../finding.js';
import { MAX_FINDINGS } from './limits.js';

export const KIND_PRIORITY: readonly FindingKind[] = [
  'firewall_denied',
  'registry_forbidden',
  'data_endpoint_blocked',
  'dns_failure',
  'network_timeout',
  'access_denied',
  'unauthorized',
  'operation_disallowed',
  'throttled',
  'manifest_unknown',
];

const FIELDS = ['loginServer', 'registryName', 'ip', 'repository', 'reference'] as const;

function key(f: Finding): string {
  return [f.kind, ...FIELDS.map((k) => f[k] ?? '')].join('\u0000');
}

/** `a` says nothing `b` does not: same kind, and every non-null field of `a` equals `b`'s. */
function subsumedBy(a: Finding, b: Finding): boolean {
  if (a.kind !== b.kind) return false;
  let richer = false;
  for (const k of FIELDS) {
    if (a[k] !== null && a[k] !== b[k]) return false;
    if (a[k] === null && b[k] !== null) richer = true;
  }
  return richer;
}

function compatible(a: Finding, b: Finding): boolean {
  const sameName = a.registryName === null || b.registryName === null || a.registryName === b.registryName;
  const sameHost = a.loginServer === null || b.loginServer === null || a.loginServer === b.loginServer;
  return sameName && sameHost;
}

export interface Positioned {
  finding: Finding;
  pos: number;
}

export function dedupe(found: readonly Positioned[]): Finding[] {
  const byKey = new Map<string, Positioned>();
  for (const p of found) if (!byKey.has(key(p.finding))) byKey.set(key(p.finding), p);
  let list = [...byKey.values()];
  list = list.filter((p) => !list.some((q) => q !== p && subsumedBy(p.finding, q.finding)));
  const firewall = list.filter((p) => p.finding.kind === 'firewall_denied');
  list = list.filter(
    (p) => p.finding.kind !== 'registry_forbidden' || !firewall.some((f) => compatible(f.finding, p.finding)),
  );
  list.sort((a, b) => KIND_PRIORITY.indexOf(a.finding.kind) - KIND_PRIORITY.indexOf(b.finding.kind) || a.pos - b.pos);
  return list.slice(0, MAX_FINDINGS).map((p) => p.finding);
}
