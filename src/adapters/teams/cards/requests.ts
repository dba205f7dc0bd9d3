/**
 * `requests` Reply (`@bot requests`): a compact list, one block per request (status, rule on registry, requester,
 * approvals, reason). A personal list carries each request's buttons (bound to its id and version); a list posted
 * where others see it carries an Open button per request instead (`refresh_request`), which answers the person who
 * clicked with their own view of that request.
 */
import { APPROVAL_VERBS, type RequestView } from '../../../core/approval-views.js';
import { md } from './escape.js';
import { formatLength, formatTime, personName, requestButtons, STATUS } from './request-parts.js';
import { card, type AdaptiveCard, type CardElement, type ExecuteAction } from './types.js';

/** Requests listed on one card (Teams cards are limited to about 28 KB). */
export const MAX_LISTED_REQUESTS = 10;

function item(view: RequestView, first: boolean): CardElement {
  const r = view.request;
  const status = STATUS[r.status];
  const when =
    r.status === 'applied' ? (r.endsAt ? `ends ${formatTime(r.endsAt)}` : 'permanent') : formatLength(r.durationMs);
  const approvals = `${r.approvals.length} of ${r.requiredApprovals} approvals`;
  const items: CardElement[] = [
    {
      type: 'TextBlock',
      text: `${md(r.rule, 60)} on ${md(r.registry.name, 60)}: ${status.label.split(':')[0]}`,
      weight: 'Bolder',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: `${personName(r.requester)} · ${when} · ${approvals}${r.breakGlass ? ' · break-glass' : ''} · ${formatTime(r.createdAt)}`,
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'None',
    },
  ];
  if (r.reason.trim() !== '')
    items.push({
      type: 'TextBlock',
      text: md(r.reason, 200),
      wrap: true,
      size: 'Small',
      spacing: 'Small',
      maxLines: 2,
    });
  if (view.flags.length > 0)
    items.push({
      type: 'TextBlock',
      text: `\u26A0 ${md(view.flags.join('; '), 200)}`,
      wrap: true,
      size: 'Small',
      color: 'Warning',
      spacing: 'Small',
    });
  const actions: ExecuteAction[] =
    view.audience === 'personal'
      ? requestButtons(r, view.actions)
      : [{ type: 'Action.Execute', title: 'Open', verb: APPROVAL_VERBS.refresh, data: { requestId: r.id } }];
  if (actions.length > 0) items.push({ type: 'ActionSet', actions, spacing: 'Small' });
  return {
    type: 'Container',
    items,
    style: status.style === 'warning' ? 'emphasis' : 'default',
    spacing: 'Medium',
    ...(first ? {} : { separator: true }),
  };
}

export function renderRequests(title: string, views: readonly RequestView[]): AdaptiveCard {
  const shown = views.slice(0, MAX_LISTED_REQUESTS);
  const body: CardElement[] = [
    { type: 'TextBlock', text: md(title, 150), weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  if (shown.length === 0) body.push({ type: 'TextBlock', text: 'No requests to show.', wrap: true, isSubtle: true });
  for (const [i, v] of shown.entries()) body.push(item(v, i === 0));
  if (views.length > shown.length) {
    body.push({
      type: 'TextBlock',
      text: `and ${views.length - shown.length} more (the CLI lists them all: acr-access requests)`,
      wrap: true,
      size: 'Small',
      isSubtle: true,
    });
  }
  return card(body, { fallbackText: md(`${title}: ${views.length}`, 150) });
}
