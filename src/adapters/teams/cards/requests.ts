/**
 * `requests` Reply (`@bot requests`): a compact list, one block per request (its status line, the list facts, the
 * reason, the warnings). The list is a snapshot: it says so, is never updated, and carries no buttons; each request's
 * own card stays current and has them.
 */
import { LIST_FACTS } from '../../../core/approvals/request-words.js';
import type { RequestView } from '../../../core/approval-views.js';
import { md } from './escape.js';
import { TONE_STYLE } from './request-parts.js';
import { card, type AdaptiveCard, type CardElement } from './types.js';

/** Requests listed on one card (Teams cards are limited to about 28 KB). */
export const MAX_LISTED_REQUESTS = 10;

function item(view: RequestView, first: boolean): CardElement {
  const r = view.request;
  const line = LIST_FACTS.flatMap((label) => {
    const f = view.facts.find((x) => x.label === label);
    return f ? [`${f.label}: ${f.text}`] : [];
  });
  const items: CardElement[] = [
    { type: 'TextBlock', text: md(view.summary, 200), weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: md(line.join(' · '), 400), wrap: true, size: 'Small', isSubtle: true, spacing: 'None' },
  ];
  if (view.status.detail)
    items.push({ type: 'TextBlock', text: md(view.status.detail, 300), wrap: true, size: 'Small', spacing: 'Small' });
  if (r.reason.trim() !== '')
    items.push({
      type: 'TextBlock',
      text: md(r.reason, 200),
      wrap: true,
      size: 'Small',
      spacing: 'Small',
      maxLines: 2,
    });
  if (view.warnings)
    items.push({
      type: 'TextBlock',
      text: `\u26A0 ${md(view.warnings.items.join('; '), 200)}`,
      wrap: true,
      size: 'Small',
      color: 'Warning',
      spacing: 'Small',
    });
  return {
    type: 'Container',
    items,
    style: TONE_STYLE[view.status.tone] === 'warning' ? 'emphasis' : 'default',
    spacing: 'Medium',
    ...(first ? {} : { separator: true }),
  };
}

export function renderRequests(title: string, note: string, views: readonly RequestView[]): AdaptiveCard {
  const shown = views.slice(0, MAX_LISTED_REQUESTS);
  const body: CardElement[] = [
    { type: 'TextBlock', text: md(title, 150), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: md(note, 300), wrap: true, size: 'Small', isSubtle: true, spacing: 'None' },
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
