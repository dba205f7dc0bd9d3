/**
 * The neutral view of the approval flow's forms (core/approval-views.ts FormLayout), built once here from the form's
 * facts and the words of core/approvals/form-words.ts: heading, intro, facts, warnings, each input (label,
 * placeholder, hint, required and what it says when left empty, choices) and the submit button. Teams and Slack only
 * lay it out, so both ask the same things in the same words.
 */
import type {
  DecisionFormView,
  DurationChoice,
  FormField,
  FormLayout,
  RequestFormView,
} from '../../core/approval-views.js';
import {
  DECISION_DURATION_MISSING,
  DECISION_FORM_WORDS,
  FORM_CLOSE,
  MAX_TICKET,
  REASON_MAX,
  REQUEST_FORM_WORDS as W,
} from '../../core/approvals/form-words.js';
import { formatDuration } from '../../core/policy/duration.js';

export type RequestFormData = Omit<RequestFormView, 'layout'>;
export type DecisionFormData = Omit<DecisionFormView, 'layout'>;

const NO_EXTRAS = { placeholder: null, hint: null, maxLength: null, choices: [], initial: null, option: null };

function reasonField(words: { label: string; placeholder: string; missing: string }, required: boolean): FormField {
  return {
    ...NO_EXTRAS,
    input: 'reason',
    label: words.label,
    placeholder: words.placeholder,
    required,
    missing: required ? words.missing : null,
    maxLength: REASON_MAX,
  };
}

/** Always offered (a ticket on the card helps whoever audits later); required where policy says `requireTicket`. */
function ticketField(required: boolean): FormField {
  return {
    ...NO_EXTRAS,
    input: 'ticket',
    label: W.ticket.label,
    placeholder: W.ticket.placeholder,
    required,
    missing: required ? W.ticket.missing : null,
    maxLength: MAX_TICKET,
  };
}

function durationField(
  label: string,
  choices: DurationChoice[],
  initial: string | null,
  missing: string,
  hint: string | null,
): FormField {
  return {
    ...NO_EXTRAS,
    input: 'duration',
    label,
    placeholder: W.duration.placeholder,
    hint,
    required: true,
    missing,
    choices,
    initial: choices.some((c) => c.value === initial) ? initial : null,
  };
}

function registryText(r: RequestFormView['registry']): string {
  return r.loginServer && r.loginServer.toLowerCase() !== r.name.toLowerCase()
    ? `${r.name} (${r.loginServer})`
    : r.name;
}

export function requestFormLayout(form: RequestFormData): FormLayout {
  const fields: FormField[] = [reasonField(W.reason, form.reasonRequired), ticketField(form.ticketRequired)];
  if (form.durations.length > 0)
    fields.push(
      durationField(W.duration.label, form.durations, form.defaultDuration, W.duration.missing, W.duration.hint),
    );
  if (form.schedule)
    fields.push({
      ...NO_EXTRAS,
      input: 'start',
      label: W.start.label,
      hint: form.schedule.hint,
      required: false,
      missing: null,
      option: { label: W.start.time, description: '' },
    });
  if (form.breakGlass.available) {
    const max = form.breakGlass.maxDurationMs;
    fields.push({
      ...NO_EXTRAS,
      input: 'breakGlass',
      label: W.breakGlass.label,
      required: false,
      missing: null,
      option: {
        label: W.breakGlass.option,
        description: W.breakGlass.description(max === null ? '' : ` for at most ${formatDuration(max)}`),
      },
    });
  }
  return {
    title: W.title,
    heading: W.heading(form.registry.name),
    intro: W.intro,
    facts: [
      { label: W.facts.registry, text: registryText(form.registry) },
      { label: W.facts.rule, text: form.rule },
      { label: W.facts.ip, text: form.ip },
      { label: W.facts.approvers, text: form.approversSummary },
    ],
    warnings: form.flags.length > 0 ? { heading: W.warnings, items: form.flags.slice(0, 10) } : null,
    fields,
    submit: { ...W.submit },
    close: FORM_CLOSE,
  };
}

export function decisionFormLayout(form: DecisionFormData): FormLayout {
  const w = DECISION_FORM_WORDS[form.decision];
  const fields: FormField[] = [];
  if (w.duration !== null && form.durations.length > 0)
    fields.push(durationField(w.duration, form.durations, form.defaultDuration, DECISION_DURATION_MISSING, null));
  if (w.reason !== null) fields.push(reasonField(w.reason, form.reasonRequired));
  return {
    title: w.title,
    heading: form.title,
    intro: w.intro,
    facts: [],
    warnings: null,
    fields,
    submit: { ...w.submit },
    close: FORM_CLOSE,
  };
}

/** The request form with its layout (a layout the data carried already is drawn again). */
export function requestForm(data: RequestFormData): RequestFormView {
  return { ...data, layout: requestFormLayout(data) };
}

export function decisionForm(data: DecisionFormData): DecisionFormView {
  return { ...data, layout: decisionFormLayout(data) };
}
