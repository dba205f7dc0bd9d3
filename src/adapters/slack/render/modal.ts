/**
 * Forms as Slack modals (`views.open` / `views.update`): the Request access form and the deny / narrow / extend /
 * revoke forms. Inputs use FORM_INPUTS as both block_id and action_id, so a submission's
 * `view.state.values[name][name]` is the input `name`. The modal's `callback_id` is the submit verb and its
 * `private_metadata` carries what the submit needs back (modals.ts encodes it). Limits from Slack's view and block
 * reference (@slack/types): title, submit and close ≤ 24 chars, ≤ 100 blocks, private_metadata ≤ 3000 chars,
 * input label ≤ 2000, plain_text_input max_length ≤ 3000, ≤ 100 select options, ≤ 10 checkboxes, option text ≤ 75,
 * option value ≤ 150.
 */
import {
  APPROVAL_VERBS,
  FORM_INPUTS,
  type DecisionFormView,
  type DurationChoice,
  type RequestFormView,
} from '../../../core/approval-views.js';
import { formatDuration } from '../../../core/policy/duration.js';
import { blockKitProblems, context, section, type Block, type SlackMessage } from './blocks.js';
import { clip, code, plainText, prose } from './escape.js';
import { flagsText } from './flags.js';
import type { InputBlock, ModalBlock, ModalView, Option, PlainText } from './modal-types.js';

export const MODAL_LIMITS = {
  title: 24,
  button: 24,
  blocks: 100,
  privateMetadata: 3000,
  callbackId: 255,
  label: 2000,
  inputMax: 3000,
  options: 100,
  checkboxes: 10,
  optionText: 75,
  optionValue: 150,
} as const;

/** Longest reason we accept; Slack enforces it in the client, modals.ts again on submit. */
export const REASON_MAX = 1000;

export type { ModalView } from './modal-types.js';
function plain(text: string, max: number): PlainText {
  const t = plainText(text);
  return { type: 'plain_text', text: t.length > max ? `${t.slice(0, max - 1)}…` : t || ' ' };
}

function option(label: string, value: string): Option {
  return { text: plain(label, MODAL_LIMITS.optionText), value: value.slice(0, MODAL_LIMITS.optionValue) };
}

function durationSelect(
  label: string,
  choices: DurationChoice[],
  initial: string | null,
  hint?: string,
): InputBlock | null {
  const options = choices.slice(0, MODAL_LIMITS.options).map((c) => option(c.label, c.value));
  if (options.length === 0) return null;
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: FORM_INPUTS.duration,
    label: plain(label, MODAL_LIMITS.label),
    element: {
      type: 'static_select',
      action_id: FORM_INPUTS.duration,
      options,
      ...(chosen ? { initial_option: chosen } : {}),
      placeholder: plain('Choose a duration', 150),
    },
    ...(hint ? { hint: plain(hint, MODAL_LIMITS.label) } : {}),
  };
}

function reasonInput(label: string, required: boolean, placeholder: string): InputBlock {
  return {
    type: 'input',
    block_id: FORM_INPUTS.reason,
    label: plain(label, MODAL_LIMITS.label),
    element: {
      type: 'plain_text_input',
      action_id: FORM_INPUTS.reason,
      multiline: true,
      max_length: REASON_MAX,
      placeholder: plain(placeholder, 150),
    },
    optional: !required,
  };
}

function flagsBlock(flags: string[], id: string): Block[] {
  return flags.length > 0 ? [context(flagsText(flags, 1500), id)] : [];
}

export function requestFormModal(form: RequestFormView, privateMetadata: string): ModalView {
  const blocks: ModalBlock[] = [
    section(
      `*${code(form.rule)}* on *${prose(form.registry.name)}*${form.registry.loginServer ? ` (${code(form.registry.loginServer)})` : ''}\n` +
        `Client IP ${code(form.ip)} · nothing changes until the approvers agree.`,
      'form_summary',
    ),
    context(clip(`Approvers: ${prose(form.approversSummary)}`, 1000), 'form_approvers'),
    ...flagsBlock(form.flags, 'form_flags'),
    reasonInput('Reason', form.reasonRequired, 'Why do you need this access? (ticket, incident, pipeline)'),
  ];
  const duration = durationSelect(
    'Duration',
    form.durations,
    form.defaultDuration,
    'The rule is removed when this ends.',
  );
  if (duration) blocks.push(duration);
  if (form.schedule)
    blocks.push({
      type: 'input',
      block_id: FORM_INPUTS.startsAt,
      label: plain('Start (optional)', MODAL_LIMITS.label),
      optional: true,
      element: { type: 'datetimepicker', action_id: FORM_INPUTS.startsAt },
      hint: plain(form.schedule.hint, MODAL_LIMITS.label),
    });
  if (form.breakGlass.available) {
    const max =
      form.breakGlass.maxDurationMs !== null ? ` for at most ${formatDuration(form.breakGlass.maxDurationMs)}` : '';
    blocks.push({
      type: 'input',
      block_id: FORM_INPUTS.breakGlass,
      label: plain('Emergency', MODAL_LIMITS.label),
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: FORM_INPUTS.breakGlass,
        options: [
          {
            ...option('Break glass: apply it now, approving it myself', 'yes'),
            description: plain(
              `Only a single address${max}; every approver is notified and it is marked for review.`,
              150,
            ),
          },
        ],
      },
    });
  }
  return {
    type: 'modal',
    callback_id: APPROVAL_VERBS.submitRequest,
    title: plain('Request access', MODAL_LIMITS.title),
    submit: plain('Send request', MODAL_LIMITS.button),
    close: plain('Cancel', MODAL_LIMITS.button),
    private_metadata: privateMetadata,
    blocks,
  };
}

