/**
 * Approval-flow Replies (request form, decision forms, request cards, lists, audit) as Adaptive Cards.
 * Interim rendering: a readable summary with no inputs; the Teams approval UI replaces it with the real forms,
 * per-user views (`refresh.userIds`) and decision buttons.
 */
import type { Reply } from '../../../core/reply.js';
import { md } from './escape.js';
import { card, type AdaptiveCard } from './types.js';

type ApprovalReply = Extract<Reply, { type: 'request_form' | 'decision_form' | 'request' | 'requests' | 'audit' }>;

function summary(reply: ApprovalReply): { title: string; lines: string[] } {
  switch (reply.type) {
    case 'request_form':
      return { title: `Request access to ${reply.form.registry.name}`, lines: [`Rule ${reply.form.rule}`, reply.form.approversSummary] };
    case 'decision_form':
      return { title: reply.form.title, lines: [] };
    case 'request':
      return { title: `Request ${reply.view.request.id}: ${reply.view.request.status}`, lines: [`${reply.view.request.rule} on ${reply.view.request.registry.name}`] };
    case 'requests':
      return { title: reply.title, lines: reply.views.map((v) => `${v.request.id} ${v.request.status} ${v.request.rule} on ${v.request.registry.name}`) };
    case 'audit':
      return { title: `Audit ${reply.view.registry ?? ''}`.trim(), lines: reply.view.events.map((e) => `${e.at} ${e.summary}`) };
  }
}

export function renderApproval(reply: ApprovalReply): AdaptiveCard {
  const { title, lines } = summary(reply);
  return card(
    [
      { type: 'TextBlock', text: md(title, 150), weight: 'Bolder', wrap: true },
      ...lines.slice(0, 20).map((l) => ({ type: 'TextBlock' as const, text: md(l, 300), wrap: true, spacing: 'Small' as const })),
    ],
    { actions: [], fallbackText: md(title, 150) },
  );
}
