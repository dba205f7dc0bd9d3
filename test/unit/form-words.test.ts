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
import type { DecisionFormView, RequestFormView } from '../../src/core/approval-views.js';
import { DECISION_FORM_WORDS, REQUEST_FORM_WORDS as W, reasonMissing } from '../../src/core/approvals/form-words.js';
import { DECISION_FORMS, REQUEST_FORM } from '../golden/slack/approval-samples.js';
import { slackFormWords, teamsFormWords, type FormWords } from '../support/form-words.js';

const HOUR = 3_600_000;
const REQUEST_FORMS: Record<string, RequestFormView> = {
  normal: requestForm({ ...REQUEST_FORM, reasonRequired: false, flags: [] }),
  'reason required': requestForm({ ...REQUEST_FORM, reasonRequired: true }),
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
    expect(t.fields.map((f) => f.label)).toEqual([W.reason.label, W.duration.label, W.breakGlass.label]);
    expect(t.fields[0]!.placeholder).toBe(W.reason.placeholder);
    expect(t.fields[1]!.hint).toBe(W.duration.hint);
    expect(t.fields[1]!.choices).toEqual(REQUEST_FORM.durations.map((d) => d.label));
    expect(t.fields[2]!.option).toEqual([W.breakGlass.option, W.breakGlass.description(' for at most 1h')]);
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
    const empty = { reason: '', duration: '4h', breakGlass: false, startsAt: null };
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
});
