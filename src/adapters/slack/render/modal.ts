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
  FORM_INPUTS,
  type DecisionFormView,
  type FormField,
  type FormLayout,
  type RequestFormView,
} from '../../../core/approval-views.js';
import { blockKitProblems, context, fieldSections, section, type Block, type SlackMessage } from './blocks.js';
import { clip, plainText, prose } from './escape.js';
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
  optionDescription: 150,
  optionValue: 150,
  placeholder: 150,
} as const;

export type { ModalView } from './modal-types.js';
function plain(text: string, max: number): PlainText {
  const t = plainText(text);
  return { type: 'plain_text', text: t.length > max ? `${t.slice(0, max - 1)}…` : t || ' ' };
}

function option(label: string, value: string): Option {
  return { text: plain(label, MODAL_LIMITS.optionText), value: value.slice(0, MODAL_LIMITS.optionValue) };
}

/** One input of the layout as a Slack input block (null for a picker with nothing to pick). */
function inputBlock(f: FormField): InputBlock | null {
  const base = {
    type: 'input' as const,
    label: plain(f.label, MODAL_LIMITS.label),
    optional: !f.required,
    ...(f.hint ? { hint: plain(f.hint, MODAL_LIMITS.label) } : {}),
  };
  const placeholder = f.placeholder ? { placeholder: plain(f.placeholder, MODAL_LIMITS.placeholder) } : {};
  switch (f.input) {
    case 'reason':
      return {
        ...base,
        block_id: FORM_INPUTS.reason,
        element: {
          type: 'plain_text_input',
          action_id: FORM_INPUTS.reason,
          multiline: true,
          ...(f.maxLength ? { max_length: Math.min(f.maxLength, MODAL_LIMITS.inputMax) } : {}),
          ...placeholder,
        },
      };
    case 'ticket':
      return {
        ...base,
        block_id: FORM_INPUTS.ticket,
        element: {
          type: 'plain_text_input',
          action_id: FORM_INPUTS.ticket,
          ...(f.maxLength ? { max_length: Math.min(f.maxLength, MODAL_LIMITS.inputMax) } : {}),
          ...placeholder,
        },
      };
    case 'duration': {
      const options = f.choices.slice(0, MODAL_LIMITS.options).map((c) => option(c.label, c.value));
      if (options.length === 0) return null;
      const chosen = options.find((o) => o.value === f.initial);
      return {
        ...base,
        block_id: FORM_INPUTS.duration,
        element: {
          type: 'static_select',
          action_id: FORM_INPUTS.duration,
          options,
          ...(chosen ? { initial_option: chosen } : {}),
          ...placeholder,
        },
      };
    }
    case 'start':
      // Slack's picker asks in the person's own time zone and sends one instant (Unix seconds).
      return {
        ...base,
        block_id: FORM_INPUTS.startsAt,
        element: { type: 'datetimepicker', action_id: FORM_INPUTS.startsAt },
      };
    case 'breakGlass':
      return {
        ...base,
        block_id: FORM_INPUTS.breakGlass,
        element: {
          type: 'checkboxes',
          action_id: FORM_INPUTS.breakGlass,
          options: [
            {
              ...option(f.option?.label ?? f.label, 'yes'),
              ...(f.option?.description
                ? { description: plain(f.option.description, MODAL_LIMITS.optionDescription) }
                : {}),
            },
          ],
        },
      };
  }
}

/** The form's one neutral layout (app/approvals/form-view.ts) as a modal; every word comes from the layout. */
function layoutModal(l: FormLayout, privateMetadata: string): ModalView {
  const blocks: ModalBlock[] = [section(`*${clip(prose(l.heading), 1000)}*\n${prose(l.intro)}`, 'form_summary')];
  if (l.facts.length > 0)
    blocks.push(
      ...fieldSections(
        l.facts.map((f) => [prose(f.label), clip(prose(f.text), 1000)]),
        'form_facts',
      ),
    );
  if (l.warnings)
    blocks.push(context(`*${prose(l.warnings.heading)}*\n${flagsText(l.warnings.items, 1500)}`, 'form_flags'));
  for (const f of l.fields) {
    const b = inputBlock(f);
    if (b) blocks.push(b);
  }
  return {
    type: 'modal',
    callback_id: l.submit.verb,
    title: plain(l.title, MODAL_LIMITS.title),
    submit: plain(l.submit.label, MODAL_LIMITS.button),
    close: plain(l.close, MODAL_LIMITS.button),
    private_metadata: privateMetadata,
    blocks,
  };
}

export function requestFormModal(form: RequestFormView, privateMetadata: string): ModalView {
  return layoutModal(form.layout, privateMetadata);
}

export function decisionFormModal(form: DecisionFormView, privateMetadata: string): ModalView {
  return layoutModal(form.layout, privateMetadata);
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
