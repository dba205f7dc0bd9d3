/**
 * `request` Reply: one access request's card in the state it is in now. The same message is updated in place as
 * the request moves (updateActivity), so the card always says where it stands.
 *
 * Two audiences (RequestView.audience):
 * - `conversation`: the card everyone in a thread or channel sees. It carries NO decision buttons; instead a
 *   Universal Actions `refresh` (verb `refresh_request`, data `{ requestId }`) whose `userIds` are the Teams ids of
 *   the approvers (and of the requester when they can act), resolved by the adapter. Their clients fetch their own
 *   view, with the buttons the use case grants them; everyone else keeps this card.
 * - `personal`: one person's view (the answer to a refresh or a click, a DM): the buttons in `view.actions`, each
 *   bound to `{ requestId, version }`. It keeps the same `refresh`, as Teams' user-specific views expect.
 * Whatever a card shows, every click is re-checked by the use case.
 */
import {
  accessWindow,
  APPROVAL_VERBS,
  requestKindLabel,
  ruleApproval,
  type RequestView,
} from '../../../core/approval-views.js';
import { FINAL_STATUSES } from '../../../core/requests/types.js';
import { md } from './escape.js';
import {
  flagsContainer,
  formatLength,
  formatTime,
  personName,
  registryName,
  requestButtons,
  STATUS,
} from './request-parts.js';
import { card, type AdaptiveCard, type CardElement, type Fact, type Refresh } from './types.js';

/** Teams shows per-user views to at most 60 users per card. */
export const MAX_REFRESH_USERS = 60;

export interface RequestRenderOptions {
  /**
   * Teams user ids (`29:…`) whose clients fetch their own view. Undefined or empty with a refresh due: `userIds: []`,
   * which lets anyone fetch their view from the message's Refresh menu, and nobody automatically.
   */
  refreshUserIds?: readonly string[];
}

/** Does this request still change for someone (so a per-user view is worth fetching)? */
export function refreshable(view: RequestView): boolean {
  return !FINAL_STATUSES.includes(view.request.status);
}

export function refreshFor(requestId: string, userIds: readonly string[] | undefined): Refresh {
  return {
    action: { type: 'Action.Execute', verb: APPROVAL_VERBS.refresh, data: { requestId } },
    userIds: [...new Set(userIds ?? [])].slice(0, MAX_REFRESH_USERS),
  };
}

export function requestFacts(view: RequestView): Fact[] {
  const r = view.request;
  const facts: Fact[] = [
    { title: 'Registry', value: registryName(r.registry) },
    { title: 'Rule', value: md(r.rule, 60) },
  ];
  if (r.kind === 'extension') facts.push({ title: 'Extends by', value: formatLength(r.durationMs) });
  else if (r.status === 'applied')
    facts.push({ title: 'Ends', value: r.endsAt ? formatTime(r.endsAt) : 'never (permanent rule)' });
  else facts.push({ title: 'Duration', value: formatLength(r.durationMs) });
  facts.push({ title: 'Requested by', value: `${personName(r.requester)}, ${formatTime(r.createdAt)}` });
  facts.push({ title: 'Reason', value: r.reason.trim() === '' ? '(none given)' : md(r.reason, 500) });
  const names = r.approvals.map((a) => personName(a.by)).join(', ');
  facts.push({
    title: 'Approvals',
    value: `${r.approvals.length} of ${r.requiredApprovals}${names ? `: ${names}` : ''}`,
  });
  if (view.approversSummary.trim() !== '') facts.push({ title: 'Approvers', value: md(view.approversSummary, 300) });
  if (r.breakGlass)
    facts.push({
      title: 'Break-glass',
      value: 'yes: self-approved in an emergency, every approver notified, marked for review',
    });
  const window = accessWindow(r);
  if (window)
    facts.push({
      title: 'Access window',
      value: `${formatTime(window.start)} to ${window.end ? formatTime(window.end) : 'never (permanent rule)'}`,
    });
  const byRule = ruleApproval(r);
  if (byRule) facts.push({ title: 'Approved by', value: md(byRule, 80) });
  if (r.status === 'pending') facts.push({ title: 'Waits until', value: formatTime(r.pendingUntil) });
  if (r.appliedAt) facts.push({ title: 'Applied at', value: formatTime(r.appliedAt) });
  if (r.endsAt && r.status !== 'applied') facts.push({ title: 'Ends at', value: formatTime(r.endsAt) });
  if (r.decision) {
    const what = STATUS[r.status].label.split(':')[0]!;
    const reason = r.decision.reason?.trim() ? `: ${md(r.decision.reason, 300)}` : '';
    facts.push({ title: what, value: `by ${personName(r.decision.by)}, ${formatTime(r.decision.at)}${reason}` });
  }
  if (r.apply.lastError && (r.status === 'failed' || r.status === 'applying' || r.status === 'approved')) {
    facts.push({
      title: 'Last error',
      value: `${md(r.apply.lastError, 300)}${r.status === 'failed' ? (r.apply.retryable ? ' (can be retried)' : ' (not retryable)') : ''}`,
    });
  }
  if (r.extendsRequestId) facts.push({ title: 'Extends request', value: md(r.extendsRequestId, 80) });
  facts.push({ title: 'Request', value: `${md(r.id, 80)} (v${r.version})` });
  return facts;
}

export function renderRequest(view: RequestView, options: RequestRenderOptions = {}): AdaptiveCard {
  const r = view.request;
  const status = STATUS[r.status];
  const title = `${requestKindLabel(r.kind)}: ${md(r.rule, 60)} on ${md(r.registry.name, 60)}`;
  const head: CardElement[] = [
    { type: 'TextBlock', text: status.label, weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: title, wrap: true, spacing: 'Small' },
  ];
  if (view.banner)
    head.push({ type: 'TextBlock', text: md(view.banner, 300), wrap: true, spacing: 'Small', isSubtle: true });
  const body: CardElement[] = [
    { type: 'Container', style: status.style, items: head },
    { type: 'FactSet', facts: requestFacts(view), spacing: 'Medium' },
  ];
  if (view.flags.length > 0) body.push(flagsContainer('Read before approving', view.flags));
  const personal = view.audience === 'personal';
  if (!personal && view.actions.length > 0) {
    body.push({
      type: 'TextBlock',
      text: 'Only approvers get the decision buttons (their own view of this card); every click is checked.',
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'Medium',
    });
  }
  return card(body, {
    actions: personal ? requestButtons(r, view.actions) : [],
    refresh: refreshable(view) ? refreshFor(r.id, options.refreshUserIds) : null,
    fallbackText: md(`${status.label.split(':')[0]}: ${r.rule} on ${r.registry.name}`, 150),
  });
}
