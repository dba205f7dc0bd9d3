/**
 * `request_form` / `decision_form` as a message. In Slack a form is a modal (modal.ts); this rendering is only used
 * where a modal cannot be opened (the click's trigger expired, or a form is posted into a conversation), so it says
 * what the form was about and how to get it again, in the form layout's words and core's (FORM_NOT_OPENED).
 */
import type { DecisionFormView, RequestFormView } from '../../../core/approval-views.js';
import { FORM_NOT_OPENED } from '../../../core/approvals/form-words.js';
import { context, fieldSections, section, type Block, type SlackMessage } from './blocks.js';
import { clip, prose } from './escape.js';
import { flagsText } from './flags.js';

export function renderRequestFormMessage(form: RequestFormView): SlackMessage {
  const l = form.layout;
  const blocks: Block[] = [
    section(`*${clip(prose(l.heading), 1000)}*`, 'form'),
    ...fieldSections(
      l.facts.map((f) => [prose(f.label), clip(prose(f.text), 500)]),
      'form_facts',
    ),
  ];
  if (l.warnings) blocks.push(context(flagsText(l.warnings.items, 1000), 'form_flags'));
  blocks.push(context(prose(FORM_NOT_OPENED.request), 'form_again'));
  return { text: clip(prose(`${l.heading}: ${form.rule}`), 3000), blocks };
}

export function renderDecisionFormMessage(form: DecisionFormView): SlackMessage {
  return {
    text: clip(prose(form.layout.heading), 3000),
    blocks: [
      section(`*${clip(prose(form.layout.heading), 1000)}*`, 'form'),
      context(prose(FORM_NOT_OPENED.decision), 'form_again'),
    ],
  };
}
