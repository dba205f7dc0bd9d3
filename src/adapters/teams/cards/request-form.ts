/**
 * `request_form` Reply: what the requester decides before a request exists: the reason, the duration, and
 * break-glass when policy offers it. Submit is an Action.Execute (`submit_request`) whose `data` is the form's
 * `submitData`; Teams merges the input values into it under the input ids (FORM_INPUTS), as strings.
 */
import { APPROVAL_VERBS, FORM_INPUTS, type RequestFormView } from '../../../core/approval-views.js';
import { md } from './escape.js';
import { durationChoices, flagsContainer, formatLength, registryName } from './request-parts.js';
import { card, type AdaptiveCard, type CardElement, type Fact } from './types.js';

/** The longest reason a form accepts (the use case checks it again). */
export const REASON_MAX = 500;

export function renderRequestForm(form: RequestFormView): AdaptiveCard {
  const facts: Fact[] = [
    { title: 'Registry', value: registryName(form.registry) },
    { title: 'Rule', value: md(form.rule, 60) },
    { title: 'Client IP', value: md(form.ip, 60) },
    { title: 'Approvers', value: md(form.approversSummary, 300) },
  ];
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: `Request access to ${md(form.registry.name, 60)}`,
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    },
    {
      type: 'TextBlock',
      text: 'Nothing changes until the approvers agree. The bot then adds this rule without touching the others, and removes it when the time is up.',
      wrap: true,
      spacing: 'Small',
    },
    { type: 'FactSet', facts, spacing: 'Medium' },
  ];
  if (form.flags.length > 0) body.push(flagsContainer('Before you ask', form.flags));
  body.push({
    type: 'Input.Text',
    id: FORM_INPUTS.reason,
    label: 'Reason',
    placeholder: 'What needs access and why: pipeline, ticket, incident…',
    isMultiline: true,
    maxLength: REASON_MAX,
    spacing: 'Medium',
    ...(form.reasonRequired ? { isRequired: true, errorMessage: 'Say why this address needs access.' } : {}),
  });
  const choices = durationChoices(form.durations);
  if (choices.length > 0) {
    body.push({
      type: 'Input.ChoiceSet',
      id: FORM_INPUTS.duration,
      label: 'Duration',
      choices,
      ...(choices.some((c) => c.value === form.defaultDuration) ? { value: form.defaultDuration } : {}),
      isRequired: true,
      errorMessage: 'Pick how long the rule should stay.',
    });
  }
  if (form.schedule) {
    body.push({
      type: 'Input.Date',
      id: FORM_INPUTS.startDate,
      label: 'Start date (UTC, optional)',
      min: form.schedule.earliest.slice(0, 10),
      max: form.schedule.latest.slice(0, 10),
      spacing: 'Medium',
    });
    body.push({ type: 'Input.Time', id: FORM_INPUTS.startTime, label: 'Start time (UTC, optional)' });
    body.push({
      type: 'TextBlock',
      text: md(form.schedule.hint, 300),
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'Small',
    });
  }
  if (form.breakGlass.available) {
    const limit =
      form.breakGlass.maxDurationMs === null ? '' : ` for at most ${formatLength(form.breakGlass.maxDurationMs)}`;
    body.push({
      type: 'Input.Toggle',
      id: FORM_INPUTS.breakGlass,
      title: 'Break glass: apply it now, approving it myself',
      value: 'false',
      wrap: true,
      spacing: 'Medium',
    });
    body.push({
      type: 'TextBlock',
      text: `Emergencies only: a reason is required, the rule is this single address${limit}, every approver is notified, and the grant is marked for review.`,
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'Small',
    });
  }
  return card(body, {
    actions: [
      {
        type: 'Action.Execute',
        title: 'Submit request',
        verb: APPROVAL_VERBS.submitRequest,
        data: { ...form.submitData },
        style: 'positive',
      },
    ],
    fallbackText: md(`Request access to ${form.registry.name}: ${form.rule}`, 150),
  });
}
