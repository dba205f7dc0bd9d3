/** Fixes, smallest first (the order the diagnosis gives): title, one line of detail, the rule or command verbatim. */
import type { DiagnosisView, FixView } from '../../../core/diagnose/view.js';
import { DIAGNOSIS_WORDS, moreFixes } from '../../../core/diagnose/words.js';
import { md, verbatim } from './escape.js';
import type { CardElement, Container } from './types.js';

function fixItem(f: FixView, index: number): Container {
  const items: CardElement[] = [
    { type: 'TextBlock', text: `${index + 1}\u200B. ${md(f.title, 150)}`, weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: md(f.detail, 600), wrap: true, isSubtle: true, spacing: 'None' },
  ];
  if (f.code) {
    items.push({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [{ type: 'TextRun', text: verbatim(f.code, 600), fontType: 'Monospace', size: 'Small' }],
    });
  }
  return { type: 'Container', items, spacing: 'Small' };
}

export function fixesSection(v: DiagnosisView): CardElement[] {
  if (v.fixes.length === 0) return [];
  const out: CardElement[] = [
    {
      type: 'TextBlock',
      text: v.fixes.length === 1 && v.moreFixes === 0 ? DIAGNOSIS_WORDS.fix : DIAGNOSIS_WORDS.fixes,
      weight: 'Bolder',
      spacing: 'Medium',
      separator: true,
    },
    ...v.fixes.map(fixItem),
  ];
  if (v.moreFixes > 0) {
    out.push({ type: 'TextBlock', text: moreFixes(v.moreFixes), isSubtle: true, size: 'Small', wrap: true });
  }
  return out;
}