const DECISIONS = {
  deny: {
    verb: APPROVAL_VERBS.submitDeny,
    title: 'Deny request',
    submit: 'Deny',
    reason: 'Why deny it?',
    durationLabel: null,
  },
  narrow: {
    verb: APPROVAL_VERBS.submitNarrow,
    title: 'Narrow request',
    submit: 'Approve shorter',
    reason: 'Note (optional)',
    durationLabel: 'Shorter duration',
  },
  extend: {
    verb: APPROVAL_VERBS.submitExtend,
    title: 'Extend access',
    submit: 'Request extension',
    reason: 'Why longer?',
    durationLabel: 'How much longer',
  },
  revoke: {
    verb: APPROVAL_VERBS.submitRevoke,
    title: 'Revoke access',
    submit: 'Revoke now',
    reason: 'Why revoke it?',
    durationLabel: null,
  },
} as const satisfies Record<
  DecisionFormView['decision'],
  { verb: string; title: string; submit: string; reason: string; durationLabel: string | null }
>;

export function decisionFormModal(form: DecisionFormView, privateMetadata: string): ModalView {
  const d = DECISIONS[form.decision];
  const blocks: ModalBlock[] = [section(`*${clip(prose(form.title), 2000)}*`, 'form_summary')];
  if (d.durationLabel) {
    const duration = durationSelect(d.durationLabel, form.durations, form.defaultDuration);
    if (duration) blocks.push(duration);
  }
  blocks.push(
    reasonInput(
      form.reasonRequired ? d.reason.replace(' (optional)', '') : d.reason,
      form.reasonRequired,
      'Shown on the request card and in the audit log',
    ),
  );
  return {
    type: 'modal',
    callback_id: d.verb,
    title: plain(d.title, MODAL_LIMITS.title),
    submit: plain(d.submit, MODAL_LIMITS.button),
    close: plain('Cancel', MODAL_LIMITS.button),
    private_metadata: privateMetadata,
    blocks,
  };
}

/** Shown at once while the use case prepares the form (a trigger_id expires in 3 s; the form may need Azure). */
export function loadingModal(title: string): ModalView {
  return {
    type: 'modal',
    callback_id: 'acr_loading',
    title: plain(title, MODAL_LIMITS.title),
    close: plain('Close', MODAL_LIMITS.button),
    private_metadata: '',
    blocks: [section(':hourglass_flowing_sand: One moment: checking the request and the policy…', 'loading')],
  };
}

/** An answer shown in the modal the person is looking at (a refusal, a confirmation); buttons are left out. */
export function outcomeModal(message: SlackMessage, title = 'ACR access'): ModalView {
  const blocks = message.blocks.filter((b) => b.type !== 'actions').slice(0, MODAL_LIMITS.blocks);
  return {
    type: 'modal',
    callback_id: 'acr_outcome',
    title: plain(title, MODAL_LIMITS.title),
    close: plain('Close', MODAL_LIMITS.button),
    private_metadata: '',
    blocks: blocks.length > 0 ? blocks : [section(message.text)],
  };
}

/** Every limit this modal breaks (empty when Slack will accept it). */
export function modalProblems(view: ModalView): string[] {
  const p: string[] = [];
  if (view.title.text.length > MODAL_LIMITS.title) p.push('title too long');
  if (view.submit && view.submit.text.length > MODAL_LIMITS.button) p.push('submit too long');
  if (view.close.text.length > MODAL_LIMITS.button) p.push('close too long');
  if (view.blocks.length === 0 || view.blocks.length > MODAL_LIMITS.blocks) p.push(`${view.blocks.length} blocks`);
  if (view.private_metadata.length > MODAL_LIMITS.privateMetadata)
    p.push(`private_metadata ${view.private_metadata.length} > ${MODAL_LIMITS.privateMetadata}`);
  if (view.callback_id.length === 0 || view.callback_id.length > MODAL_LIMITS.callbackId) p.push('callback_id length');
  const hasInput = view.blocks.some((b) => b.type === 'input');
  if (hasInput && !view.submit) p.push('inputs without a submit button');
  const messageBlocks: Block[] = [];
  for (const b of view.blocks) {
    if (b.type !== 'input') {
      messageBlocks.push(b);
      continue;
    }
    if (b.label.text.length > MODAL_LIMITS.label) p.push(`${b.block_id}: label too long`);
    const e = b.element;
    if (e.action_id !== b.block_id) p.push(`${b.block_id}: action_id differs from block_id`);
    if (e.type === 'plain_text_input' && (e.max_length ?? 0) > MODAL_LIMITS.inputMax)
      p.push(`${b.block_id}: max_length`);
    if (e.type === 'static_select' || e.type === 'checkboxes') {
      const max = e.type === 'checkboxes' ? MODAL_LIMITS.checkboxes : MODAL_LIMITS.options;
      if (e.options.length === 0 || e.options.length > max) p.push(`${b.block_id}: ${e.options.length} options`);
      for (const o of e.options) {
        if (o.text.text.length > MODAL_LIMITS.optionText) p.push(`${b.block_id}: option text too long`);
        if (o.value.length === 0 || o.value.length > MODAL_LIMITS.optionValue)
          p.push(`${b.block_id}: option value length`);
      }
      if (e.type === 'static_select' && e.initial_option && !e.options.some((o) => o.value === e.initial_option!.value))
        p.push(`${b.block_id}: initial option not offered`);
    }
  }
  // Message blocks inside the modal follow the message rules (text lengths, block ids), not the 50-block count.
  p.push(
    ...blockKitProblems({ text: 'modal', blocks: messageBlocks }).filter(
      (x) => !x.includes('blocks >') && !x.includes('blocks JSON'),
    ),
  );
  return p;
}
