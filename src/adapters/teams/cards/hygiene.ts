/** Rule-quota hygiene on a firewall card or a quota diagnosis: core's words laid out, and the Free N slots buttons. */
import type { HygieneView } from '../../../core/quota/view.js';
import { md, verbatim } from './escape.js';
import type { CardAction, CardElement } from './types.js';

export function hygieneItems(h: HygieneView): CardElement[] {
  const items: CardElement[] = [
    { type: 'TextBlock', text: md(h.title, 80), weight: 'Bolder', spacing: 'Medium', separator: true },
    { type: 'TextBlock', text: md(h.summary, 800), wrap: true, spacing: 'Small' },
  ];
  for (const s of h.sections) {
    items.push({ type: 'TextBlock', text: md(s.title, 120), weight: 'Bolder', size: 'Small', spacing: 'Small' });
    items.push({
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: verbatim(s.lines.join('\n'), 3000), fontType: 'Monospace', size: 'Small' }],
    });
  }
  if (h.note) items.push({ type: 'TextBlock', text: md(h.note, 400), wrap: true, isSubtle: true, size: 'Small' });
  return items;
}

export function hygieneActions(h: HygieneView): CardAction[] {
  return h.offers.map((o) => ({
    type: 'Action.Execute',
    title: o.label,
    verb: o.verb,
    data: { ...o.data },
    ...(o.primary ? { style: 'positive' as const } : {}),
  }));
}
