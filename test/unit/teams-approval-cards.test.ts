/**
 * Teams cards of the approval flow: every variant (request form, each decision form, a request in every status for
 * both audiences, lists, audit) is a valid Adaptive Card 1.5 per the `adaptivecards` package and matches its golden
 * file; forms carry the contract's input ids and submit verbs; conversation cards never carry decision buttons but a
 * refresh for the given Teams ids; personal cards carry exactly the view's buttons, bound to request id + version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/teams/cards/render.js';
import type { AdaptiveCard, ExecuteAction } from '../../src/adapters/teams/cards/types.js';
import { APPROVAL_VERBS, FORM_INPUTS } from '../../src/core/approval-views.js';
import { FINAL_STATUSES, REQUEST_STATUSES } from '../../src/core/requests/types.js';
import type { Reply } from '../../src/core/reply.js';
import { APPROVAL_REPLIES, DECISION_FORMS, REQUEST_FORM, view } from '../golden/teams/approval-fixtures.js';
import { validateCard } from '../golden/teams/validate-card.js';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden/teams');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

type Node = Record<string, unknown>;
function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) for (const n of node) walk(n, visit);
  else if (node && typeof node === 'object') {
    visit(node as Node);
    for (const v of Object.values(node)) walk(v, visit);
  }
}
function elements(card: AdaptiveCard, type: string): Node[] {
  const out: Node[] = [];
  walk(card.body, (n) => {
    if (n.type === type) out.push(n);
  });
  return out;
}
/** Every Action.Execute anywhere on the card (card actions and ActionSets), not the refresh action. */
function buttons(card: AdaptiveCard): ExecuteAction[] {
  const out: ExecuteAction[] = [];
  walk({ body: card.body, actions: card.actions ?? [] }, (n) => {
    if (n.type === 'Action.Execute') out.push(n as unknown as ExecuteAction);
  });
  return out;
}
/** Strings Teams renders as Markdown (TextRun is plain by schema). */
function markdownTexts(card: AdaptiveCard): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextRun') return;
    for (const k of ['text', 'value', 'title', 'fallbackText', 'label', 'placeholder'])
      if (typeof n[k] === 'string') out.push(n[k] as string);
  });
  return out;
}

describe('Teams approval cards: valid Adaptive Cards 1.5, golden files', () => {
  for (const [name, reply] of Object.entries(APPROVAL_REPLIES)) {
    it(`${name}`, () => {
      const card = renderReply(
        reply,
        reply.type === 'request' ? { refreshUserIds: ['29:carol-teams-id', '29:dana-teams-id'] } : {},
      );
      expect(card.version).toBe('1.5');
      expect(validateCard(card)).toEqual([]);
      const file = path.join(GOLDEN_DIR, `approval-${name}.json`);
      const text = `${JSON.stringify(card, null, 2)}\n`;
      if (UPDATE || !fs.existsSync(file)) {
        if (!UPDATE && process.env.CI)
          throw new Error(
            `golden file ${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/unit/teams-approval-cards.test.ts`,
          );
        fs.writeFileSync(file, text);
      }
      expect(text, `card drifted from approval-${name}.json; if intended, run with UPDATE_GOLDEN=1`).toBe(
        fs.readFileSync(file, 'utf8'),
      );
      expect(Buffer.byteLength(JSON.stringify(card)), 'Teams refuses cards above ~28 KB').toBeLessThan(28_000);
    });
  }

  it('covers every request status in both audiences', () => {
    for (const s of REQUEST_STATUSES) {
      expect(APPROVAL_REPLIES[`request-${s}-conversation`], s).toBeDefined();
      expect(APPROVAL_REPLIES[`request-${s}-personal`], s).toBeDefined();
    }
  });
});

