/**
 * `request_form` and `decision_form` Replies: the form's one neutral layout (app/approvals/form-view.ts) as an
 * Adaptive Card. Submit is an Action.Execute with the layout's verb and the form's `submitData`; Teams merges the
 * input values into it under the input ids (FORM_INPUTS), as strings. Every word comes from the layout.
 */
import {
  FORM_INPUTS,
  type DecisionFormView,
  type FormField,
  type RequestFormView,
} from '../../../core/approval-views.js';
import { md } from './escape.js';
import { durationChoices, flagsContainer } from './request-parts.js';
import { card, type AdaptiveCard, type CardElement, type Fact } from './types.js';

function hint(text: string): CardElement {
  return { type: 'TextBlock', text: md(text, 300), wrap: true, size: 'Small', isSubtle: true, spacing: 'Small' };
}

function inputs(f: FormField, schedule: RequestFormView['schedule']): CardElement[] {
  const required = f.required && f.missing ? { isRequired: true, errorMessage: f.missing } : {};
  const out: CardElement[] = [];
  switch (f.input) {
    case 'reason':
      out.push({
        type: 'Input.Text',
        id: FORM_INPUTS.reason,
        label: f.label,
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        isMultiline: true,
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        spacing: 'Medium',
        ...required,
      });
      break;
    case 'ticket':
      out.push({
        type: 'Input.Text',
        id: FORM_INPUTS.ticket,
        label: f.label,
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        spacing: 'Medium',
        ...required,
      });
      break;
    case 'duration': {
      const choices = durationChoices(f.choices);
      out.push({
        type: 'Input.ChoiceSet',
        id: FORM_INPUTS.duration,
        label: f.label,
        choices,
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        ...(f.initial !== null && choices.some((c) => c.value === f.initial) ? { value: f.initial } : {}),
        spacing: 'Medium',
        ...required,
      });
      break;
    }
    case 'start':
      // Teams has no date-and-time picker: the day and a time of day, both UTC (core/approvals/start-input.ts).
      out.push({
        type: 'Input.Date',
        id: FORM_INPUTS.startDate,
        label: f.label,
        ...(schedule ? { min: schedule.earliest.slice(0, 10), max: schedule.latest.slice(0, 10) } : {}),
        spacing: 'Medium',
      });
      if (f.option) out.push({ type: 'Input.Time', id: FORM_INPUTS.startTime, label: f.option.label });
      break;
    case 'breakGlass':
      out.push({
        type: 'Input.Toggle',
        id: FORM_INPUTS.breakGlass,
        label: f.label,
        title: f.option?.label ?? f.label,
        value: 'false',
        wrap: true,
        spacing: 'Medium',
      });
      if (f.option?.description) out.push(hint(f.option.description));
      break;
  }
  if (f.hint) out.push(hint(f.hint));
  return out;
}

export function renderForm(form: RequestFormView | DecisionFormView): AdaptiveCard {
  const l = form.layout;
  const body: CardElement[] = [
    { type: 'TextBlock', text: md(l.heading, 200), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: md(l.intro, 500), wrap: true, spacing: 'Small' },
  ];
  if (l.facts.length > 0) {
    const facts: Fact[] = l.facts.map((f) => ({ title: f.label, value: md(f.text, 300) }));
    body.push({ type: 'FactSet', facts, spacing: 'Medium' });
  }
  if (l.warnings) body.push(flagsContainer(l.warnings.heading, l.warnings.items));
  const schedule = 'schedule' in form ? form.schedule : null;
  for (const f of l.fields) body.push(...inputs(f, schedule));
  const data = 'decision' in form ? { requestId: form.requestId, version: form.version } : {};
  return card(body, {
    actions: [
      {
        type: 'Action.Execute',
        title: l.submit.label,
        verb: l.submit.verb,
        data: { ...data, ...form.submitData },
        ...(l.submit.weight ? { style: l.submit.weight } : {}),
      },
    ],
    fallbackText: md('decision' in form ? l.heading : `${l.heading}: ${form.rule}`, 150),
  });
}
