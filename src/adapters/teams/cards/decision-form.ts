/**
 * `decision_form` Reply: the one more answer a decision needs: a deny reason, a shorter duration (narrow), how much
 * longer and why (extend), an optional revoke reason. Submit is an Action.Execute with the submit verb of that
 * decision and the form's `submitData` (request id and version); Teams merges the inputs into it.
 */
import { APPROVAL_VERBS, FORM_INPUTS, type DecisionFormView } from '../../../core/approval-views.js';
import { md } from './escape.js';
import { REASON_MAX } from './request-form.js';
import { durationChoices } from './request-parts.js';
import { card, type AdaptiveCard, type CardElement, type ExecuteAction } from './types.js';

type Decision = DecisionFormView['decision'];

const WORDING: Record<
  Decision,
  {
    intro: string;
    reason: string;
    placeholder: string;
    duration: string;
    submit: string;
    verb: string;
    style?: ExecuteAction['style'];
  }
> = {
  deny: {
    intro: 'The requester sees your reason.',
    reason: 'Why deny it',
    placeholder: 'What should they do instead?',
    duration: '',
    submit: 'Deny request',
    verb: APPROVAL_VERBS.submitDeny,
    style: 'destructive',
  },
  narrow: {
    intro: 'A shorter duration only: the rule itself cannot be widened here.',
    reason: 'Note for the requester',
    placeholder: 'Optional',
    duration: 'New duration (shorter than requested)',
    submit: 'Narrow',
    verb: APPROVAL_VERBS.submitNarrow,
  },
  extend: {
    intro: 'An extension is approved like a new request; the rule stays until then.',
    reason: 'Why longer',
    placeholder: 'What still needs access, and until when?',
    duration: 'How much longer',
    submit: 'Request extension',
    verb: APPROVAL_VERBS.submitExtend,
    style: 'positive',
  },
  revoke: {
    intro: 'The rule is removed now, unless another grant or a rule the bot did not add still covers the address.',
    reason: 'Reason',
    placeholder: 'Optional',
    duration: '',
    submit: 'Revoke now',
    verb: APPROVAL_VERBS.submitRevoke,
    style: 'destructive',
  },
};

export function renderDecisionForm(form: DecisionFormView): AdaptiveCard {
  const w = WORDING[form.decision];
  const body: CardElement[] = [
    { type: 'TextBlock', text: md(form.title, 200), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: w.intro, wrap: true, spacing: 'Small', isSubtle: true },
  ];
  const choices = durationChoices(form.durations);
  if ((form.decision === 'narrow' || form.decision === 'extend') && choices.length > 0) {
    body.push({
      type: 'Input.ChoiceSet',
      id: FORM_INPUTS.duration,
      label: w.duration,
      choices,
      ...(form.defaultDuration !== null && choices.some((c) => c.value === form.defaultDuration)
        ? { value: form.defaultDuration }
        : {}),
      isRequired: true,
      errorMessage: 'Pick a duration.',
      spacing: 'Medium',
    });
  }
  if (form.decision !== 'narrow' || form.reasonRequired) {
    body.push({
      type: 'Input.Text',
      id: FORM_INPUTS.reason,
      label: w.reason,
      placeholder: form.reasonRequired ? w.placeholder.replace('Optional', 'Required') : w.placeholder,
      isMultiline: true,
      maxLength: REASON_MAX,
      spacing: 'Medium',
      ...(form.reasonRequired ? { isRequired: true, errorMessage: 'A reason is required.' } : {}),
    });
  }
  return card(body, {
    actions: [
      {
        type: 'Action.Execute',
        title: w.submit,
        verb: w.verb,
        data: { requestId: form.requestId, version: form.version, ...form.submitData },
        ...(w.style ? { style: w.style } : {}),
      },
    ],
    fallbackText: md(form.title, 150),
  });
}
