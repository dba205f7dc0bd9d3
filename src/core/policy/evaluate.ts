/**
 * Policy decisions. Pure functions of (policy, who, where, what); each refusal carries a code for programs and a
 * reason for people, so no click is ever refused silently. The use cases call these before every state change and
 * the state machine (core/requests) re-checks what it can (self-approval, duplicates) as a second line.
 */
import type { Actor } from '../actor.js';
import { NO_POLICY_REASON } from './defaults.js';
import { approverNames, NO_NAMES, type NameBook } from '../approver-names.js';
import { matchApprover, samePerson, verifyIdentity, type PartyLike } from './identity.js';
import { matchesAny } from './match.js';
import { normaliseTeamsId } from './entries.js';
import type {
  ApproverEntry,
  ChannelRef,
  ChannelSelector,
  Policy,
  Refusal,
  RegistryPolicy,
  NamedRegistry,
} from './types.js';

/** The settings for one registry: the first matching `registries[]` entry, else the defaults. */
export function policyFor(policy: Policy, registry: NamedRegistry): RegistryPolicy {
  for (const rule of policy.registries) if (matchesAny(rule.match, registry)) return rule.policy;
  return policy.defaults;
}

export interface ApproverSet {
  approvers: ApproverEntry[];
  minApprovals: number;
  /** Where the list came from ("defaults", "registries[2]"). */
  source: string;
  /** Where approval cards go besides the request's thread. */
  notify: RegistryPolicy['notify'];
}

export function approversFor(policy: Policy, registry: NamedRegistry): ApproverSet {
  if (!policy.configured)
    return {
      approvers: [],
      minApprovals: 1,
      source: 'built-in (no POLICY_FILE)',
      notify: { channels: [], directMessages: false },
    };
  const p = policyFor(policy, registry);
  return { approvers: p.approvers, minApprovals: p.minApprovals, source: p.source, notify: p.notify };
}

type RequestRefusalCode = 'no_policy' | 'unknown_identity' | 'channel_not_allowed' | 'no_approvers';

/** May this person, in this channel, ask for access to this registry? */
export function canRequest(
  policy: Policy,
  actor: Actor,
  channel: ChannelRef,
  registry: NamedRegistry,
): { ok: true; policy: RegistryPolicy } | Refusal<RequestRefusalCode> {
  if (!policy.configured) return { ok: false, code: 'no_policy', reason: NO_POLICY_REASON };
  const who = verifyIdentity(actor);
  if (!who.ok) return who;
  if (policy.channels !== null) {
    const rules = policy.channels.filter((r) => channelMatches(r.selector, channel));
    if (!rules.some((r) => matchesAny(r.registries, registry))) {
      return {
        ok: false,
        code: 'channel_not_allowed',
        reason:
          rules.length === 0
            ? `Access requests cannot be made from this ${channel.direct ? 'chat' : 'channel'}: the policy lists the channels that may request. Ask in one of them, or ask an operator to add this one.`
            : `This ${channel.direct ? 'chat' : 'channel'} may not request access to ${registry.name}: the policy limits it to other registries.`,
      };
    }
  }
  const p = policyFor(policy, registry);
  if (p.approvers.length === 0) {
    return {
      ok: false,
      code: 'no_approvers',
      reason: `Nobody can approve access to ${registry.name}: the policy names no approvers for it. Ask an operator to add approvers to ${p.source}.`,
    };
  }
  return { ok: true, policy: p };
}

function channelMatches(selector: ChannelSelector, channel: ChannelRef): boolean {
  if (selector.kind === 'direct') return channel.direct === true;
  if (selector.kind !== channel.platform) return false;
  if (selector.kind === 'slack') return channel.conversationId === selector.id;
  const ids = [channel.conversationId, channel.channelId ?? ''].map(normaliseTeamsId);
  return ids.includes(selector.id);
}

/** What approvals need to know about a request (core/requests' AccessRequest satisfies it). */
export interface ApprovalSubject {
  registry: NamedRegistry;
  requester: PartyLike;
  status: string;
  breakGlass: boolean;
  requiredApprovals: number;
  approvals: ReadonlyArray<{ by: PartyLike }>;
}

/**
 * How a permitted approval counts: `approver` (a listed approver, not the requester), `self` (the requester is an
 * approver and policy allows self-approval; counts as one approval), `break_glass` (the requester confirms their
 * own break-glass request; completes it at once and every approver must be told).
 */
export type ApprovalRole = 'approver' | 'self' | 'break_glass';

export type ApprovalVerdict =
  | {
      ok: true;
      as: ApprovalRole;
      /** The approver entry that matched (null for break-glass by a requester who is not an approver). */
      matched: ApproverEntry | null;
      /** This approval reaches the required count (or breaks glass): the request becomes approved. */
      completes: boolean;
      /** Break-glass: post to every approver and the notify channels, not just the thread. */
      notifyAllApprovers: boolean;
    }
  | Refusal<
      'no_policy' | 'unknown_identity' | 'not_pending' | 'not_an_approver' | 'already_approved' | 'self_approval'
    >;

