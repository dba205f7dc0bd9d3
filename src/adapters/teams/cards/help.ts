/** `help` Reply: what the bot does and the commands it understands, in core's words (core/help-words.ts). */
import { FIREWALL_DOCS, HELP_WORDS as W } from '../../../core/help-words.js';
import { learnMore } from './actions.js';
import { md } from './escape.js';
import { card, type AdaptiveCard, type CardAction } from './types.js';

export function renderHelp(): AdaptiveCard {
  const actions: CardAction[] = [];
  const more = learnMore(FIREWALL_DOCS);
  if (more) actions.push(more);
  return card(
    [
      { type: 'TextBlock', text: W.title, weight: 'Bolder', size: 'Medium' },
      { type: 'TextBlock', text: W.intro, wrap: true },
      { type: 'TextBlock', text: W.commandsHeading, weight: 'Bolder', spacing: 'Medium' },
      { type: 'FactSet', facts: W.commands.map((c) => ({ title: md(c.usage), value: md(c.what) })) },
      { type: 'TextBlock', text: W.note, wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium' },
    ],
    { actions, fallbackText: md(W.fallback) },
  );
}
