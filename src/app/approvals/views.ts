/**
 * Building the platform-neutral views of the approval flow (core/approval-views.ts): which buttons a card offers
 * to whom, what its banner says, the request and decision forms. Buttons are a convenience: every click is checked
 * again server-side, whatever a view offered.
 */
import {
  asSnapshot,
  type DecisionFormView,
  type RequestAction,
  type RequestFormView,
  type RequestView,
} from '../../core/approval-views.js';
import type { Actor } from '../../core/actor.js';
import {
  actionsForRoles,
  durationChoices,
  riskFlags,
  type FlagSubject,
  type RequestRole,
} from '../../core/approvals/index.js';
import { formatDuration } from '../../core/policy/duration.js';
import { canApprove, canCancel, canDeny, canNarrow, canRevoke, policyFor } from '../../core/policy/evaluate.js';
import { matchApprover, samePerson, verifyIdentity } from '../../core/policy/identity.js';
import type { Policy, RegistryPolicy, NamedRegistry } from '../../core/policy/types.js';
import { approverNames, NO_NAMES, partyName, type NameBook } from '../../core/people.js';
import { cleanupBanner, cleanupFlags } from '../../core/quota/index.js';
import { chatPlatformOf, type AccessRequest, type Party } from '../../core/requests/index.js';
import type { Reply } from '../../core/reply.js';
import { REQUEST_FORM_WORDS } from '../../core/approvals/form-words.js';
import { decisionForm, requestForm } from './form-view.js';
import { buildRequestView, when } from './request-view.js';

export { when };

/** What drawing a view needs: the policy, and the names the people directory knows (ids without it). */
export interface Viewing {
  policy: Policy;
  people?: { names: NameBook };
}

const namesOf = (v: Viewing): NameBook => v.people?.names ?? NO_NAMES;

export function durationText(ms: number | null): string {
  return ms === null ? 'permanently' : `for ${formatDuration(ms)}`;
}

/** What everyone is told when a policy rule approved a request: which rule, and when the rule goes in. */
export function approvedByRuleText(r: AccessRequest): string {
  const name = r.approvedByRule?.name ?? '?';
  const start = r.startsAt ? `when the access window opens at ${when(r.startsAt)}` : 'now';
  return `Approved by rule ${name}: the bot adds ${r.rule} to ${r.registry.name} ${start}, ${durationText(r.durationMs)}.`;
}

/** "2 approvals from Carol Diaz, dave@contoso.com or Teams user 0a1b…" (an id only where no name is known). */
export function approversSummary(
  policy: Policy,
  registry: NamedRegistry,
  required?: number,
  book: NameBook = NO_NAMES,
): string {
  if (!policy.configured) return 'nobody (no approval policy is configured)';
  const p = policyFor(policy, registry);
  const n = required ?? p.minApprovals;
  const all = approverNames(p.approvers, book);
  const names = all.slice(0, 6);
  const more = all.length > 6 ? ` and ${all.length - 6} more` : '';
  const list =
    names.length <= 1
      ? names.join('')
      : `${names.slice(0, -1).join(', ')}${more ? `, ${names.at(-1)}` : ` or ${names.at(-1)}`}${more}`;
  return `${n} approval${n === 1 ? '' : 's'} from ${list || 'nobody'}`;
}

function flagsOf(policy: Policy, request: AccessRequest): string[] {
  if (request.cleanup) return cleanupFlags(request.cleanup);
  const subject: FlagSubject = {
    rule: request.rule,
    durationMs: request.durationMs,
    breakGlass: request.breakGlass,
    kind: request.kind,
  };
  const approvers = policy.configured ? policyFor(policy, request.registry).approvers : [];
  const who = verifyIdentity({
    // A workload identity is never an approver: it goes in as the CLI, which verifyIdentity refuses.
    platform: chatPlatformOf(request.requester) ?? 'cli',
    id: request.requester.id,
    email: request.requester.email,
    displayName: request.requester.displayName,
  });
  const requesterIsApprover = who.ok && matchApprover(who.identity, approvers) !== null;
  return riskFlags(subject, { requesterIsApprover });
}

