/** Fixes, smallest first (the order the diagnosis gives): title, one line of detail, the rule or command verbatim. */
import type { Fix } from '../../../core/diagnosis.js';
import { md, verbatim } from './escape.js';
import type { CardElement, Container } from './types.js';

const MAX_FIXES = 4;

function fixItem(f: Fix, index: number): Container {
  const items: CardElement[] = [
    { type: 'TextBlock', text: `${index + 1}\u200B. ${md(f.title, 150)}`, weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: md(f.detail, 600), wrap: true, isSubtle: true, spacing: 'None' },
  ];
  const code = f.rule ?? f.command;
  if (code) {
    items.push({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        { type: 'TextRun', text: verbatim(f.command ?? f.rule ?? '', 600), fontType: 'Monospace', size: 'Small' },
      ],
    });
  }
  return { type: 'Container', items, spacing: 'Small' };
}

export function fixesSection(fixes: Fix[]): CardElement[] {
  if (fixes.length === 0) return [];
  const shown = fixes.slice(0, MAX_FIXES);
  const out: CardElement[] = [
    {
      type: 'TextBlock',
      text: fixes.length === 1 ? 'Fix' : 'Fixes, smallest first',
      weight: 'Bolder',
      spacing: 'Medium',
      separator: true,
    },
    ...shown.map(fixItem),
  ];
  if (fixes.length > shown.length) {
    out.push({
      type: 'TextBlock',
      text: `${fixes.length - shown.length} more in the docs (Learn more).`,
      isSubtle: true,
      size: 'Small',
      wrap: true,
    });
  }
  return out;
}
