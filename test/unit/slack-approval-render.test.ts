/**
 * Approval-flow Block Kit and modals: buttons per `view.actions` with structured values, escaping of every string a
 * person or Azure wrote, Slack's limits under oversized input, the modal golden files (`modal-*.json`,
 * `UPDATE_GOLDEN=1` rewrites them), and the modal metadata / submission reading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  conversationOfMetadata,
  decodeMetadata,
  encodeMetadata,
  metadataFor,
  readInputs,
  submissionErrors,
} from '../../src/adapters/slack/modals.js';
import { blockKitProblems, renderReply, type SlackMessage } from '../../src/adapters/slack/render/index.js';
import {
  decisionFormModal,
  modalProblems,
  outcomeModal,
  requestFormModal,
  type ModalView,
} from '../../src/adapters/slack/render/modal.js';
import { APPROVAL_ACTION_IDS, VIEW_CALLBACK_IDS } from '../../src/adapters/slack/settings.js';
import type { ConversationRef } from '../../src/app/chat.js';
import { decisionForm, requestForm } from '../../src/app/approvals/form-view.js';
import { DECISION_FORM_WORDS, REASON_MAX, REQUEST_FORM_WORDS } from '../../src/core/approvals/form-words.js';
import { APPROVAL_VERBS, type RequestAction } from '../../src/core/approval-views.js';
import type { AuditEvent } from '../../src/core/requests/types.js';
import {
  AUDIT,
  DECISION_FORMS,
  REQUEST_FORM,
  REQUEST_FORM_BREAK_GLASS,
  VIEWS,
  accessRequest,
  requestView,
} from '../golden/slack/approval-samples.js';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden/slack');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const EVIL =
  '<!channel> <!here> <@U0ADMIN> <#C0SECRET|secret> <https://evil.example|click> <!subteam^S1> & ``` *bold* `tick`';
/** The only `<…>` sequences we write ourselves in approval messages: Slack date tokens. */
const OURS = /^<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>$/;

/** Every text in a message or view, with its kind (`mrkdwn`, `plain_text`, or `fallback` for the message text). */
function texts(m: { text?: string; blocks: unknown[] }): string[] {
  return typed(m).map((t) => t.text);
}

function typed(m: { text?: string; blocks: unknown[] }): Array<{ kind: string; text: string }> {
  const out: Array<{ kind: string; text: string }> = m.text ? [{ kind: 'fallback', text: m.text }] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string')
        out.push({ kind: typeof o.type === 'string' ? o.type : 'fallback', text: o.text });
      for (const [k, x] of Object.entries(o)) if (k !== 'value') walk(x);
    }
  };
  walk(m.blocks);
  return out;
}

