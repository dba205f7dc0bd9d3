/**
 * The one neutral view of a request (core/approval-views.ts RequestView), built here once for every copy of its
 * card: title, status line (with what happened to the rule of an ended grant, from the record), facts, warnings,
 * and the buttons the action table allows. Teams and Slack only lay it out, so both say the same things.
 */
import {
  accessWindow,
  requestKindLabel,
  ruleApproval,
  type RequestView,
  type ViewFact,
} from '../../core/approval-views.js';
import {
  ACTION_WORDS,
  actionsForRoles,
  DECISION_LABEL,
  ruleOutcome,
  SHARED_CARD_NOTE,
  STATUS_WORDS,
  WARNINGS_HEADING,
  when,
  type RequestAction,
} from '../../core/approvals/index.js';
import { formatDuration } from '../../core/policy/duration.js';
import { NO_NAMES, partyName, type NameBook } from '../../core/people.js';
import type { ApproverEntry } from '../../core/policy/types.js';
export { when };
import type { AccessRequest, Approval } from '../../core/requests/index.js';
import { unreachedText } from './unreached.js';

/** Names on a card: at most this many approvals are listed by name. */
const MAX_NAMES = 10;

function approvalName(a: Approval, names: NameBook): string {
  const as = a.as === 'self' ? ' (own request)' : a.as === 'break_glass' ? ' (break-glass)' : '';
  return `${partyName(a.by, names)}${as}`;
}

function timeFact(label: string, iso: string | null, suffix = ''): ViewFact {
  return iso ? { label, text: `${when(iso)}${suffix}`, at: iso } : { label, text: `never${suffix}` };
}

export function requestTitle(r: AccessRequest): string {
  return `${requestKindLabel(r.kind)}: ${r.rule} on ${r.registry.name}`;
}

/** The status line: the status's words, and for an ended grant what became of its rule. */
export function statusOf(r: AccessRequest): RequestView['status'] {
  const words = STATUS_WORDS[r.status];
  const outcome = ruleOutcome(r);
  if (outcome)
    return { label: words.label, tone: words.tone, detail: `${outcome[0]!.toUpperCase()}${outcome.slice(1)}.` };
  if (r.status === 'applied')
    return {
      label: r.kind === 'extension' ? 'Applied: the grant was extended' : 'Applied: the rule is in the firewall',
      tone: words.tone,
      detail: null,
    };
  return { label: words.label, tone: words.tone, detail: null };
}

