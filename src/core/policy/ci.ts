/**
 * May this CI workload ask for access to this registry, and on what terms? The identity comes from a verified Entra
 * ID token (app id, object id); the subject, when there is one, from the CI platform's own verified OIDC token. The
 * terms then come from the same planning as a chat request (plan.ts), inside limits of their own: a single address,
 * never permanent, never longer than the entry or the registry allows, no break-glass.
 */
import { matchesAny } from './match.js';
import { policyFor } from './evaluate.js';
import { termsFor, type PlanRefusalCode, type RequestTerms } from './plan.js';
import type { DurationRequest } from './evaluate.js';
import type { CiIdentity, Policy, Refusal, RegistryPolicy, NamedRegistry, SubjectRule } from './types.js';

/** A caller of the access API, as its verified tokens say. */
export interface Workload {
  tenantId: string;
  /** `appid` (v1 tokens) or `azp` (v2), lower-case. */
  appId: string;
  /** `oid`, lower-case. */
  objectId: string;
  /** The CI platform's token, when one was sent and verified: its issuer and `sub`. */
  subject: { issuer: string; value: string } | null;
}

export type CiRefusalCode = 'ci_off' | 'unknown_workload' | 'subject_not_allowed' | 'registry_not_allowed';

/** `*` stands for any run of characters other than `:` (one field of a subject such as repo:org/app:ref:…). */
export function subjectMatches(rule: SubjectRule, subject: Workload['subject']): boolean {
  if (subject === null || subject.issuer.replace(/\/+$/, '') !== rule.issuer) return false;
  if (rule.kind === 'exact') return subject.value === rule.text;
  return fieldGlob(rule.text, subject.value);
}

/** Linear two-pointer glob (as match.ts), except that `*` never crosses a `:`. */
function fieldGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc !== undefined && pc !== '*' && pc === text[t]) {
      p += 1;
      t += 1;
    } else if (pc === '*') {
      star = p;
      mark = t;
      p += 1;
    } else if (star >= 0 && text[mark] !== ':') {
      p = star + 1;
      mark += 1;
      t = mark;
    } else return false;
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

function isFor(entry: CiIdentity, w: Workload): boolean {
  return (
    (entry.appId === null || entry.appId === w.appId) && (entry.objectId === null || entry.objectId === w.objectId)
  );
}

function describeWorkload(w: Workload): string {
  return `app id ${w.appId}, object id ${w.objectId}${w.subject ? `, subject ${w.subject.value}` : ''}`;
}

/** The first `ci.identities` entry for this workload, its subject and this registry; else why none fits. */
export function ciIdentityFor(
  policy: Policy,
  w: Workload,
  registry: NamedRegistry,
): { ok: true; identity: CiIdentity } | Refusal<CiRefusalCode> {
  if (!policy.configured || policy.ci === null)
    return {
      ok: false,
      code: 'ci_off',
      reason:
        'CI access requests are turned off: the policy has no ci section naming the workload identities that may ask.',
    };
  const mine = policy.ci.identities.filter((e) => isFor(e, w));
  if (mine.length === 0)
    return {
      ok: false,
      code: 'unknown_workload',
      reason: `This workload identity (${describeWorkload(w)}) is not in the policy's ci.identities, so it may not request access.`,
    };
  const fromHere = mine.filter((e) => e.subject === null || subjectMatches(e.subject, w.subject));
  if (fromHere.length === 0) {
    const e = mine[0]!;
    const wanted = e.subject!;
    return {
      ok: false,
      code: 'subject_not_allowed',
      reason: `${e.name} may request only from ${wanted.kind === 'exact' ? 'the subject' : 'subjects matching'} ${wanted.text} (${e.source}); ${
        w.subject === null
          ? `this request carried no verified CI token from ${wanted.issuer}.`
          : `this request came from ${w.subject.value}${w.subject.issuer === wanted.issuer ? '' : ` (issuer ${w.subject.issuer})`}.`
      }`,
    };
  }
  const entry = fromHere.find((e) => matchesAny(e.registries, registry));
  if (!entry) {
    const e = fromHere[0]!;
    return {
      ok: false,
      code: 'registry_not_allowed',
      reason: `${e.name} may not request access to ${registry.name}: ${e.source} allows ${e.registries.map((r) => r.text).join(', ')}.`,
    };
  }
  return { ok: true, identity: entry };
}

export interface CiAsk {
  registry: NamedRegistry;
  /** The address the registry reported (becomes /32). */
  rule: string;
  duration: DurationRequest;
  reason: string | null;
  ticket: string | null;
}

/** The registry's settings with the CI limits on top; refusal messages name the entry that set them. */
function ciLimits(p: RegistryPolicy, e: CiIdentity): RegistryPolicy {
  const maxMs = Math.min(e.durations.maxMs, p.durations.maxMs);
  return {
    ...p,
    broadestPrefix: 32,
    allowPermanent: false,
    breakGlass: { ...p.breakGlass, enabled: false },
    durations: { defaultMs: Math.min(e.durations.defaultMs, maxMs), maxMs },
  };
}

export type CiTerms = RequestTerms & { identity: CiIdentity };

/** One call for a CI request: who (the entry), then the same terms a chat request gets, within the CI limits. */
export function planCiRequest(
  policy: Policy,
  w: Workload,
  ask: CiAsk,
): CiTerms | (Refusal<CiRefusalCode | PlanRefusalCode> & { suggestion?: string }) {
  const who = ciIdentityFor(policy, w, ask.registry);
  if (!who.ok) return who;
  const p = ciLimits(policyFor(policy, ask.registry), who.identity);
  if (who.identity.approval === 'approvers' && p.approvers.length === 0)
    return {
      ok: false,
      code: 'no_approvers',
      reason: `Nobody can approve access to ${ask.registry.name}: the policy names no approvers for it (${p.source}), and ${who.identity.source} sends requests to them.`,
    };
  const terms = termsFor(
    { ...p, source: `${p.source} and ${who.identity.source}` },
    { registry: ask.registry, rule: ask.rule, duration: ask.duration, reason: ask.reason, ticket: ask.ticket },
  );
  if (!terms.ok) return terms;
  return { ...terms, registryPolicy: p, identity: who.identity };
}
