/**
 * Per-user views: which Teams users a request card asks to fetch their own view of it (`refresh.userIds`). The use
 * case decides who may do what and lists the approvers (RequestView.approvers); this module only turns those
 * people into Teams ids for the conversation the card goes to:
 * - a channel or group chat: the approvers named by Teams AAD object id or email/UPN, resolved in the conversation's
 *   roster (groups and Slack ids cannot be: they get the message's manual Refresh), plus the requester when the card
 *   offers anything beyond approve/deny/narrow or the request is pending, applied or failed (cancel, extend, retry);
 * - a 1:1 chat: the person in it.
 * At most 60 ids (Teams' limit), approvers first.
 */
import type { Activity, TurnContext } from 'botbuilder';
import type { ConversationRef } from '../../app/chat.js';
import type { RequestView } from '../../core/approval-views.js';
import type { Reply } from '../../core/reply.js';
import { renderReply, type RenderOptions } from './cards/render.js';
import { APPROVER_ONLY } from './cards/request-parts.js';
import { MAX_REFRESH_USERS, refreshable } from './cards/request.js';
import type { AdaptiveCard } from './cards/types.js';
import { rosterScope, type PersonKey, type TeamsRoster } from './roster.js';

/** Where a card is going: the conversation's shape and the roster to resolve people in. */
export interface CardTarget {
  kind: 'personal' | 'group' | 'channel';
  /** rosterScope(): the team id for a channel, else the conversation id. */
  scope: string;
  /** In a 1:1 chat: the Teams id of the person in it, when known. */
  personalUserId: string | null;
}

/** The target of a card answering `activity` in `conversation`. */
export function cardTarget(activity: Activity, conversation: ConversationRef): CardTarget {
  return {
    kind: conversation.kind,
    scope: rosterScope(conversation.conversationId, conversation.teamId),
    personalUserId: conversation.kind === 'personal' ? (activity.from?.id ?? null) : null,
  };
}

/** Time allowed for roster lookups while a card waits (an invoke has about 5 s in all). */
export const ROSTER_BUDGET_MS = 1500;

function requesterActs(view: RequestView): boolean {
  if (view.actions.some((a) => !APPROVER_ONLY.has(a))) return true;
  return ['pending', 'applied', 'failed'].includes(view.request.status);
}

/** The people to resolve for a request card, each as alternatives to try in order (AAD id, then UPN). */
export function peopleFor(view: RequestView): PersonKey[][] {
  const people: PersonKey[][] = [];
  for (const a of view.approvers) {
    if (a.kind === 'teams' || a.kind === 'email') people.push([a.value]);
  }
  const r = view.request.requester;
  if (r.platform === 'teams' && requesterActs(view)) {
    const keys = [r.id, r.email].filter((k): k is string => typeof k === 'string' && k !== '');
    if (keys.length > 0) people.push(keys);
  }
  return people;
}

/** Render options for `reply` going to `target`: the refresh user ids of a request card that is still live. */
export async function renderOptionsFor(
  reply: Reply,
  context: TurnContext,
  target: CardTarget,
  roster: TeamsRoster,
  budgetMs = ROSTER_BUDGET_MS,
): Promise<RenderOptions> {
  if (reply.type !== 'request' || !refreshable(reply.view)) return {};
  if (target.kind === 'personal') return target.personalUserId ? { refreshUserIds: [target.personalUserId] } : {};
  const ids = await roster.resolveMany(context, target.scope, peopleFor(reply.view), budgetMs);
  return { refreshUserIds: ids.slice(0, MAX_REFRESH_USERS) };
}

export async function renderFor(
  reply: Reply,
  context: TurnContext,
  target: CardTarget,
  roster: TeamsRoster,
  extra: RenderOptions = {},
  budgetMs?: number,
): Promise<AdaptiveCard> {
  return renderReply(reply, { ...extra, ...(await renderOptionsFor(reply, context, target, roster, budgetMs)) });
}

/**
 * The card everyone in a shared conversation sees for an `update` of a request: never a personal view's buttons
 * (only per-user refreshes carry those), whatever view the use case answered the clicker with.
 */
export function forEveryone(reply: Reply, target: CardTarget): Reply {
  if (reply.type !== 'request' || target.kind === 'personal' || reply.view.audience === 'conversation') return reply;
  return { type: 'request', view: { ...reply.view, audience: 'conversation' } };
}
