/**
 * `notice` Reply: a title and a sentence, coloured by tone. A retryable notice gets Try again carrying the words it
 * answered (`{ text, addressed }`, like Slack's), so the adapter can read them again and replace the notice with the
 * new answer; words too long for a card's data get no button, only the advice to paste them again.
 */
import type { Reply } from '../../../core/reply.js';
import { VERBS } from './actions.js';
import { md } from './escape.js';
import { card, type AdaptiveCard, type CardAction, type CardElement, type ContainerStyle } from './types.js';

type Notice = Extract<Reply, { type: 'notice' }>;

/** What Try again reads again: the message as delivered and whether it addressed the bot. */
export interface RetryData {
  text: string;
  addressed: boolean;
}

/** Longest text a Try again button carries (Teams messages, cards included, are limited to about 28 KB). */
export const MAX_RETRY_TEXT = 8000;

const STYLE: Record<Notice['tone'], ContainerStyle> = { info: 'accent', warning: 'warning', error: 'attention' };

export function renderNotice(n: Notice, retry?: RetryData): AdaptiveCard {
  const actions: CardAction[] = [];
  const items: CardElement[] = [
    { type: 'TextBlock', text: md(n.title, 150), weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: md(n.text, 1500), wrap: true, spacing: 'Small' },
  ];
  if (n.retryable) {
    if (retry && retry.text.length <= MAX_RETRY_TEXT) {
      actions.push({
        type: 'Action.Execute',
        title: 'Try again',
        verb: VERBS.retry,
        data: { text: retry.text, addressed: retry.addressed },
      });
    } else if (retry) {
      items.push({
        type: 'TextBlock',
        text: 'This may work if you paste it again in a minute.',
        wrap: true,
        size: 'Small',
        isSubtle: true,
      });
    } else {
      actions.push({ type: 'Action.Execute', title: 'Try again', verb: VERBS.retry, data: {} });
    }
  }
  return card([{ type: 'Container', style: STYLE[n.tone], items }], { actions, fallbackText: md(n.title, 150) });
}
