/**
 * The words of the approval flow's forms, for every platform: the request form and the deny / narrow / extend /
 * revoke forms: headings, intros, labels, placeholders, hints, what a required input says when it is left empty,
 * and the submit buttons. The use cases say the same words when a submitted form is refused, so what a form asks
 * for and what the server answers never disagree. `Record<FormDecision, …>` makes the compiler refuse a new
 * decision form until it has words here. Renderers lay these out; they add none of their own.
 */
import { APPROVAL_VERBS } from '../approval-views.js';
import type { ButtonWeight } from './request-words.js';

/** Longest reason kept (policy and the click handlers cut there; forms stop there). */
export const REASON_MAX = 500;

/** What any form says when a reason is longer than REASON_MAX. */
export const REASON_TOO_LONG = `Keep it under ${REASON_MAX} characters.`;

/** Longest ticket reference kept: long enough for a tracker URL, short enough for a card line. */
export const MAX_TICKET = 200;

/** The button that closes a form without sending it, where the platform has one (Slack's modals). */
export const FORM_CLOSE = 'Cancel';

export const REQUEST_FORM_WORDS = {
  /** Short enough for any platform's form title (Slack: 24 characters). */
  title: 'Request access',
  heading: (registry: string): string => `Request access to ${registry}`,
  intro:
    'Nothing changes until the approvers agree. The bot then adds this rule without touching the others, and removes it when the time is up.',
  facts: { registry: 'Registry', rule: 'Rule', ip: 'Client IP', approvers: 'Approvers' },
  warnings: 'Before you ask',
  reason: {
    label: 'Reason',
    placeholder: 'What needs access and why: pipeline, ticket, incident…',
    missing: 'Say why you need access: approvers see the reason.',
    missingBreakGlass: 'Break-glass needs a reason: say what is broken; every approver will see it.',
  },
  /** The request's change or incident ticket; core/policy/ticket.ts refuses a submit in these words. */
  ticket: {
    label: 'Ticket',
    placeholder: 'CHG0012345 or the ticket URL',
    missing: 'Name the change or incident ticket this access is for (for example CHG0012345).',
    /** Where the server says why: the policy file that requires a ticket for this registry. */
    requiredBy: (source: string): string => `Policy requires one here (${source}).`,
    invalid: `A ticket reference is one line of at most ${MAX_TICKET} printable characters: an id like CHG0012345 or the ticket's URL.`,
  },
  duration: {
    label: 'Duration',
    placeholder: 'Choose a duration',
    hint: 'The rule is removed when this ends.',
    missing: 'Pick how long the rule should stay.',
    invalid: 'Choose a duration from the list (for example 4h).',
  },
  start: {
    label: 'Start (optional)',
    /** Where the platform asks for the day and the time apart (Teams), the time's label: a time of day in UTC. */
    time: 'Start time (UTC)',
    hint: (lead: string): string =>
      `Optional: when the access should start, up to ${lead} ahead; the rule is added then and removed when the duration is up. Empty: as soon as it is approved.`,
    invalid: 'The start time is not a date and time: pick one, or leave it empty.',
  },
  breakGlass: {
    label: 'Emergency',
    option: 'Break glass: apply it now, approving it myself',
    /** `limit`: " for at most 1 hour", or empty. At most 150 characters (Slack's option description). */
    description: (limit: string): string =>
      `Emergencies only: a reason is required, one address only${limit}, every approver is notified, and the grant is marked for review.`,
  },
  submit: { label: 'Submit request', weight: 'positive' as ButtonWeight, verb: APPROVAL_VERBS.submitRequest },
} as const;

export type FormDecision = 'deny' | 'narrow' | 'extend' | 'revoke';

export interface DecisionFormWords {
  /** Short enough for any platform's form title (Slack: 24 characters). */
  title: string;
  intro: string;
  /** The duration picker's label; null when the decision has no duration. */
  duration: string | null;
  /** The reason input; null when the decision takes none (the use case would drop it). */
  reason: { label: string; placeholder: string; missing: string } | null;
  submit: { label: string; weight: ButtonWeight; verb: string };
}

export const DECISION_FORM_WORDS: Readonly<Record<FormDecision, DecisionFormWords>> = {
  deny: {
    title: 'Deny request',
    intro: 'The requester sees your reason.',
    duration: null,
    reason: {
      label: 'Why deny it?',
      placeholder: 'What should they do instead?',
      missing: 'Say why you deny it: the requester sees the reason.',
    },
    submit: { label: 'Deny request', weight: 'destructive', verb: APPROVAL_VERBS.submitDeny },
  },
  narrow: {
    title: 'Narrow request',
    intro: 'A shorter duration only: the rule itself cannot be widened here.',
    duration: 'Shorter duration',
    reason: null,
    submit: { label: 'Narrow', weight: null, verb: APPROVAL_VERBS.submitNarrow },
  },
  extend: {
    title: 'Extend access',
    intro: 'An extension is approved like a new request; the rule stays until then.',
    duration: 'How much longer',
    reason: {
      label: 'Why longer?',
      placeholder: 'What still needs access, and until when?',
      missing: 'Say why you need longer: approvers see the reason.',
    },
    submit: { label: 'Request extension', weight: 'positive', verb: APPROVAL_VERBS.submitExtend },
  },
  revoke: {
    title: 'Revoke access',
    intro: 'The rule is removed now, unless another grant or a rule the bot did not add still covers the address.',
    duration: null,
    reason: {
      label: 'Why revoke it?',
      placeholder: 'Shown on the request card and in the audit log',
      missing: 'Say why you revoke it: the requester sees the reason.',
    },
    submit: { label: 'Revoke now', weight: 'destructive', verb: APPROVAL_VERBS.submitRevoke },
  },
};

/** A decision form's duration picker, left empty. */
export const DECISION_DURATION_MISSING = 'Pick a duration.';

/** What a refused submit is titled when the reason was missing. */
export const REASON_NEEDED = 'A reason is needed';

/** What the reason of the form with this submit verb says when it is left empty (null: no form has it required). */
export function reasonMissing(verb: string, breakGlass: boolean): string | null {
  if (verb === APPROVAL_VERBS.submitRequest)
    return breakGlass ? REQUEST_FORM_WORDS.reason.missingBreakGlass : REQUEST_FORM_WORDS.reason.missing;
  for (const w of Object.values(DECISION_FORM_WORDS)) if (w.submit.verb === verb) return w.reason?.missing ?? null;
  return null;
}

/** Where a form cannot be opened (Slack: the click's trigger expired), what the message in its place says. */
export const FORM_NOT_OPENED = {
  request: 'The request form could not be opened. Click Request access again to open it.',
  decision: 'The form could not be opened. Click the button on the request card again to open it.',
} as const;
