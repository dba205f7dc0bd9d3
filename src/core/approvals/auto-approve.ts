/**
 * Auto-approval: does a policy rule approve this request without a person, and if not, why not? One decision for
 * every way a request is made: chat requests are held to the registry's `autoApprove` rules, CI requests to their
 * `ci.identities` entry (`approval: auto`). It runs only on a request that already passed every guardrail a human
 * approval relies on (planRequest, the registry read, the address checks), and on top refuses what no rule may
 * approve on its own: break-glass (the requester confirms that one), and permanent rules.
 * The request then takes the `auto_approve` transition with the rule's name and source ("approved by rule <name>").
 */
import type { IpOwner } from '../diagnosis.js';
import { formatDuration } from '../policy/duration.js';
import { matchApprover, type VerifiedIdentity } from '../policy/identity.js';
import { globMatch } from '../policy/match.js';
import type { AutoApproveRule, CiIdentity, OwnerCondition, RegistryPolicy } from '../policy/types.js';
import { describeWindow, inWindow } from '../policy/window.js';

/** The rule that approves: what the audit log and the cards name. */
export interface ApprovingRule {
  name: string;
  /** Where it is written in the policy file (`registries[0].autoApprove[1]`, `ci.identities[2]`). */
  source: string;
}

export type AutoApproval = { ok: true; rule: ApprovingRule } | { ok: false; reason: string };

export interface AutoApproveSubject {
  registryPolicy: RegistryPolicy;
  /** The requester as recorded on the request (its platform id and directory email were verified when it was made). */
  requester: { platform: string; id: string; email: string | null };
  /** Who owns the client address in the tenant (the gateway's IP-owner lookup); null when nobody the bot can read. */
  owner: IpOwner | null;
  /** Null = permanent. */
  durationMs: number | null;
  breakGlass: boolean;
  /** When the access starts: now, or the scheduled start. The rule's window is checked at this instant. */
  startsAt: Date;
}

/** The first of the registry's rules whose every condition holds, or why none does (one line per rule). */
export function autoApproval(s: AutoApproveSubject): AutoApproval {
  const rules = s.registryPolicy.autoApprove;
  if (rules.length === 0) return { ok: false, reason: `no auto-approval rule applies (${s.registryPolicy.source})` };
  if (s.breakGlass)
    return { ok: false, reason: 'a break-glass request is confirmed by its requester, never by a rule' };
  if (s.durationMs === null) return { ok: false, reason: 'a permanent rule is never approved automatically' };
  const misses: string[] = [];
  for (const rule of rules) {
    const miss = whyNot(rule, s);
    if (miss === null) return { ok: true, rule: { name: rule.name, source: rule.source } };
    misses.push(`rule ${rule.name}: ${miss}`);
  }
  return { ok: false, reason: misses.join('; ') };
}

/** A CI entry that says `approval: auto` approves its own requests (every guardrail having passed). */
export function ciAutoApproval(identity: Pick<CiIdentity, 'name' | 'source' | 'approval'>): AutoApproval {
  return identity.approval === 'auto'
    ? { ok: true, rule: { name: identity.name, source: identity.source } }
    : { ok: false, reason: `${identity.source} (${identity.name}) leaves the decision to the registry's approvers` };
}

function whyNot(rule: AutoApproveRule, s: AutoApproveSubject): string | null {
  if (rule.requesters.length > 0 || rule.groups.length > 0) {
    if (!requesterMatches(rule, s.requester)) return 'the requester is not one of its requesters or groups';
  }
  if (rule.owner !== null) {
    const miss = ownerMiss(rule.owner, s.owner);
    if (miss) return miss;
  }
  if (rule.maxDurationMs !== null && (s.durationMs ?? Number.POSITIVE_INFINITY) > rule.maxDurationMs)
    return `${formatDuration(s.durationMs ?? 0)} is longer than its maxDuration ${formatDuration(rule.maxDurationMs)}`;
  if (rule.window !== null && !inWindow(rule.window, s.startsAt))
    return `the access starts outside its window (${describeWindow(rule.window)})`;
  return null;
}

function requesterMatches(rule: AutoApproveRule, r: AutoApproveSubject['requester']): boolean {
  if (r.platform !== 'teams' && r.platform !== 'slack') return false;
  const identity: VerifiedIdentity = {
    platform: r.platform,
    id: r.platform === 'teams' ? r.id.toLowerCase() : r.id,
    email: r.email ? r.email.trim().toLowerCase() : null,
    groups: null,
  };
  const entries = [...rule.requesters, ...rule.groups.flatMap((g) => g.members)];
  return matchApprover(identity, entries) !== null;
}

/** Subscription, resource group and AKS cluster of an address the tenant owns, from the owner's resource id. */
export function ownerFacts(
  owner: IpOwner | null,
): { subscription: string; resourceGroup: string; aksCluster: string | null } | null {
  if (owner === null || (owner.kind !== 'public_ip' && owner.kind !== 'public_ip_prefix') || !owner.resourceId)
    return null;
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(owner.resourceId);
  if (!m) return null;
  return {
    subscription: m[1]!.toLowerCase(),
    resourceGroup: m[2]!.toLowerCase(),
    aksCluster: owner.aksCluster ? owner.aksCluster.toLowerCase() : null,
  };
}

function ownerMiss(want: OwnerCondition, owner: IpOwner | null): string | null {
  const f = ownerFacts(owner);
  if (f === null) return 'the client address is not a public IP or prefix the bot can see in the tenant';
  if (want.subscriptions.length > 0 && !want.subscriptions.includes(f.subscription))
    return `the address belongs to subscription ${f.subscription}, not one it names`;
  if (want.resourceGroups.length > 0 && !want.resourceGroups.some((g) => globMatch(g, f.resourceGroup)))
    return `the address is in resource group ${f.resourceGroup}, not one it names`;
  if (
    want.aksClusters.length > 0 &&
    (f.aksCluster === null || !want.aksClusters.some((g) => globMatch(g, f.aksCluster!)))
  )
    return f.aksCluster === null
      ? 'the address is not an AKS cluster’s outbound address'
      : `the address is AKS cluster ${f.aksCluster}’s, not one it names`;
  return null;
}