/** What a card says about where a request stands. */
export function statusBanner(r: AccessRequest, names: NameBook = NO_NAMES): string {
  const by = (p: Party | null | undefined): string => partyName(p ?? null, names);
  const approvedBy = r.approvals.map((a) => partyName(a.by, names)).join(', ');
  const cleanup = cleanupBanner(r, approvedBy);
  if (cleanup !== null) return cleanup;
  switch (r.status) {
    case 'pending': {
      const left = r.requiredApprovals - r.approvals.length;
      const so = r.approvals.length > 0 ? ` Approved so far by ${approvedBy}.` : '';
      const glass = r.breakGlass ? ' Break-glass: the requester can confirm it alone.' : '';
      return `Waiting for ${left} ${r.approvals.length > 0 ? 'more ' : ''}approval${left === 1 ? '' : 's'} (until ${when(r.pendingUntil)}).${so}${glass}`;
    }
    case 'approved':
      return `Approved by ${approvedBy}; the bot is adding the rule.`;
    case 'applying':
      return r.kind === 'extension'
        ? 'Approved; extending the grant.'
        : `Approved by ${approvedBy}; adding ${r.rule} to ${r.registry.name}…`;
    case 'applied':
      if (r.kind === 'extension')
        return `Extension applied: the grant of ${r.rule} lasts ${formatDuration(r.durationMs ?? 0)} longer.`;
      return r.endsAt
        ? `${r.rule} is allowed on ${r.registry.name} until ${when(r.endsAt)}. New rules take a few minutes to take effect.`
        : `${r.rule} is allowed on ${r.registry.name} permanently. New rules take a few minutes to take effect.`;
    case 'failed':
      return `The change failed: ${r.apply.lastError ?? 'unknown error'}.${r.apply.retryable ? ' Retry to try again (the bot re-reads the registry first).' : ''}`;
    // What became of the rule is the status line's (request-view.ts), from the record.
    case 'expired':
      return `The grant ended at ${when(r.endsAt)}.`;
    case 'revoked':
      return `Revoked by ${by(r.decision?.by)}${r.decision?.reason ? `: ${r.decision.reason}` : ''}.`;
    case 'denied':
      return `Denied by ${by(r.decision?.by)}${r.decision?.reason ? `: ${r.decision.reason}` : ''}.`;
    case 'cancelled':
      return `Cancelled by ${by(r.decision?.by)}${r.decision?.reason ? `: ${r.decision.reason}` : ''}.`;
    case 'timed_out':
      return `Nobody decided before ${when(r.pendingUntil)}; the request timed out. Ask again if you still need access.`;
  }
}

/** The roles a person holds on a request, by policy. */
function rolesOf(policy: Policy, r: AccessRequest, viewer: Actor): RequestRole[] {
  const roles: RequestRole[] = [];
  if (samePerson(r.requester, { platform: viewer.platform, id: viewer.id, email: viewer.email }))
    roles.push('requester');
  const who = verifyIdentity(viewer);
  const approvers = policy.configured ? policyFor(policy, r.registry).approvers : [];
  if (who.ok && matchApprover(who.identity, approvers) !== null) roles.push('approver');
  return roles.length > 0 ? roles : ['other'];
}

/** The buttons one person may use: the action table for their roles, then the same policy checks the clicks meet. */
export function actionsFor(policy: Policy, r: AccessRequest, viewer: Actor): RequestAction[] {
  const isRequester = samePerson(r.requester, { platform: viewer.platform, id: viewer.id, email: viewer.email });
  const may: Record<RequestAction, () => boolean> = {
    approve: () => canApprove(policy, viewer, r).ok,
    deny: () => !isRequester && canDeny(policy, viewer, r).ok,
    narrow: () =>
      canNarrow(policy, viewer, r).ok && (!isRequester || r.durationMs === null || r.durationMs > 15 * 60_000),
    cancel: () => canCancel(policy, viewer, r).ok,
    extend: () => isRequester,
    retry: () => canRevoke(policy, viewer, r).ok,
    revoke: () => canRevoke(policy, viewer, r).ok,
  };
  return actionsForRoles(r, rolesOf(policy, r, viewer)).filter((a) => may[a]());
}

