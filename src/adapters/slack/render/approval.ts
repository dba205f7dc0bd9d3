/**
 * Approval-flow Replies (request form, decision forms, request cards, lists, audit) in Block Kit.
 * Interim rendering: a readable summary with no inputs; the Slack approval UI replaces it with modals and the
 * decision buttons.
 */
import type { Reply } from '../../../core/reply.js';
import { section, type SlackMessage } from './blocks.js';
import { clip, prose } from './escape.js';

type ApprovalReply = Extract<Reply, { type: 'request_form' | 'decision_form' | 'request' | 'requests' | 'audit' }>;

function lines(reply: ApprovalReply): string[] {
  switch (reply.type) {
    case 'request_form':
      return [`Request access to ${reply.form.registry.name}`, `Rule ${reply.form.rule}`, reply.form.approversSummary];
    case 'decision_form':
      return [reply.form.title];
    case 'request':
      return [`Request ${reply.view.request.id}: ${reply.view.request.status}`, `${reply.view.request.rule} on ${reply.view.request.registry.name}`];
    case 'requests':
      return [reply.title, ...reply.views.map((v) => `${v.request.id} ${v.request.status} ${v.request.rule} on ${v.request.registry.name}`)];
    case 'audit':
      return [`Audit ${reply.view.registry ?? ''}`.trim(), ...reply.view.events.map((e) => `${e.at} ${e.summary}`)];
  }
}

export function renderApproval(reply: ApprovalReply): SlackMessage {
  const text = lines(reply).slice(0, 40).map((l) => prose(l)).join('\n');
  return { text: clip(prose(lines(reply)[0] ?? ''), 300), blocks: [section(clip(text, 2900), 'approval')] };
}
