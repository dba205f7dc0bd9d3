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
import { APPROVAL_VERBS, type RequestView } from '../../../core/approval-views.js';
import { FINAL_STATUSES } from '../../../core/requests/types.js';
import { md } from './escape.js';
import { flagsContainer, requestButtons, TONE_STYLE } from './request-parts.js';
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

/** The view's facts as a FactSet: the same labels and words Slack shows. */
export function requestFacts(view: RequestView): Fact[] {
  return view.facts.map((f) => ({ title: md(f.label, 40), value: md(f.text, f.label === 'Reason' ? 500 : 300) }));
}

export function renderRequest(view: RequestView, options: RequestRenderOptions = {}): AdaptiveCard {
  const r = view.request;
  const head: CardElement[] = [
    { type: 'TextBlock', text: md(view.status.label, 120), weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: md(view.title, 160), wrap: true, spacing: 'Small' },
  ];
  if (view.status.detail)
    head.push({ type: 'TextBlock', text: md(view.status.detail, 300), wrap: true, spacing: 'Small' });
  if (view.banner)
    head.push({ type: 'TextBlock', text: md(view.banner, 300), wrap: true, spacing: 'Small', isSubtle: true });
  const body: CardElement[] = [
    { type: 'Container', style: TONE_STYLE[view.status.tone], items: head },
    { type: 'FactSet', facts: requestFacts(view), spacing: 'Medium' },
  ];
  if (view.warnings) body.push(flagsContainer(view.warnings.heading, view.warnings.items));
  if (view.note)
    body.push({
      type: 'TextBlock',
      text: md(view.note, 300),
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'Medium',
    });
  const personal = view.audience === 'personal';
  return card(body, {
    actions: personal ? requestButtons(r, view.buttons) : [],
    refresh: view.audience !== 'snapshot' && refreshable(view) ? refreshFor(r.id, options.refreshUserIds) : null,
    fallbackText: md(view.summary, 150),
  });
}
