/**
 * `diagnoses` Reply: one card, one section per pasted error: the cause in one sentence, the evidence, the fixes and
 * the actions for that error (Request access, Show rules, Learn more). The words are the neutral view's
 * (core/diagnose/view.ts); this only lays them out.
 */
import { diagnosisView, type DiagnosisView } from '../../../core/diagnose/view.js';
import { DIAGNOSIS_WORDS, moreErrors } from '../../../core/diagnose/words.js';
import type { Diagnosis } from '../../../core/diagnosis.js';
import { diagnosisActions } from './actions.js';
import { hygieneActions, hygieneItems } from './hygiene.js';
import { md, verbatim } from './escape.js';
import { evidenceFacts } from './evidence.js';
import { fixesSection } from './fixes.js';
import { CAUSE_STYLE } from './labels.js';
import { card, type AdaptiveCard, type CardElement, type Container } from './types.js';

/** More than this many errors in one paste: the rest are summarised (a card has a size limit of about 28 KB). */
export const MAX_SECTIONS = 4;

function section(d: Diagnosis, v: DiagnosisView, index: number): Container {
  const items: CardElement[] = [
    { type: 'TextBlock', text: md(v.title, 200), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: md(v.summary, 600), wrap: true, spacing: 'Small' },
    evidenceFacts(v),
  ];
  for (const note of v.notes.slice(0, 3)) {
    items.push({ type: 'TextBlock', text: md(note, 300), wrap: true, isSubtle: true, size: 'Small', spacing: 'Small' });
  }
  if (v.excerpt !== null) {
    items.push({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        { type: 'TextRun', text: verbatim(v.excerpt, 400), fontType: 'Monospace', size: 'Small', isSubtle: true },
      ],
    });
  }
  items.push(...fixesSection(v));
  if (v.hygiene) items.push(...hygieneItems(v.hygiene));
  const actions = [...(v.hygiene ? hygieneActions(v.hygiene) : []), ...diagnosisActions(v)];
  if (actions.length > 0) items.push({ type: 'ActionSet', actions, spacing: 'Medium' });
  return {
    type: 'Container',
    items,
    style: CAUSE_STYLE[d.cause],
    ...(index > 0 ? { separator: true, spacing: 'Large' as const } : {}),
  };
}

export function renderDiagnoses(diagnoses: Diagnosis[]): AdaptiveCard {
  if (diagnoses.length === 0) {
    return card([{ type: 'TextBlock', text: DIAGNOSIS_WORDS.noneRecognised, wrap: true }], {
      fallbackText: DIAGNOSIS_WORDS.noneRecognised,
    });
  }
  const shown = diagnoses.slice(0, MAX_SECTIONS);
  const views = shown.map(diagnosisView);
  const body: CardElement[] = shown.map((d, i) => section(d, views[i]!, i));
  if (diagnoses.length > shown.length) {
    body.push({
      type: 'TextBlock',
      text: md(moreErrors(diagnoses.length - shown.length)),
      wrap: true,
      isSubtle: true,
      separator: true,
    });
  }
  const first = views[0]!;
  return card(body, { fallbackText: md(`${first.title}: ${first.summary}`, 200) });
}