/**
 * May this person approve (or deny, or narrow) this request now? `names`: display names the caller knows, so a
 * refusal names the approvers as cards do (policy's name, else the directory's, else the entry).
 */
export function canApprove(
  policy: Policy,
  actor: Actor,
  request: ApprovalSubject,
  names: NameBook = NO_NAMES,
): ApprovalVerdict {
  if (!policy.configured) return { ok: false, code: 'no_policy', reason: NO_POLICY_REASON };
  const who = verifyIdentity(actor);
  if (!who.ok) return who;
  if (request.status !== 'pending') {
    return {
      ok: false,
      code: 'not_pending',
      reason: `This request is already ${request.status.replace('_', ' ')}; there is nothing left to approve.`,
    };
  }
  const p = policyFor(policy, request.registry);
  const matched = matchApprover(who.identity, p.approvers);
  const me: PartyLike = { platform: actor.platform, id: who.identity.id, email: who.identity.email };
  if (request.approvals.some((a) => samePerson(a.by, me))) {
    return {
      ok: false,
      code: 'already_approved',
      reason: 'You have already approved this request; it needs approval from someone else now.',
    };
  }
  const isRequester = samePerson(request.requester, me);
  const count = request.approvals.length + 1;
  if (!isRequester) {
    if (matched === null) return notApprover(p, request.registry, names);
    return {
      ok: true,
      as: 'approver',
      matched,
      completes: count >= request.requiredApprovals,
      notifyAllApprovers: false,
    };
  }
  if (request.breakGlass && p.breakGlass.enabled && (p.breakGlass.allowedFor === 'requesters' || matched !== null)) {
    return { ok: true, as: 'break_glass', matched, completes: true, notifyAllApprovers: true };
  }
  if (matched !== null && p.selfApproval) {
    return { ok: true, as: 'self', matched, completes: count >= request.requiredApprovals, notifyAllApprovers: false };
  }
  return {
    ok: false,
    code: 'self_approval',
    reason:
      matched === null
        ? 'You cannot approve your own request; an approver has to.'
        : `You cannot approve your own request: policy (${p.source}) turns self-approval off.${p.breakGlass.enabled ? ' In an emergency, request again as break-glass.' : ''}`,
  };
}

function notApprover(p: RegistryPolicy, registry: NamedRegistry, book: NameBook): Refusal<'not_an_approver'> {
  const all = approverNames(p.approvers, book);
  const names = all.slice(0, 5).join(', ');
  return {
    ok: false,
    code: 'not_an_approver',
    reason: `You are not an approver for ${registry.name}.${names ? ` Approvers: ${names}${all.length > 5 ? ', …' : ''}.` : ''}`,
  };
}

/** Deny and narrow are approver decisions too; the requester may also narrow (shorten) their own request. */
export function canNarrow(
  policy: Policy,
  actor: Actor,
  request: ApprovalSubject,
  names: NameBook = NO_NAMES,
): { ok: true } | Refusal {
  const v = canApprove(policy, actor, request, names);
  if (v.ok || v.code === 'already_approved') return { ok: true };
  if (v.code === 'self_approval') return { ok: true };
  return v;
}

export function canDeny(
  policy: Policy,
  actor: Actor,
  request: ApprovalSubject,
  names: NameBook = NO_NAMES,
): { ok: true } | Refusal {
  const v = canApprove(policy, actor, request, names);
  // Someone who already approved may still change their mind and deny; a requester withdraws with cancel instead.
  if (v.ok || v.code === 'already_approved') return { ok: true };
  return v;
}

/** The requester withdraws a pending request; an approver may also cancel it (e.g. a duplicate). */
export function canCancel(policy: Policy, actor: Actor, request: ApprovalSubject): { ok: true } | Refusal {
  const who = verifyIdentity(actor);
  if (!who.ok) return who;
  if (samePerson(request.requester, { platform: actor.platform, id: who.identity.id, email: who.identity.email }))
    return { ok: true };
  const matched = policy.configured ? matchApprover(who.identity, policyFor(policy, request.registry).approvers) : null;
  return matched
    ? { ok: true }
    : { ok: false, code: 'not_requester', reason: 'Only the requester or an approver can cancel this request.' };
}

/** Revoking an applied grant is for approvers; the requester may also give their own access back early. */
export function canRevoke(
  policy: Policy,
  actor: Actor,
  request: Pick<ApprovalSubject, 'registry' | 'requester'>,
): { ok: true } | Refusal {
  return canCancel(policy, actor, {
    ...request,
    status: 'applied',
    breakGlass: false,
    requiredApprovals: 1,
    approvals: [],
  });
}

export { checkRule, clampDuration, type DurationRequest } from './limits.js';
