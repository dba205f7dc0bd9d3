/**
 * What a Slack modal carries between opening and submit, and what a submission holds. Pure functions, no Web API.
 *
 * `private_metadata` (≤ 3000 chars, round-tripped by Slack untouched and only settable by this app) keeps the
 * form's `submitData` and the conversation the click came from (channel, thread, the card's ts, its kind), so the
 * answer to a submit goes back to the right thread and card without parsing any message text.
 */
import type { ViewStateValue } from '@slack/bolt';
import type { ConversationRef } from '../../app/chat.js';
import { FORM_INPUTS } from '../../core/approval-views.js';
import { REASON_MAX, REASON_TOO_LONG, REQUEST_FORM_WORDS, reasonMissing } from '../../core/approvals/form-words.js';
import { checkTicket } from '../../core/policy/ticket.js';
import { MODAL_LIMITS } from './render/modal.js';

export interface FormMetadata {
  submitData: Record<string, unknown>;
  conversation: {
    channel: string;
    threadTs: string | null;
    /** The card the form came from (chat.update target for an `update` answer). */
    messageTs: string | null;
    kind: ConversationRef['kind'];
    teamId: string | null;
    /** The card was an ephemeral message (a slash-command answer): it cannot be updated, only answered privately. */
    ephemeral: boolean;
  };
  reasonRequired: boolean;
  /** The request form's ticket is required (policy `requireTicket`); absent otherwise. */
  ticketRequired?: true;
}

export interface FormInputs {
  reason: string;
  /** The change or incident ticket, trimmed; empty when none was given (or the form has none). */
  ticket: string;
  /** The chosen duration's `value` (`4h`, `permanent`); null when the form has no duration. */
  duration: string | null;
  breakGlass: boolean;
  /** Scheduled access: the picked start in Unix seconds (datetimepicker); null when none was picked. */
  startsAt: number | null;
}

const KINDS: ReadonlySet<string> = new Set(['personal', 'group', 'channel']);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function metadataFor(
  conversation: ConversationRef,
  submitData: Record<string, unknown>,
  reasonRequired: boolean,
  ephemeral: boolean,
): FormMetadata {
  return {
    submitData,
    conversation: {
      channel: conversation.conversationId,
      threadTs: conversation.threadId,
      messageTs: conversation.messageId,
      kind: conversation.kind,
      teamId: conversation.teamId ?? null,
      ephemeral,
    },
    reasonRequired,
  };
}

/** The JSON for `private_metadata`, or null when it would not fit (the caller answers without a modal). */
export function encodeMetadata(meta: FormMetadata): string | null {
  const json = JSON.stringify(meta);
  return json.length <= MODAL_LIMITS.privateMetadata ? json : null;
}

/** Null for anything that is not metadata this app wrote. */
export function decodeMetadata(text: unknown): FormMetadata | null {
  if (typeof text !== 'string' || text === '' || text.length > MODAL_LIMITS.privateMetadata) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v) || !isObj(v.submitData) || !isObj(v.conversation)) return null;
  const c = v.conversation;
  if (typeof c.channel !== 'string' || typeof c.kind !== 'string' || !KINDS.has(c.kind)) return null;
  return {
    submitData: v.submitData,
    conversation: {
      channel: c.channel,
      threadTs: strOrNull(c.threadTs),
      messageTs: strOrNull(c.messageTs),
      kind: c.kind as ConversationRef['kind'],
      teamId: strOrNull(c.teamId),
      ephemeral: c.ephemeral === true,
    },
    reasonRequired: v.reasonRequired === true,
    ...(v.ticketRequired === true ? { ticketRequired: true as const } : {}),
  };
}

export function conversationOfMetadata(meta: FormMetadata, fallbackTeamId: string | null): ConversationRef {
  const c = meta.conversation;
  return {
    platform: 'slack',
    kind: c.kind,
    conversationId: c.channel,
    threadId: c.threadTs,
    messageId: c.messageTs,
    teamId: c.teamId ?? fallbackTeamId,
    channelId: c.channel,
  };
}

type StateValues = Record<string, Record<string, ViewStateValue>>;

function input(values: StateValues, name: string): ViewStateValue | undefined {
  return values[name]?.[name];
}

/** The inputs of a submitted form (`view.state.values`); absent inputs read as empty / null / false. */
export function readInputs(values: unknown): FormInputs {
  const v = (isObj(values) ? values : {}) as StateValues;
  const reason = input(v, FORM_INPUTS.reason)?.value;
  const ticket = input(v, FORM_INPUTS.ticket)?.value;
  const duration = input(v, FORM_INPUTS.duration)?.selected_option?.value;
  const checked = input(v, FORM_INPUTS.breakGlass)?.selected_options ?? [];
  const start = (input(v, FORM_INPUTS.startsAt) as { selected_date_time?: unknown } | undefined)?.selected_date_time;
  return {
    startsAt: typeof start === 'number' && Number.isFinite(start) ? start : null,
    reason: typeof reason === 'string' ? reason.trim() : '',
    ticket: typeof ticket === 'string' ? ticket.trim() : '',
    duration: typeof duration === 'string' && duration !== '' ? duration : null,
    breakGlass: Array.isArray(checked) && checked.some((o) => o?.value === 'yes'),
  };
}

/**
 * Errors to show next to the inputs (`response_action: 'errors'`, keyed by block_id), or null when the form can go
 * to the use case. Only what the form itself asked for is checked here, in the words the form and the use case use
 * (core/approvals/form-words.ts); the use case validates everything again.
 */
export function submissionErrors(meta: FormMetadata, inputs: FormInputs, verb: string): Record<string, string> | null {
  if (inputs.reason.length > REASON_MAX) return { [FORM_INPUTS.reason]: REASON_TOO_LONG };
  if (inputs.reason === '' && (meta.reasonRequired || inputs.breakGlass)) {
    const missing = reasonMissing(verb, inputs.breakGlass);
    if (missing !== null) return { [FORM_INPUTS.reason]: missing };
  }
  // The server's one ticket check (core/policy/ticket.ts); next to the input, the form's own words.
  const ticket = checkTicket({ requireTicket: meta.ticketRequired === true, source: '' }, inputs.ticket);
  if (!ticket.ok)
    return {
      [FORM_INPUTS.ticket]: ticket.code === 'ticket_required' ? REQUEST_FORM_WORDS.ticket.missing : ticket.reason,
    };
  return null;
}
