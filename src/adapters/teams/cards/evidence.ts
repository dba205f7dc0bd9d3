/** Evidence as a FactSet: the view's facts (core/diagnose/view.ts), every value neutralised (paste or Azure). */
import type { DiagnosisView } from '../../../core/diagnose/view.js';
import { md } from './escape.js';
import type { FactSet } from './types.js';

export function evidenceFacts(v: DiagnosisView): FactSet {
  return { type: 'FactSet', facts: v.facts.map((f) => ({ title: f.label, value: md(f.text) })), spacing: 'Medium' };
}