describe('request form', () => {
  const card = renderReply({ type: 'request_form', form: REQUEST_FORM });

  it('collects reason (multiline, required with an error message), duration (default preselected) and break-glass', () => {
    const [reason] = elements(card, 'Input.Text');
    expect(reason).toMatchObject({ id: FORM_INPUTS.reason, isMultiline: true, isRequired: true });
    expect(typeof reason!.errorMessage).toBe('string');
    const [duration] = elements(card, 'Input.ChoiceSet');
    expect(duration).toMatchObject({ id: FORM_INPUTS.duration, value: '4h' });
    expect((duration!.choices as Array<{ value: string }>).map((c) => c.value)).toEqual(['1h', '4h', '1d']);
    const [toggle] = elements(card, 'Input.Toggle');
    // valueOn/valueOff are left at the schema defaults, "true" and "false": what the submit carries.
    expect(toggle).toMatchObject({ id: FORM_INPUTS.breakGlass, value: 'false' });
    expect(toggle!.valueOn).toBeUndefined();
    expect(JSON.stringify(card)).toContain('every approver is notified');
  });

  it('submits with verb submit_request and the form data unchanged (Teams adds the inputs)', () => {
    const [submit, ...rest] = buttons(card);
    expect(rest).toEqual([]);
    expect(submit).toMatchObject({ verb: APPROVAL_VERBS.submitRequest, data: REQUEST_FORM.submitData });
    // No input id collides with the data the form must carry back.
    for (const id of Object.values(FORM_INPUTS)) expect(Object.keys(REQUEST_FORM.submitData)).not.toContain(id);
  });

  it('without break-glass or a required reason: no toggle, reason optional', () => {
    const minimal = renderReply(APPROVAL_REPLIES['request_form-minimal']!);
    expect(elements(minimal, 'Input.Toggle')).toEqual([]);
    const [reason] = elements(minimal, 'Input.Text');
    expect(reason!.isRequired).toBeUndefined();
  });
});

describe('decision forms', () => {
  const expected = {
    deny: APPROVAL_VERBS.submitDeny,
    narrow: APPROVAL_VERBS.submitNarrow,
    extend: APPROVAL_VERBS.submitExtend,
    revoke: APPROVAL_VERBS.submitRevoke,
  };
  for (const [decision, verb] of Object.entries(expected)) {
    it(`${decision}: submit verb ${verb}, bound to the request id and version`, () => {
      const form = DECISION_FORMS[decision as keyof typeof DECISION_FORMS];
      const card = renderReply({ type: 'decision_form', form });
      const [submit, ...rest] = buttons(card);
      expect(rest).toEqual([]);
      expect(submit!.verb).toBe(verb);
      expect(submit!.data).toMatchObject({ requestId: form.requestId, version: form.version });
      const ids = [...elements(card, 'Input.Text'), ...elements(card, 'Input.ChoiceSet')].map((i) => i.id).sort();
      const wanted = { deny: ['reason'], narrow: ['duration'], extend: ['duration', 'reason'], revoke: ['reason'] }[
        decision
      ]!;
      expect(ids).toEqual(wanted);
    });
  }
  it('a required reason is marked required', () => {
    const [reason] = elements(renderReply({ type: 'decision_form', form: DECISION_FORMS.deny }), 'Input.Text');
    expect(reason).toMatchObject({ isRequired: true });
  });
});

