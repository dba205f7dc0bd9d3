/** `notice` Reply: a title and a sentence, coloured by tone, with Try again when the cause is transient. */
import type { Reply } from '../../../core/reply.js';
import { VERBS } from './actions.js';
import { md } from './escape.js';
import { card, type AdaptiveCard, type CardAction, type ContainerStyle } from './types.js';

type Notice = Extract<Reply, { type: 'notice' }>;

const STYLE: Record<Notice['tone'], ContainerStyle> = { info: 'accent', warning: 'warning', error: 'attention' };

export function renderNotice(n: Notice): AdaptiveCard {
  const actions: CardAction[] = n.retryable ? [{ type: 'Action.Execute', title: 'Try again', verb: VERBS.retry, data: {} }] : [];
  return card(
    [
      {
        type: 'Container',
        style: STYLE[n.tone],
        items: [
          { type: 'TextBlock', text: md(n.title, 150), weight: 'Bolder', wrap: true },
          { type: 'TextBlock', text: md(n.text, 1500), wrap: true, spacing: 'Small' },
        ],
      },
    ],
    { actions, fallbackText: md(n.title, 150) },
  );
}
