/**
 * `diagnoses` Reply: one card, one section per pasted error: the cause in one sentence, the evidence, the fixes and
 * the actions for that error (Request access, Show rules, Learn more).
 */
import { verdictTitle, type Diagnosis } from '../../../core/diagnosis.js';
import { diagnosisActions } from './actions.js';
import { hygieneActions, hygieneItems } from './hygiene.js';
import { md, verbatim } from './escape.js';
import { evidenceFacts } from './evidence.js';
import { fixesSection } from './fixes.js';
import { CAUSE_WORDING } from './labels.js';
import { card, type AdaptiveCard, type CardElement, type Container } from './types.js';

/** More than this many errors in one paste: the rest are summarised (a card has a size limit of about 28 KB). */
export const MAX_SECTIONS = 4;

function section(d: Diagnosis, index: number): Container {
  const wording = CAUSE_WORDING[d.cause];
  const items: CardElement[] = [
    { type: 'TextBlock', text: verdictTitle(d) ?? wording.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: md(d.summary, 600), wrap: true, spacing: 'Small' },
    evidenceFacts(d),
  ];
  for (const note of (d.evidence.notes ?? []).slice(0, 3)) {
    items.push({ type: 'TextBlock', text: md(note, 300), wrap: true, isSubtle: true, size: 'Small', spacing: 'Small' });
  }
  if (d.finding.excerpt && d.origin === 'paste') {
    items.push({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        {
          type: 'TextRun',
          text: verbatim(d.finding.excerpt, 400),
          fontType: 'Monospace',
          size: 'Small',
          isSubtle: true,
        },
      ],
    });
  }
  items.push(...fixesSection(d.fixes));
  if (d.hygiene) items.push(...hygieneItems(d.hygiene));
  const actions = [...(d.hygiene ? hygieneActions(d.hygiene) : []), ...diagnosisActions(d)];
  if (actions.length > 0) items.push({ type: 'ActionSet', actions, spacing: 'Medium' });
  return {
    type: 'Container',
    items,
    style: wording.style,
    ...(index > 0 ? { separator: true, spacing: 'Large' as const } : {}),
  };
}

export function renderDiagnoses(diagnoses: Diagnosis[]): AdaptiveCard {
  if (diagnoses.length === 0) {
    return card([{ type: 'TextBlock', text: 'No registry error was recognised in this message.', wrap: true }], {
      fallbackText: 'No registry error recognised',
    });
  }
  const shown = diagnoses.slice(0, MAX_SECTIONS);
  const body: CardElement[] = shown.map(section);
  if (diagnoses.length > shown.length) {
    body.push({
      type: 'TextBlock',
      text: `${diagnoses.length - shown.length} more errors in this message are not shown; paste them separately to see them.`,
      wrap: true,
      isSubtle: true,
      separator: true,
    });
  }
  const first = shown[0]!;
  return card(body, {
    fallbackText: md(`${verdictTitle(first) ?? CAUSE_WORDING[first.cause].title}: ${first.summary}`, 200),
  });
}
