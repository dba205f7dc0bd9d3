/**
 * Use cases behind a paste and behind `@bot <registry> [ip]` / `acr-access diagnose|check`: parse, ask Azure
 * through the gateway port, diagnose in the core, and answer with a Reply. Azure failures never become a made-up
 * diagnosis: they are a notice that says what failed and whether trying again can help.
 */
import { diagnose } from '../core/diagnose/index.js';
import type { Diagnosis } from '../core/diagnosis.js';
import { NETWORK_KINDS, type Finding } from '../core/finding.js';
import type { RegistrySnapshot } from '../core/registry.js';
import type { Reply } from '../core/reply.js';
import { refLabel, type RegistryRef } from '../core/registry-ref.js';
import { AzureError } from './azure-error.js';
import type { InspectTarget, Inspection, RegistryGateway, RegistryLookup } from './ports.js';

export interface DiagnoseDeps {
  gateway: RegistryGateway;
}

function targetKey(t: InspectTarget): string {
  return JSON.stringify([t.loginServer?.toLowerCase() ?? null, t.registryName?.toLowerCase() ?? null, t.ip]);
}

function targetOf(f: Finding): InspectTarget | null {
  if (!NETWORK_KINDS.has(f.kind)) return null;
  return { loginServer: f.loginServer, registryName: f.registryName, ip: f.ip };
}

/**
 * Diagnose findings. Network kinds are inspected once per distinct target, all at once (the gateway caches and
 * single-flights per registry); other kinds need no Azure call. Throws AzureError when Azure fails.
 */
export async function diagnoseFindings(findings: readonly Finding[], deps: DiagnoseDeps): Promise<Diagnosis[]> {
  const pending = new Map<string, Promise<Inspection>>();
  for (const f of findings) {
    const t = targetOf(f);
    if (t === null) continue;
    const key = targetKey(t);
    if (!pending.has(key)) pending.set(key, deps.gateway.inspect(t));
  }
  // Settle all before deciding, so one failure does not leave the others' rejections unobserved.
  const keys = [...pending.keys()];
  const settled = await Promise.allSettled(keys.map((k) => pending.get(k)!));
  const inspections = new Map<string, Inspection>();
  for (let i = 0; i < keys.length; i++) {
    const s = settled[i]!;
    if (s.status === 'rejected') throw s.reason;
    inspections.set(keys[i]!, s.value);
  }
  return findings.map((f) => {
    const t = targetOf(f);
    return diagnose(f, t === null ? null : (inspections.get(targetKey(t)) ?? null));
  });
}

/** A notice for an Azure failure: what failed, in words, and whether Try again can help. */
export function azureNotice(err: AzureError, doing: string): Reply {
  const wait =
    err.details.retryAfterSeconds !== undefined ? ` Azure asked to wait ${err.details.retryAfterSeconds} s.` : '';
  const text: Record<AzureError['kind'], string> = {
    forbidden: `Azure refused the bot's request while ${doing}: its identity lacks a permission (Reader on the registry or its subscription is enough to read).`,
    not_found: `Azure did not find what the bot asked for while ${doing}.`,
    throttled: `Azure is throttling the bot's requests while ${doing}.${wait}`,
    unavailable: `Azure Resource Manager did not answer while ${doing}; it may be a short outage or a network problem between the bot and Azure.`,
    conflict: `Another change to the registry was in progress while ${doing}.`,
    bad_request: `Azure rejected the bot's request while ${doing}.`,
    operation_failed: `An Azure operation failed while ${doing}.`,
    unauthenticated: `The bot could not sign in to Azure while ${doing}: its credential (managed identity or service principal) is missing or invalid.`,
  };
  return {
    type: 'notice',
    tone: err.retryable ? 'warning' : 'error',
    title: err.retryable ? 'Azure is not answering right now' : 'Azure refused the request',
    text: text[err.kind],
    retryable: err.retryable,
  };
}

/**
 * The findings of a paste (parseFindings, non-empty) → the diagnoses Reply. The caller parses first, so chatter
 * (no findings) costs nothing beyond the parse. Azure failures become a notice; anything else is a bug and
 * propagates.
 */
export async function replyToFindings(findings: readonly Finding[], deps: DiagnoseDeps): Promise<Reply> {
  try {
    return { type: 'diagnoses', diagnoses: await diagnoseFindings(findings, deps) };
  } catch (err) {
    if (err instanceof AzureError) return azureNotice(err, 'reading the registry settings');
    throw err;
  }
}

export type FirewallResult =
  | { status: 'found'; registry: RegistrySnapshot }
  | { status: 'not_found'; searchedSubscriptions: number }
  | { status: 'no_access'; registryId: string }
  | { status: 'ambiguous'; candidates: Array<{ id: string; loginServer: string }> };

