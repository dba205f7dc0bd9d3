/**
 * One form, two platforms, the same words: the request form (as policy may shape it: optional reason, reason
 * required, break-glass offered, scheduled start) and every decision form, as the Slack modal and the Teams card
 * carry them. Both lay out the one neutral layout (app/approvals/form-view.ts) in core's words
 * (core/approvals/form-words.ts), and a submitted form is refused in those same words, so any drift fails here.
 */
import { describe, expect, it } from 'vitest';
import { decisionFormModal, requestFormModal } from '../../src/adapters/slack/render/modal.js';
import { submissionErrors } from '../../src/adapters/slack/modals.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import { requestForm } from '../../src/app/approvals/form-view.js';
import { FORM_INPUTS, type DecisionFormView, type RequestFormView } from '../../src/core/approval-views.js';
import {
  DECISION_FORM_WORDS,
  MAX_TICKET,
  REQUEST_FORM_WORDS as W,
  reasonMissing,
} from '../../src/core/approvals/form-words.js';
import { checkTicket } from '../../src/core/policy/ticket.js';
import { DECISION_FORMS, REQUEST_FORM } from '../golden/slack/approval-samples.js';
import { slackFormWords, teamsFormWords, type FormWords } from '../support/form-words.js';

const HOUR = 3_600_000;
const REQUEST_FORMS: Record<string, RequestFormView> = {
  normal: requestForm({ ...REQUEST_FORM, reasonRequired: false, flags: [] }),
  'reason required': requestForm({ ...REQUEST_FORM, reasonRequired: true }),
  'ticket required': requestForm({ ...REQUEST_FORM, ticketRequired: true }),
  'break-glass allowed': requestForm({ ...REQUEST_FORM, breakGlass: { available: true, maxDurationMs: HOUR } }),
  scheduled: requestForm({
    ...REQUEST_FORM,
    schedule: {
      earliest: '2026-03-02T09:00:00.000Z',
      latest: '2026-03-09T09:00:00.000Z',
      hint: W.start.hint('7d'),
    },
  }),
};

const slack = (f: RequestFormView | DecisionFormView): FormWords =>
  slackFormWords('decision' in f ? decisionFormModal(f, '{}') : requestFormModal(f, '{}'));
const teams = (f: RequestFormView | DecisionFormView): FormWords =>
  teamsFormWords(renderTeams('decision' in f ? { type: 'decision_form', form: f } : { type: 'request_form', form: f }));