function view(
  v: Viewing,
  r: AccessRequest,
  audience: RequestView['audience'],
  actions: readonly RequestAction[],
  banner: string | null,
): RequestView {
  const { policy } = v;
  const names = namesOf(v);
  return buildRequestView({
    request: r,
    audience,
    actions,
    banner: banner ?? statusBanner(r, names),
    approvers: policy.configured ? policyFor(policy, r.registry).approvers : [],
    approversSummary: approversSummary(policy, r.registry, r.requiredApprovals, names),
    flags: flagsOf(policy, r),
    names,
  });
}

/** The card everyone in a conversation sees: what the requester or an approver may do (Slack shows it to all). */
export function conversationView(v: Viewing, r: AccessRequest, banner: string | null = null): RequestView {
  return view(v, r, 'conversation', actionsForRoles(r, ['approver', 'requester']), banner);
}

export function personalView(v: Viewing, r: AccessRequest, viewer: Actor, banner: string | null = null): RequestView {
  return view(v, r, 'personal', actionsFor(v.policy, r, viewer), banner);
}

/** A DM copy for an approver or the requester, when the card record does not say which person it was for. */
export function roleView(
  v: Viewing,
  r: AccessRequest,
  role: 'approver' | 'requester',
  banner: string | null = null,
): RequestView {
  return view(v, r, 'personal', actionsForRoles(r, [role]), banner);
}

/** A copy that is never updated (a list entry, an answer that cannot be edited later): no buttons, and it says so. */
export function snapshotView(v: Viewing, r: AccessRequest): RequestView {
  return asSnapshot(view(v, r, 'conversation', [], null));
}

export function requestReply(v: RequestView): Reply {
  return { type: 'request', view: v };
}

export function notice(tone: 'info' | 'warning' | 'error', title: string, text: string): Reply {
  return { type: 'notice', tone, title, text };
}

export function requestFormView(input: {
  policy: Policy;
  names?: NameBook;
  registryPolicy: RegistryPolicy;
  registry: RequestFormView['registry'];
  ip: string;
  rule: string;
  ruleCount: number;
  breakGlassAvailable: boolean;
  submitData: Record<string, unknown>;
  notes: string[];
  now: Date;
}): RequestFormView {
  const p = input.registryPolicy;
  const lead = p.maxLeadTimeMs;
  const durations = durationChoices({
    maxMs: p.durations.maxMs,
    include: Math.min(p.durations.defaultMs, p.durations.maxMs),
    permanent: p.allowPermanent,
  });
  const flags = [
    ...input.notes,
    ...riskFlags(
      { rule: input.rule, durationMs: p.durations.defaultMs, breakGlass: false },
      { ruleCount: input.ruleCount },
    ),
  ];
  return requestForm({
    registry: input.registry,
    ip: input.ip,
    rule: input.rule,
    durations,
    defaultDuration: formatDuration(Math.min(p.durations.defaultMs, p.durations.maxMs)),
    reasonRequired: p.requireReason,
    ticketRequired: p.requireTicket,
    approversSummary: approversSummary(input.policy, input.registry, undefined, input.names),
    flags,
    breakGlass: {
      available: input.breakGlassAvailable,
      maxDurationMs: input.breakGlassAvailable ? Math.min(p.breakGlass.maxDurationMs, p.durations.maxMs) : null,
    },
    submitData: input.submitData,
    schedule:
      lead === null
        ? null
        : {
            earliest: input.now.toISOString(),
            latest: new Date(input.now.getTime() + lead).toISOString(),
            hint: REQUEST_FORM_WORDS.start.hint(formatDuration(lead)),
          },
  });
}

export function decisionFormView(
  decision: DecisionFormView['decision'],
  r: AccessRequest,
  opts: {
    title: string;
    durations?: DecisionFormView['durations'];
    defaultDuration?: string | null;
    reasonRequired: boolean;
  },
): DecisionFormView {
  return decisionForm({
    decision,
    requestId: r.id,
    version: r.version,
    title: opts.title,
    durations: opts.durations ?? [],
    defaultDuration: opts.defaultDuration ?? null,
    reasonRequired: opts.reasonRequired,
    submitData: { requestId: r.id, version: r.version },
  });
}
