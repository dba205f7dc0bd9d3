/**
 * `request` Reply: one access request's card, in the state it is in now. The same card is posted in the thread (and
 * to approvers) and replaced in place (`chat.update`) as the request moves. Slack has no per-user views, so a
 * `conversation` card shows every button `view.actions` offers to everyone; the use case re-checks each click and
 * answers a non-approver privately. Button value: JSON `{requestId, version}`, never parsed from text.
 *
 * Every string from a person (reason, names) or Azure (error text) is escaped: no mention, `<!channel>` or link can
 * be injected, and people are named, never @mentioned.
 */
import { accessWindow, requestKindLabel, ruleApproval, type RequestView } from '../../../core/approval-views.js';
import { nameOf } from '../../../core/requests/audit.js';
import type { AccessRequest, Approval } from '../../../core/requests/types.js';
import {
  actions,
  context,
  fieldSections,
  header,
  section,
  valueButton,
  type Block,
  type Button,
  type SlackMessage,
} from './blocks.js';
import { clip, code, prose } from './escape.js';
import { ACTION_BUTTONS, DECISION_LABEL, STATUS, durationText, slackTime, flagsText } from './approval-words.js';

/** What every request button carries: the request and the version the card showed (a stale click is refused). */
export interface RequestActionValue {
  requestId: string;
  version: number;
}

const BUDGET = { banner: 600, reason: 1200, field: 500, flags: 1000, approvers: 400, error: 400, decision: 300 };

const MAX_NAMES = 10;

/** A person's name for a card: escaped, one line, at most 80 characters. */
export function personName(p: Parameters<typeof nameOf>[0]): string {
  return clip(prose(nameOf(p).replace(/\s+/g, ' ').slice(0, 200)), 80);
}

function approvalLine(a: Approval): string {
  const as = a.as === 'self' ? ' (own request)' : a.as === 'break_glass' ? ' (break-glass)' : '';
  return `${personName(a.by)}${as}`;
}

export function approvalsText(r: AccessRequest): string {
  const count = `${r.approvals.length} of ${r.requiredApprovals}`;
  if (r.approvals.length === 0) return count;
  const names = r.approvals.slice(0, MAX_NAMES).map(approvalLine).join(', ');
  return `${count}: ${names}${r.approvals.length > MAX_NAMES ? ` and ${r.approvals.length - MAX_NAMES} more` : ''}`;
}

export function requestTitle(r: AccessRequest): string {
  return `${requestKindLabel(r.kind)}: ${r.rule} on ${r.registry.name}`;
}

function fields(r: AccessRequest): Array<[string, string]> {
  const f: Array<[string, string]> = [];
  f.push([
    'Registry',
    r.registry.loginServer ? `${code(r.registry.name)} (${code(r.registry.loginServer)})` : code(r.registry.name),
  ]);
  f.push(['Rule', code(r.rule)]);
  f.push([r.kind === 'extension' ? 'Extend by' : 'Duration', durationText(r)]);
  f.push(['Requested by', personName(r.requester)]);
  f.push(['Approvals', approvalsText(r)]);
  if (r.breakGlass) f.push(['Break-glass', ':rotating_light: yes: emergency self-approval']);
  if (r.appliedAt) f.push(['Applied', slackTime(r.appliedAt)]);
  if (r.endsAt) f.push([r.status === 'applied' ? 'Ends' : 'Ended', slackTime(r.endsAt)]);
  else if (r.status === 'applied' && r.durationMs === null) f.push(['Ends', 'never (permanent rule)']);
  const window = accessWindow(r);
  if (window)
    f.push([
      'Access window',
      `${slackTime(window.start)} to ${window.end ? slackTime(window.end) : 'never (permanent rule)'}`,
    ]);
  const byRule = ruleApproval(r);
  if (byRule) f.push(['Approved by', prose(byRule)]);
  if (r.status === 'pending') f.push(['Decide by', slackTime(r.pendingUntil)]);
  const decided = DECISION_LABEL[r.status];
  if (decided && r.decision) {
    const who = r.decision.by ? personName(r.decision.by) : 'the bot';
    f.push([
      decided,
      `${who}, ${slackTime(r.decision.at)}${r.decision.reason ? `: ${clip(prose(r.decision.reason), BUDGET.decision)}` : ''}`,
    ]);
  }
  if (r.apply.lastError && r.status !== 'applied') {
    f.push(['Last error', `${clip(prose(r.apply.lastError), BUDGET.error)}${r.apply.retryable ? ' (retryable)' : ''}`]);
  }
  return f.map(([label, value]) => [label, clip(value, BUDGET.field)]);
}

/** The card's buttons, in the order `view.actions` lists them. */
export function requestButtons(view: RequestView): Button[] {
  const value = JSON.stringify({
    requestId: view.request.id,
    version: view.request.version,
  } satisfies RequestActionValue);
  const out: Button[] = [];
  for (const a of view.actions) {
    const b = ACTION_BUTTONS[a];
    const button = valueButton(b.actionId, b.label, value);
    if (button) out.push(b.style ? { ...button, style: b.style } : button);
  }
  return out;
}

export function statusLine(view: RequestView): string {
  const s = STATUS[view.request.status];
  return `${s.emoji} *${s.label}*${view.banner ? `\n${clip(prose(view.banner.slice(0, BUDGET.banner * 2)), BUDGET.banner)}` : ''}`;
}

export function renderRequest(view: RequestView): SlackMessage {
  const r = view.request;
  const blocks: Block[] = [
    header(requestTitle(r)),
    section(statusLine(view), 'request_status'),
    ...fieldSections(fields(r), 'request_facts'),
  ];
  blocks.push(
    section(
      `*Reason*\n${r.reason.trim() === '' ? '_none given_' : clip(prose(r.reason.slice(0, BUDGET.reason * 2)), BUDGET.reason)}`,
      'request_reason',
    ),
  );
  if (view.flags.length > 0) blocks.push(context(flagsText(view.flags, BUDGET.flags), 'request_flags'));
  if (view.approversSummary.trim() !== '')
    blocks.push(
      context(
        clip(`Approvers: ${prose(view.approversSummary.slice(0, BUDGET.approvers * 2))}`, BUDGET.approvers),
        'request_approvers',
      ),
    );
  blocks.push(
    context(`Request ${code(r.id)} · version ${r.version} · requested ${slackTime(r.createdAt)}`, 'request_meta'),
  );
  const row = actions(requestButtons(view), 'request_actions');
  if (row) blocks.push(row);
  const text = clip(
    prose(
      `${requestTitle(r)} for ${nameOf(r.requester).slice(0, 200)}: ${STATUS[r.status].label} (${r.approvals.length} of ${r.requiredApprovals} approvals)`,
    ),
    3000,
  );
  return { text, blocks };
}