export function requestFacts(r: AccessRequest, approversSummary: string, names: NameBook = NO_NAMES): ViewFact[] {
  const person = (p: Parameters<typeof partyName>[0]) => partyName(p, names);
  const f: ViewFact[] = [
    {
      label: 'Registry',
      text:
        r.registry.loginServer && r.registry.loginServer.toLowerCase() !== r.registry.name.toLowerCase()
          ? `${r.registry.name} (${r.registry.loginServer})`
          : r.registry.name,
    },
    { label: 'Rule', text: r.rule },
  ];
  const length = r.durationMs === null ? 'permanent' : formatDuration(r.durationMs);
  if (r.kind === 'extension') f.push({ label: 'Extends by', text: length });
  else if (r.status === 'applied')
    f.push(r.endsAt ? timeFact('Ends at', r.endsAt) : { label: 'Ends at', text: 'never (permanent rule)' });
  else f.push({ label: 'Duration', text: length });
  f.push({ label: 'Requested by', text: `${person(r.requester)}, ${when(r.createdAt)}` });
  f.push({ label: 'Reason', text: r.reason.trim() === '' ? '(none given)' : r.reason });
  if (r.ticket) f.push({ label: 'Ticket', text: r.ticket });
  const approvedBy = r.approvals
    .slice(0, MAX_NAMES)
    .map((a) => approvalName(a, names))
    .join(', ');
  const more = r.approvals.length > MAX_NAMES ? ` and ${r.approvals.length - MAX_NAMES} more` : '';
  f.push({
    label: 'Approvals',
    text: `${r.approvals.length} of ${r.requiredApprovals}${approvedBy ? `: ${approvedBy}${more}` : ''}`,
  });
  if (approversSummary.trim() !== '') f.push({ label: 'Approvers', text: approversSummary });
  // Kept on the record, so every copy, drawn anywhere and at any time later, says it while it still matters.
  if (r.status === 'pending' && r.unreached && r.unreached.length > 0)
    f.push({ label: 'Not reached', text: unreachedText(r.unreached, names) });
  if (r.breakGlass)
    f.push({ label: 'Break-glass', text: 'yes: emergency self-approval, every approver told, to be reviewed' });
  const window = accessWindow(r);
  if (window)
    f.push({
      label: 'Access window',
      text: `${when(window.start)} to ${window.end ? when(window.end) : 'never (permanent rule)'}`,
    });
  const byRule = ruleApproval(r);
  if (byRule) f.push({ label: 'Approved by', text: byRule });
  if (r.status === 'pending') f.push(timeFact('Decide by', r.pendingUntil));
  if (r.appliedAt) f.push(timeFact('Applied at', r.appliedAt));
  // An expired grant ended when it was due; a revoked one ended at the revocation (its decision says when).
  if (r.status === 'expired' && r.endsAt) f.push(timeFact('Ended at', r.endsAt));
  const decided = DECISION_LABEL[r.status];
  if (decided && r.decision) {
    const reason = r.decision.reason?.trim() ? `: ${r.decision.reason.trim()}` : '';
    f.push({ label: decided, text: `${person(r.decision.by)}, ${when(r.decision.at)}${reason}` });
  }
  if (r.status === 'timed_out') f.push(timeFact('Timed out at', r.pendingUntil));
  if (r.apply.lastError && (r.status === 'failed' || r.status === 'applying' || r.status === 'approved')) {
    const retry = r.status === 'failed' ? (r.apply.retryable ? ' (can be retried)' : ' (not retryable)') : '';
    f.push({ label: 'Last error', text: `${r.apply.lastError}${retry}` });
  }
  if (r.extendsRequestId) f.push({ label: 'Extends request', text: r.extendsRequestId });
  f.push({ label: 'Request', text: `${r.id} (v${r.version})` });
  return f;
}

export interface ViewInput {
  request: AccessRequest;
  audience: RequestView['audience'];
  /** The buttons this copy offers; always cut down to what the action table allows in the current status. */
  actions: readonly RequestAction[];
  banner: string | null;
  approvers: ApproverEntry[];
  approversSummary: string;
  flags: string[];
  note?: string | null;
  /** Display names the people directory knows; without them people are named by email or id. */
  names?: NameBook;
}

export function buildRequestView(v: ViewInput): RequestView {
  const r = v.request;
  const actionsByRole = {
    requester: actionsForRoles(r, ['requester']),
    approver: actionsForRoles(r, ['approver']),
    other: actionsForRoles(r, ['other']),
  };
  const allowed = new Set(actionsForRoles(r, ['requester', 'approver', 'other']));
  const actions = v.audience === 'snapshot' ? [] : v.actions.filter((a) => allowed.has(a));
  const status = statusOf(r);
  return {
    request: r,
    title: requestTitle(r),
    status,
    banner: v.banner,
    facts: requestFacts(r, v.approversSummary, v.names),
    warnings:
      r.status === 'pending' && v.flags.length > 0 ? { heading: WARNINGS_HEADING, items: v.flags.slice(0, 10) } : null,
    actions,
    buttons: actions.map((a) => ({ action: a, ...ACTION_WORDS[a] })),
    actionsByRole,
    audience: v.audience,
    // A card everyone sees says who its buttons are for, in the same words on every platform.
    note: v.note ?? (v.audience === 'conversation' && actions.length > 0 ? SHARED_CARD_NOTE : null),
    approvers: v.approvers,
    approversSummary: v.approversSummary,
    summary: `${status.label}: ${r.rule} on ${r.registry.name}`,
  };
}