/** mrkdwn: only our date tokens are `<…>` and every `&` is an entity; plain_text: no `<` or `>` at all. */
function assertInert(m: { text?: string; blocks: unknown[] }): void {
  for (const { kind, text } of typed(m)) {
    if (kind === 'plain_text') {
      expect(text).not.toMatch(/[<>]/);
      continue;
    }
    for (const match of text.match(/<[^>]*>?/g) ?? []) expect(match).toMatch(OURS);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

function buttons(m: SlackMessage) {
  return m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

describe('request card', () => {
  it('has one button per view action, action_id = the verb, value = {requestId, version}', () => {
    const all: RequestAction[] = ['approve', 'deny', 'narrow', 'cancel', 'retry', 'extend', 'revoke'];
    const m = renderReply({ type: 'request', view: requestView(accessRequest({ version: 7 }), { actions: all }) });
    // A pending request: the action table keeps only what pending allows, whatever the caller listed.
    const pending: RequestAction[] = ['approve', 'deny', 'narrow', 'cancel'];
    expect(buttons(m).map((b) => b.action_id)).toEqual(pending.map((a) => APPROVAL_ACTION_IDS[a]));
    for (const b of buttons(m)) expect(JSON.parse(b.value!)).toEqual({ requestId: 'req_01HZX4T7Q9', version: 7 });
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('has no buttons when the view offers none, and says who decided and why', () => {
    const m = renderReply({ type: 'request', view: VIEWS.denied });
    expect(buttons(m)).toEqual([]);
    const all = texts(m).join('\n');
    expect(all).toContain('*Denied by*\nCarol Approver');
    expect(all).toContain('Use the private endpoint');
  });

  it('names approvals, break-glass, the apply error and times', () => {
    expect(texts(renderReply({ type: 'request', view: VIEWS.oneOfTwo })).join('\n')).toContain(
      '*Approvals*\n1 of 2: Carol Approver',
    );
    expect(texts(renderReply({ type: 'request', view: VIEWS.breakGlass })).join('\n')).toContain(
      'Dana Lee (break-glass)',
    );
    const failed = texts(renderReply({ type: 'request', view: VIEWS.failed })).join('\n');
    expect(failed).toContain('ARM answered 503');
    expect(failed).toContain('(can be retried)');
    const applied = texts(renderReply({ type: 'request', view: VIEWS.applied })).join('\n');
    expect(applied).toMatch(/\*Ends at\*\n<!date\^1772458980\^/);
    expect(texts(renderReply({ type: 'request', view: VIEWS.permanent })).join('\n')).toContain(
      '*Duration*\npermanent',
    );
  });

  it('user and Azure text cannot mention, broadcast or link anywhere in approval messages', () => {
    const party = { platform: 'slack' as const, id: 'U0EVIL01', email: EVIL, displayName: EVIL };
    const r = accessRequest({
      reason: EVIL,
      requester: party,
      approvals: [{ by: party, at: '2026-03-02T09:40:00.000Z', as: 'approver', comment: EVIL }],
      decision: { by: party, at: '2026-03-02T09:50:00.000Z', reason: EVIL },
      status: 'denied',
      apply: { attempts: 1, lastError: EVIL, retryable: true, correlationId: EVIL },
      registry: { id: 'x', name: EVIL, loginServer: EVIL },
      rule: EVIL,
    });
    const view = requestView(r, { flags: [EVIL], banner: EVIL, approversSummary: EVIL, actions: ['approve'] });
    const events: AuditEvent[] = AUDIT.events.map((e) => ({
      ...e,
      summary: EVIL,
      actor: party,
      rule: EVIL,
      registryName: EVIL,
      correlationId: EVIL,
      requestId: EVIL,
      before: [EVIL],
      after: [EVIL, `${EVIL}2`],
    }));
    for (const m of [
      renderReply({ type: 'request', view }),
      renderReply({ type: 'requests', title: EVIL, note: EVIL, views: [view, view] }),
      renderReply({ type: 'audit', view: { registry: null, events, truncated: true } }),
      renderReply({
        type: 'request_form',
        form: requestForm({
          ...REQUEST_FORM,
          approversSummary: EVIL,
          flags: [EVIL],
          registry: { ...REQUEST_FORM.registry, name: EVIL },
        }),
      }),
      renderReply({ type: 'decision_form', form: decisionForm({ ...DECISION_FORMS.deny, title: EVIL }) }),
    ]) {
      expect(blockKitProblems(m)).toEqual([]);
      assertInert(m);
    }
    const card = texts(renderReply({ type: 'request', view })).join('\n');
    expect(card).toContain('&lt;!channel&gt;');
    expect(card).not.toContain('<@U0ADMIN>');
  });

  it('stays within every limit with huge reasons, errors, flags and 300 approvals', () => {
    const huge = 'x'.repeat(20_000);
    const party = { platform: 'slack' as const, id: 'U1', email: null, displayName: huge };
    const r = accessRequest({
      reason: huge,
      approvals: Array.from({ length: 300 }, () => ({
        by: party,
        at: '2026-03-02T09:40:00.000Z',
        as: 'approver' as const,
        comment: huge,
      })),
      decision: { by: party, at: '2026-03-02T09:50:00.000Z', reason: huge },
      status: 'revoked',
      apply: { attempts: 9, lastError: huge, retryable: true, correlationId: null },
      breakGlass: true,
      appliedAt: '2026-03-02T09:43:00.000Z',
      endsAt: '2026-03-02T13:43:00.000Z',
      requester: party,
    });
    const view = requestView(r, {
      flags: Array.from({ length: 100 }, () => huge),
      banner: huge,
      approversSummary: huge,
      actions: ['approve', 'deny', 'narrow', 'cancel', 'retry', 'extend', 'revoke'],
    });
    const m = renderReply({ type: 'request', view });
    expect(blockKitProblems(m)).toEqual([]);
    // A revoked request offers nothing, whatever the caller asked for: the action table decides.
    expect(buttons(m)).toHaveLength(0);
    const live = renderReply({
      type: 'request',
      view: requestView(
        { ...r, status: 'pending' },
        { flags: [huge], banner: huge, approversSummary: huge, actions: ['approve', 'deny', 'narrow', 'cancel'] },
      ),
    });
    expect(blockKitProblems(live)).toEqual([]);
    expect(buttons(live).map((b) => b.action_id)).toEqual(['approve', 'deny', 'narrow', 'cancel']);
    const list = renderReply({
      type: 'requests',
      title: huge,
      note: huge,
      views: Array.from({ length: 200 }, () => view),
    });
    expect(blockKitProblems(list)).toEqual([]);
    expect(JSON.stringify(list.blocks)).toMatch(/more requests not shown/);
  });
});

describe('requests and audit', () => {
  it('a list is a snapshot: it says so and carries no buttons, whatever its entries offered', () => {
    const m = renderReply({
      type: 'requests',
      title: 'Pending',
      note: 'A snapshot: this list does not change and has no buttons.',
      views: [VIEWS.pending, VIEWS.applied],
    });
    expect(m.blocks.filter((b) => b.type === 'actions')).toEqual([]);
    expect(buttons(m)).toEqual([]);
    expect(texts(m).join('\n')).toContain('A snapshot: this list does not change and has no buttons.');
  });

  it('audit events show the rules each ARM write added and removed', () => {
    const all = texts(renderReply({ type: 'audit', view: AUDIT })).join('\n');
    expect(all).toContain('Rules 3 → 4 · + `198.51.100.23/32`');
    expect(all).toContain('Rules 4 → 3 · − `198.51.100.23/32`');
    expect(all).toContain('correlation `7d3e2c1a-0b9f-4e8d-a7c6-5b4a39281706`');
  });

  it('500 events with 200-rule diffs: the newest that fit are shown, oldest first, the rest counted', () => {
    const rules = Array.from({ length: 200 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const events: AuditEvent[] = Array.from({ length: 500 }, (_, i) => ({
      ...AUDIT.events[4]!,
      seq: i + 1,
      before: rules.slice(0, 100),
      after: rules.slice(100),
      summary: `event ${i + 1}`,
    }));
    const m = renderReply({ type: 'audit', view: { registry: 'myregistry', events, truncated: true } });
    expect(blockKitProblems(m)).toEqual([]);
    const sections = m.blocks.filter((b) => b.type === 'section').map((b) => (b.type === 'section' ? b.block_id : ''));
    expect(sections.at(-1)).toBe('e500');
    const shown = sections.map((id) => Number(id!.slice(1)));
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    const note = JSON.stringify(m.blocks.find((b) => b.block_id === 'audit_more'));
    expect(note).toContain(`${500 - shown.length} earlier events not shown`);
    expect(note).toContain('Older events exist');
    expect(JSON.stringify(m.blocks)).toContain('and 92 more');
  });
});

const META = metadataFor(
  {
    platform: 'slack',
    kind: 'channel',
    conversationId: 'C0ACRHELP',
    threadId: '1710000001.000200',
    messageId: '1800000000.000010',
    teamId: 'T0TEST',
    channelId: 'C0ACRHELP',
  },
  REQUEST_FORM.submitData,
  true,
  false,
);

function modals(): Record<string, ModalView> {
  const meta = encodeMetadata(META)!;
  return {
    'modal-request-form': requestFormModal(REQUEST_FORM, meta),
    'modal-request-form-break-glass': requestFormModal(REQUEST_FORM_BREAK_GLASS, meta),
    'modal-decision-deny': decisionFormModal(DECISION_FORMS.deny, meta),
    'modal-decision-narrow': decisionFormModal(DECISION_FORMS.narrow, meta),
    'modal-decision-extend': decisionFormModal(DECISION_FORMS.extend, meta),
    'modal-decision-revoke': decisionFormModal(DECISION_FORMS.revoke, meta),
  };
}

describe('modals', () => {
  for (const [name, view] of Object.entries(modals())) {
    it(`${name} matches test/golden/slack/${name}.json and fits Slack's view limits`, () => {
      expect(modalProblems(view)).toEqual([]);
      const file = path.join(GOLDEN_DIR, `${name}.json`);
      const actual = `${JSON.stringify(view, null, 2)}\n`;
      if (UPDATE) fs.writeFileSync(file, actual);
      expect(fs.existsSync(file), `missing golden ${file}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    });
  }

  it('has no stale modal golden files, and every submit verb has a modal', () => {
    const expected = new Set(Object.keys(modals()).map((n) => `${n}.json`));
    expect(fs.readdirSync(GOLDEN_DIR).filter((f) => f.startsWith('modal-') && !expected.has(f))).toEqual([]);
    expect(new Set(Object.values(modals()).map((v) => v.callback_id))).toEqual(new Set(VIEW_CALLBACK_IDS));
  });

  it('the request form: reason (required, multiline), duration preselected, break-glass only when available', () => {
    const [plain, glass] = [requestFormModal(REQUEST_FORM, '{}'), requestFormModal(REQUEST_FORM_BREAK_GLASS, '{}')];
    const input = (v: ModalView, id: string) => v.blocks.find((b) => b.type === 'input' && b.block_id === id);
    expect(input(plain, 'reason')).toMatchObject({
      optional: false,
      element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: REASON_MAX },
    });
    expect(input(plain, 'duration')).toMatchObject({
      element: { type: 'static_select', action_id: 'duration', initial_option: { value: '4h' } },
    });
    expect(input(plain, 'breakGlass')).toBeUndefined();
    expect(input(glass, 'breakGlass')).toMatchObject({
      optional: true,
      element: { type: 'checkboxes', options: [{ value: 'yes' }] },
    });
    expect(JSON.stringify(input(glass, 'breakGlass'))).toContain('at most 1h');
  });

  it('form text from users and Azure is escaped in modals too', () => {
    const v = requestFormModal(
      requestForm({
        ...REQUEST_FORM,
        approversSummary: EVIL,
        flags: [EVIL],
        registry: { ...REQUEST_FORM.registry, name: EVIL, loginServer: EVIL },
        rule: EVIL,
        ip: EVIL,
      }),
      '{}',
    );
    expect(modalProblems(v)).toEqual([]);
    assertInert(v);
    const d = decisionFormModal(
      decisionForm({
        ...DECISION_FORMS.narrow,
        title: EVIL,
        durations: [{ label: EVIL.repeat(3), value: 'x'.repeat(400), ms: 1 }],
      }),
      '{}',
    );
    expect(modalProblems(d)).toEqual([]);
    assertInert(d);
  });

  it('an outcome modal shows an answer without its buttons', () => {
    const v = outcomeModal(renderReply({ type: 'request', view: VIEWS.pending }));
    expect(v.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(v.submit).toBeUndefined();
    expect(modalProblems(v)).toEqual([]);
  });

  it('modalProblems catches what Slack would refuse', () => {
    const bad = requestFormModal(REQUEST_FORM, 'x'.repeat(3001));
    expect(modalProblems(bad)).toContain('private_metadata 3001 > 3000');
    expect(modalProblems((({ submit: _s, ...rest }) => ({ ...rest, private_metadata: '' }))(bad))).toContain(
      'inputs without a submit button',
    );
  });
});

describe('modal metadata and submissions', () => {
  it('round-trips the conversation and submitData, and rebuilds the ConversationRef', () => {
    const back = decodeMetadata(encodeMetadata(META));
    expect(back).toEqual(META);
    const ref: ConversationRef = conversationOfMetadata(back!, null);
    expect(ref).toEqual({
      platform: 'slack',
      kind: 'channel',
      conversationId: 'C0ACRHELP',
      threadId: '1710000001.000200',
      messageId: '1800000000.000010',
      teamId: 'T0TEST',
      channelId: 'C0ACRHELP',
    });
  });

  it('refuses what this app did not write, and data too large for Slack', () => {
    for (const bad of [
      '',
      'not json',
      '[]',
      '{"submitData":{},"conversation":{"channel":"C1","kind":"planet"}}',
      '{"conversation":{"channel":"C1","kind":"channel"}}',
      'x'.repeat(3001),
    ]) {
      expect(decodeMetadata(bad)).toBeNull();
    }
    expect(encodeMetadata({ ...META, submitData: { blob: 'x'.repeat(3000) } })).toBeNull();
  });

  it('reads inputs as Slack sends them, and absent ones as empty', () => {
    const values = {
      reason: { reason: { type: 'plain_text_input', value: '  INC-4821 release  ' } },
      ticket: { ticket: { type: 'plain_text_input', value: ' CHG0012345 ' } },
      duration: {
        duration: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: '1 day' }, value: '1d' },
        },
      },
      breakGlass: {
        breakGlass: {
          type: 'checkboxes',
          selected_options: [{ text: { type: 'plain_text', text: 'x' }, value: 'yes' }],
        },
      },
      startsAt: { startsAt: { type: 'datetimepicker', selected_date_time: 1772442000 } },
    };
    expect(readInputs(values)).toEqual({
      reason: 'INC-4821 release',
      ticket: 'CHG0012345',
      duration: '1d',
      breakGlass: true,
      startsAt: 1772442000,
    });
    expect(readInputs({})).toEqual({ reason: '', ticket: '', duration: null, breakGlass: false, startsAt: null });
    expect(readInputs(null)).toEqual({ reason: '', ticket: '', duration: null, breakGlass: false, startsAt: null });
    expect(readInputs({ reason: { reason: { type: 'plain_text_input', value: null } } })).toEqual({
      reason: '',
      ticket: '',
      duration: null,
      breakGlass: false,
      startsAt: null,
    });
  });

  it('a missing reason is an error on the reason block, in the words the form and the use case say', () => {
    const req = APPROVAL_VERBS.submitRequest;
    const none = { reason: '', ticket: '', duration: '4h', breakGlass: false, startsAt: null };
    expect(submissionErrors(META, none, req)).toEqual({ reason: REQUEST_FORM_WORDS.reason.missing });
    expect(submissionErrors(META, none, APPROVAL_VERBS.submitDeny)).toEqual({
      reason: DECISION_FORM_WORDS.deny.reason!.missing,
    });
    expect(submissionErrors(META, none, APPROVAL_VERBS.submitExtend)).toEqual({
      reason: DECISION_FORM_WORDS.extend.reason!.missing,
    });
    expect(submissionErrors({ ...META, reasonRequired: false }, none, req)).toBeNull();
    expect(
      submissionErrors({ ...META, reasonRequired: false }, { ...none, duration: '1h', breakGlass: true }, req),
    ).toEqual({ reason: REQUEST_FORM_WORDS.reason.missingBreakGlass });
    expect(submissionErrors(META, { ...none, reason: 'x'.repeat(REASON_MAX + 1) }, req)).toEqual({
      reason: `Keep it under ${REASON_MAX} characters.`,
    });
    expect(submissionErrors(META, { ...none, reason: 'INC-1' }, req)).toBeNull();
  });
});
