/** The Block Kit shapes of the bot's modals (views.open / views.update): inputs, blocks and the view itself. */
import type { Block } from './blocks.js';

export type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
export interface Option {
  text: PlainText;
  value: string;
  description?: PlainText;
}
export interface PlainTextInput {
  type: 'plain_text_input';
  action_id: string;
  multiline?: boolean;
  max_length?: number;
  placeholder?: PlainText;
}
export interface StaticSelect {
  type: 'static_select';
  action_id: string;
  options: Option[];
  initial_option?: Option;
  placeholder?: PlainText;
}
export interface Checkboxes {
  type: 'checkboxes';
  action_id: string;
  options: Option[];
}
/** Slack's date-and-time picker: the user picks in their own time zone; the submission carries Unix seconds. */
export interface DateTimePicker {
  type: 'datetimepicker';
  action_id: string;
}
export interface InputBlock {
  type: 'input';
  block_id: string;
  label: PlainText;
  element: PlainTextInput | StaticSelect | Checkboxes | DateTimePicker;
  optional?: boolean;
  hint?: PlainText;
}
export type ModalBlock = Block | InputBlock;

export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: PlainText;
  submit?: PlainText;
  close: PlainText;
  private_metadata: string;
  blocks: ModalBlock[];
}
