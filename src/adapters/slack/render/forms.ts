/**
 * `request_form` / `decision_form` as a message. In Slack a form is a modal (modal.ts); this rendering is only used
 * where a modal cannot be opened (the click's trigger expired, or a form is posted into a conversation), so it says
 * what the form was about and how to get it again.
 */
import type { DecisionFormView, RequestFormView } from '../../../core/approval-views.js';
import { context, fieldSections, section, type Block, type SlackMessage } from './blocks.js';
import { clip, code, prose } from './escape.js';
import { flagsText } from './flags.js';

export function renderRequestFormMessage(form: RequestFormView): SlackMessage {
  const fields: Array<[string, string]> = [
    ['Registry', code(form.registry.name)],
    ['Rule', code(form.rule)],
    [
      'Default duration',
      prose(form.durations.find((d) => d.value === form.defaultDuration)?.label ?? form.defaultDuration),
    ],
    ['Approvers', clip(prose(form.approversSummary), 500)],
  ];
  const blocks: Block[] = [
    section(`*Request access to ${prose(form.registry.name)}*`, 'form'),
    ...fieldSections(fields, 'form_facts'),
  ];
  if (form.flags.length > 0) blocks.push(context(flagsText(form.flags, 1000), 'form_flags'));
  blocks.push(context('The request form could not be opened. Click *Request access* again to open it.', 'form_again'));
  return { text: clip(prose(`Request access to ${form.registry.name}: ${form.rule}`), 3000), blocks };
}

export function renderDecisionFormMessage(form: DecisionFormView): SlackMessage {
  return {
    text: clip(prose(form.title), 3000),
    blocks: [
      section(`*${clip(prose(form.title), 1000)}*`, 'form'),
      context('The form could not be opened. Click the button on the request card again to open it.', 'form_again'),
    ],
  };
}