describe('Teams and Slack forms carry the same words', () => {
  for (const [name, form] of [
    ...Object.entries(REQUEST_FORMS),
    ...Object.entries(DECISION_FORMS).map(([d, f]): [string, RequestFormView | DecisionFormView] => [`${d} form`, f]),
  ]) {
    it(name, () => {
      const [s, t] = [slack(form), teams(form)];
      expect(s).toEqual(t);
      // …and they are the layout's words, not a renderer's own.
      const l = form.layout;
      expect(t.heading).toBe(l.heading);
      expect(t.intro).toBe(l.intro);
      expect(t.submit).toBe(l.submit.label);
      expect(t.fields.map((f) => f.label)).toEqual(l.fields.map((f) => f.label));
      expect(t.fields.map((f) => f.placeholder)).toEqual(l.fields.map((f) => f.placeholder));
      expect(t.fields.map((f) => f.required)).toEqual(l.fields.map((f) => f.required));
    });
  }

  it('the request form says what it is, who approves, and asks in core’s words', () => {
    const t = teams(REQUEST_FORMS['break-glass allowed']!);
    expect(t.intro).toBe(W.intro);
    expect(t.facts.map(([label]) => label)).toEqual(['Registry', 'Rule', 'Client IP', 'Approvers']);
    expect(t.fields.map((f) => f.label)).toEqual([
      W.reason.label,
      W.ticket.label,
      W.duration.label,
      W.breakGlass.label,
    ]);
    expect(t.fields[0]!.placeholder).toBe(W.reason.placeholder);
    expect(t.fields[1]!.placeholder).toBe(W.ticket.placeholder);
    expect(t.fields[1]!.required).toBe(false);
    expect(t.fields[2]!.hint).toBe(W.duration.hint);
    expect(t.fields[2]!.choices).toEqual(REQUEST_FORM.durations.map((d) => d.label));
    expect(t.fields[3]!.option).toEqual([W.breakGlass.option, W.breakGlass.description(' for at most 1h')]);
    expect(t.submit).toBe(W.submit.label);
    expect(teams(REQUEST_FORMS.normal!).fields[0]!.required).toBe(false);
    expect(teams(REQUEST_FORMS['reason required']!).fields[0]!.required).toBe(true);
    expect(teams(REQUEST_FORMS.scheduled!).fields.map((f) => f.label)).toContain(W.start.label);
  });

  it('Teams asks a scheduled start as a UTC day and time, Slack as one instant: both under the same label', () => {
    const card = renderTeams({ type: 'request_form', form: REQUEST_FORMS.scheduled! });
    const time = card.body.find((b) => b.type === 'Input.Time');
    expect(time).toMatchObject({ label: W.start.time });
    const modal = requestFormModal(REQUEST_FORMS.scheduled!, '{}');
    expect(modal.blocks.find((b) => b.type === 'input' && b.element.type === 'datetimepicker')).toMatchObject({
      label: { text: W.start.label },
      hint: { text: W.start.hint('7d') },
    });
  });

  it('a required input left empty says the same on the Teams card, in Slack, and from the use case', () => {
    const reasonOf = (c: ReturnType<typeof renderTeams>) => c.body.find((b) => b.type === 'Input.Text') as any;
    const card = renderTeams({ type: 'request_form', form: REQUEST_FORMS['reason required']! });
    expect(reasonOf(card).errorMessage).toBe(W.reason.missing);
    const meta = { submitData: {}, conversation: {} as never, reasonRequired: true };
    const empty = { reason: '', ticket: '', duration: '4h', breakGlass: false, startsAt: null };
    expect(submissionErrors(meta, empty, W.submit.verb)).toEqual({ reason: W.reason.missing });
    for (const d of ['deny', 'extend'] as const) {
      const words = DECISION_FORM_WORDS[d];
      expect(reasonOf(renderTeams({ type: 'decision_form', form: DECISION_FORMS[d] })).errorMessage).toBe(
        words.reason!.missing,
      );
      expect(submissionErrors(meta, empty, words.submit.verb)).toEqual({ reason: words.reason!.missing });
      expect(reasonMissing(words.submit.verb, false)).toBe(words.reason!.missing);
    }
  });

  it('a required ticket: the same label, placeholder, limit and missing words on both platforms and from the server', () => {
    const form = REQUEST_FORMS['ticket required']!;
    const card = renderTeams({ type: 'request_form', form });
    const input = card.body.find((b) => (b as any).id === FORM_INPUTS.ticket) as any;
    expect(input).toMatchObject({ type: 'Input.Text', label: W.ticket.label, placeholder: W.ticket.placeholder });
    expect(input).toMatchObject({ isRequired: true, errorMessage: W.ticket.missing, maxLength: MAX_TICKET });
    expect(input.isMultiline).toBeUndefined();
    const block = requestFormModal(form, '{}').blocks.find((b) => b.type === 'input' && b.block_id === 'ticket') as any;
    expect(block).toMatchObject({ optional: false, label: { text: W.ticket.label } });
    expect(block.element).toMatchObject({ type: 'plain_text_input', action_id: 'ticket', max_length: MAX_TICKET });
    expect(block.element.placeholder.text).toBe(W.ticket.placeholder);
    expect(block.element.multiline).toBeUndefined();
    const t = teams(form).fields.find((f) => f.label === W.ticket.label);
    expect(t).toEqual(slack(form).fields.find((f) => f.label === W.ticket.label));
    expect(t!.required).toBe(true);
    // Slack's field error and the server's refusal are the one check, in the form's words.
    const meta = { submitData: {}, conversation: {} as never, reasonRequired: false, ticketRequired: true as const };
    const empty = { reason: '', ticket: '', duration: '4h', breakGlass: false, startsAt: null };
    expect(submissionErrors(meta, empty, W.submit.verb)).toEqual({ ticket: W.ticket.missing });
    expect(submissionErrors(meta, { ...empty, ticket: 'CHG1\u202E2' }, W.submit.verb)).toEqual({
      ticket: W.ticket.invalid,
    });
    expect(submissionErrors(meta, { ...empty, ticket: 'CHG0012345' }, W.submit.verb)).toBeNull();
    expect(
      submissionErrors({ submitData: {}, conversation: {} as never, reasonRequired: false }, empty, W.submit.verb),
    ).toBeNull();
    const server = checkTicket({ requireTicket: true, source: 'policy.yaml' }, '  ');
    expect(server).toMatchObject({ ok: false, code: 'ticket_required' });
    expect(!server.ok && server.reason.startsWith(W.ticket.missing)).toBe(true);
    expect(checkTicket({ requireTicket: false, source: 'p' }, 'x'.repeat(MAX_TICKET + 1))).toMatchObject({
      reason: W.ticket.invalid,
    });
    // Optional where policy does not require it: offered, not required.
    const normal = teams(REQUEST_FORMS.normal!).fields.find((f) => f.label === W.ticket.label);
    expect(normal?.required).toBe(false);
  });
});
