/**
 * `diagnoses` Reply: one card, one section per pasted error. Compact by default: the first screen of a section is
 * the cause (or a check's verdict) in a title and one sentence, and the actions (Request access, Show rules, Learn
 * more, Details). The evidence, the paste excerpt and every fix sit in a hidden part that Details shows; the
 * registry's IP rules as the diagnosis read them sit in another that Show rules shows; each ends with its way back.
 * The words are the neutral view's (core/diagnose/view.ts); this only lays them out.
 */
import { diagnosisView, type DiagnosisView } from '../../../core/diagnose/view.js';
import { DIAGNOSIS_WORDS, moreErrors } from '../../../core/diagnose/words.js';
import type { Diagnosis } from '../../../core/diagnosis.js';
import { diagnosisActions, hideRow, type HiddenParts } from './actions.js';
import { md, verbatim } from './escape.js';
import { evidenceFacts } from './evidence.js';
import { rulesItems } from './firewall.js';
import { fixesSection } from './fixes.js';
import { hygieneActions, hygieneItems } from './hygiene.js';
import { CAUSE_STYLE } from './labels.js';
import { card, type AdaptiveCard, type CardElement, type Container } from './types.js';

/** More than this many errors in one paste: the rest are summarised (a card has a size limit of about 28 KB). */
export const MAX_SECTIONS = 4;

/** Element ids of section `index`'s hidden parts (unique in the card: Action.ToggleVisibility names them). */
export function hiddenIds(index: number): { details: string; rules: string } {
  return { details: `d${index}-details`, rules: `d${index}-rules` };
}

/** The evidence, the excerpt, every fix and the rule hygiene. */
function detailItems(v: DiagnosisView): CardElement[] {
  const items: CardElement[] = [evidenceFacts(v)];
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
  return items;
}

function hidden(id: string, items: CardElement[]): Container {
  return { type: 'Container', id, isVisible: false, items, spacing: 'Small' };
}

function section(d: Diagnosis, v: DiagnosisView, index: number, expanded: boolean): Container {
  const ids = hiddenIds(index);
  const parts: HiddenParts = { details: expanded ? null : ids.details, rules: d.registry ? ids.rules : null };
  const items: CardElement[] = [
    { type: 'TextBlock', text: md(v.title, 200), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: md(v.summary, 600), wrap: true, spacing: 'Small' },
  ];
  const actions = [...(v.hygiene ? hygieneActions(v.hygiene) : []), ...diagnosisActions(v, parts)];
  const row: CardElement[] = actions.length > 0 ? [{ type: 'ActionSet', actions, spacing: 'Medium' }] : [];
  if (expanded) items.push(...detailItems(v), ...row);
  else items.push(...row, hidden(ids.details, [...detailItems(v), hideRow(DIAGNOSIS_WORDS.hideDetails, ids.details)]));
  if (d.registry)
    items.push(hidden(ids.rules, [...rulesItems(d.registry), hideRow(DIAGNOSIS_WORDS.hideRules, ids.rules)]));
  return {
    type: 'Container',
    items,
    style: CAUSE_STYLE[d.cause],
    ...(index > 0 ? { separator: true, spacing: 'Large' as const } : {}),
  };
}

export function renderDiagnoses(diagnoses: Diagnosis[], expanded = false): AdaptiveCard {
  if (diagnoses.length === 0) {
    return card([{ type: 'TextBlock', text: DIAGNOSIS_WORDS.noneRecognised, wrap: true }], {
      fallbackText: DIAGNOSIS_WORDS.noneRecognised,
    });
  }
  const shown = diagnoses.slice(0, MAX_SECTIONS);
  const views = shown.map(diagnosisView);
  const body: CardElement[] = shown.map((d, i) => section(d, views[i]!, i, expanded));
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