/** The registry's firewall as it is now: resolve (cached), then read it fresh. Throws AzureError. */
export async function readFirewall(ref: RegistryRef, deps: DiagnoseDeps): Promise<FirewallResult> {
  const lookup = await deps.gateway.findRegistry(ref);
  if (lookup.status === 'no_access') return { status: 'no_access', registryId: lookup.registryId };
  if (lookup.status !== 'found') return lookup;
  return { status: 'found', registry: await deps.gateway.readRegistry(lookup.registry.id) };
}

/** A finding made up from `check <registry> <ip>`: "would this address be let in?". */
export function checkFinding(ref: RegistryRef, ip: string, registry: RegistrySnapshot | null): Finding {
  const loginServer = registry?.loginServer.toLowerCase() ?? (ref.kind === 'host' ? ref.host : null);
  const registryName = registry?.name ?? (ref.kind === 'name' ? ref.name : null);
  return {
    kind: 'firewall_denied',
    loginServer,
    registryName,
    ip,
    repository: null,
    reference: null,
    tool: null,
    excerpt: `check ${registryName ?? loginServer ?? 'registry'} ${ip}`,
  };
}

/** A check's answer, with how the registry lookup went (the CLI's exit code follows it, not the words). */
export interface CheckResult {
  diagnosis: Diagnosis;
  lookup: RegistryLookup['status'];
}

/** `check <registry> <ip>` → one Diagnosis against the registry as it is now. Throws AzureError. */
export async function checkAddress(ref: RegistryRef, ip: string, deps: DiagnoseDeps): Promise<CheckResult> {
  const lookup = await deps.gateway.findRegistry(ref);
  if (lookup.status !== 'found') {
    const diagnosis = diagnose(checkFinding(ref, ip, null), { registry: lookup, ipOwner: null }, { check: true });
    return { diagnosis, lookup: lookup.status };
  }
  const registry = lookup.registry;
  // Fresh rules (someone may have just added one) plus the address owner the inspection knows about.
  const [fresh, inspection] = await Promise.all([
    deps.gateway.readRegistry(registry.id),
    deps.gateway.inspect({ loginServer: registry.loginServer, registryName: registry.name, ip }),
  ]);
  const diagnosis = diagnose(
    checkFinding(ref, ip, fresh),
    { registry: { status: 'found', registry: fresh }, ipOwner: inspection.ipOwner },
    { check: true },
  );
  return { diagnosis, lookup: 'found' };
}

/** `@bot <registry>`: the firewall Reply, or a notice when the registry cannot be found or read. */
export async function replyWithFirewall(ref: RegistryRef, deps: DiagnoseDeps): Promise<Reply> {
  try {
    const result = await readFirewall(ref, deps);
    if (result.status === 'found') return { type: 'firewall', registry: result.registry };
    return lookupNotice(ref, result);
  } catch (err) {
    if (err instanceof AzureError) return azureNotice(err, `reading ${refLabel(ref)}`);
    throw err;
  }
}

/** `@bot <registry> <ip>`: a diagnoses Reply with one diagnosis. */
export async function replyWithCheck(ref: RegistryRef, ip: string, deps: DiagnoseDeps): Promise<Reply> {
  try {
    return { type: 'diagnoses', diagnoses: [(await checkAddress(ref, ip, deps)).diagnosis] };
  } catch (err) {
    if (err instanceof AzureError) return azureNotice(err, `checking ${ip} against ${refLabel(ref)}`);
    throw err;
  }
}

export function lookupNotice(ref: RegistryRef, result: Exclude<FirewallResult, { status: 'found' }>): Reply {
  if (result.status === 'ambiguous') {
    return {
      type: 'notice',
      tone: 'info',
      title: 'Several registries have that name',
      text: `More than one registry is named ${refLabel(ref)}: ${result.candidates.map((c) => c.loginServer).join(', ')}. Ask again with the login server of the one you mean.`,
    };
  }
  if (result.status === 'not_found') {
    const n = result.searchedSubscriptions;
    return {
      type: 'notice',
      tone: 'info',
      title: 'Registry not found',
      text: `No registry ${refLabel(ref)} is visible in the ${n} subscription${n === 1 ? '' : 's'} the bot can read. Check the name, or give the bot Reader on the subscription that holds it.`,
    };
  }
  return {
    type: 'notice',
    tone: 'warning',
    title: 'The bot cannot read this registry',
    text: `The bot's identity is not allowed to read ${refLabel(ref)}. Give it Reader (or a role with Microsoft.ContainerRegistry/registries/read) on the registry or its resource group.`,
  };
}