describe('request cards', () => {
  const render = (r: Reply, ids?: string[]) => renderReply(r, ids ? { refreshUserIds: ids } : {});

  for (const status of REQUEST_STATUSES) {
    it(`${status}, conversation: no decision buttons; refresh for the given Teams ids while it can still change`, () => {
      const card = render({ type: 'request', view: view(status, 'conversation') }, ['29:carol', '29:dana', '29:carol']);
      expect(buttons(card)).toEqual([]);
      if (FINAL_STATUSES.includes(status)) {
        expect(card.refresh).toBeUndefined();
      } else {
        expect(card.refresh).toEqual({
          action: { type: 'Action.Execute', verb: APPROVAL_VERBS.refresh, data: { requestId: 'req_01JD7Q3ZK8' } },
          userIds: ['29:carol', '29:dana'],
        });
      }
    });

    it(`${status}, personal: exactly the view's buttons, each bound to the request id and version`, () => {
      const v = view(status, 'personal');
      const card = render({ type: 'request', view: v }, ['29:carol']);
      const verbs = {
        approve: 'approve',
        deny: 'deny',
        narrow: 'narrow',
        cancel: 'cancel',
        retry: 'retry_apply',
        extend: 'extend',
        revoke: 'revoke',
      };
      expect(buttons(card).map((b) => b.verb)).toEqual(v.actions.map((a) => verbs[a]));
      for (const b of buttons(card)) expect(b.data).toEqual({ requestId: v.request.id, version: v.request.version });
      expect(Boolean(card.refresh)).toBe(!FINAL_STATUSES.includes(status));
    });
  }

  it('names requester, registry, rule, duration, reason, approvals x of N with names, approvers and risk flags', () => {
    const text = markdownTexts(render({ type: 'request', view: view('pending', 'conversation') })).join('\n');
    for (const s of [
      'Dana Lee',
      'acmeprod (acmeprod.azurecr.io)',
      '20.61.14.37/32',
      '4h',
      '1 of 2: Bob',
      'Carol Diaz',
      'Microsoft-hosted range',
      'Waiting for approval',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('applied: ends at; failed: the last error and that it can be retried; denied: by whom and why', () => {
    expect(markdownTexts(render({ type: 'request', view: view('applied', 'personal') })).join('\n')).toContain(
      '2025-11-23 13:08 UTC',
    );
    const failed = markdownTexts(render({ type: 'request', view: view('failed', 'personal') })).join('\n');
    expect(failed).toContain('429');
    expect(failed).toContain('(can be retried)');
    const denied = markdownTexts(render({ type: 'request', view: view('denied', 'conversation') })).join('\n');
    expect(denied).toContain('Denied by');
    expect(denied).toContain('Carol Diaz, 2025-11-23 09:20 UTC');
    expect(denied).toContain('private endpoint');
  });

  it('escapes user text: no Markdown, links or mentions survive', () => {
    for (const name of ['request-pending-conversation', 'request-denied-personal', 'requests', 'audit']) {
      const joined = markdownTexts(renderReply(APPROVAL_REPLIES[name]!)).join('\n');
      expect(joined, name).not.toContain('**');
      expect(joined, name).not.toContain('](https://');
      expect(joined, name).not.toMatch(/<at>/i);
    }
  });

  it('keeps at most 60 refresh ids', () => {
    const ids = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    expect(render({ type: 'request', view: view('pending', 'conversation') }, ids).refresh!.userIds).toHaveLength(60);
  });

  it('with no resolved ids, refresh has an empty userIds (manual Refresh only, nobody refreshed automatically)', () => {
    expect(render({ type: 'request', view: view('pending', 'conversation') }).refresh!.userIds).toEqual([]);
  });
});

describe('requests list and audit', () => {
  it('a list is a snapshot: it says so and carries no buttons, personal or shared', () => {
    for (const name of ['requests', 'requests-conversation']) {
      const list = renderReply(APPROVAL_REPLIES[name]!);
      expect(buttons(list), name).toEqual([]);
      expect(JSON.stringify(list), name).toContain('A snapshot: this list does not change and has no buttons.');
      expect(list.refresh ?? null, name).toBeNull();
    }
  });

  it('audit rows show the before/after rule diff of firewall writes', () => {
    const json = JSON.stringify(renderReply(APPROVAL_REPLIES.audit!));
    expect(json).toContain('+ 20.61.14.37/32');
    expect(json).toContain('- 20.61.14.37/32');
    expect(json).toContain('IP rules: 3 before, 4 after');
    expect(json).toContain('Carol Diaz approved (2 of 2)');
  });
});
