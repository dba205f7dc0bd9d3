/**
 * The Slack side of the approval flow over real signed HTTP: buttons, modals (views.open → views.update with the
 * form → view_submission), ephemeral answers, chat.update of the card, and DMs through the messenger, against the
 * local Slack API double.
 *
 * The ChatHandler here is a small real one that speaks the approval contract (src/core/approval-views.ts): it keeps
 * requests in memory, decides who may approve from a fixed list, counts a click once per card version and uses the
 * Slack messenger for the thread card and the DMs. It lets these tests see exactly what the adapter passes and
 * delivers; the same flow with the approval engine, store and ARM emulator is in slack-approval-e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, ChatHandler, ConversationRef, IncomingAction } from '../../src/app/chat.js';
import type { Delivered } from '../../src/app/notifier.js';
import type { RequestAction } from '../../src/core/approval-views.js';
import type { Reply } from '../../src/core/reply.js';
import type { AccessRequest } from '../../src/core/requests/types.js';
import { DECISION_FORMS, REQUEST_FORM, accessRequest, requestView } from '../golden/slack/approval-samples.js';
import {
  CHANNEL,
  USER,
  approvalClickBody,
  blockActionsBody,
  dmChannelOf,
  postSigned,
  viewSubmissionBody,
  type SlackApiCall,
} from '../support/slack-api.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

const FORM = 'application/x-www-form-urlencoded';
const APPROVER = 'U0CAROL1';
const APPROVER_EMAIL = 'carol@contoso.com';
const OUTSIDER = 'U0OUTSDR';
const THREAD = '1710000001.000200';
const DIAGNOSIS_TS = '1800000000.000001';

/** A small approval use case: enough of the contract to drive every Slack surface. */
class ApprovalHandler implements ChatHandler {
  actions: IncomingAction[] = [];
  requests = new Map<string, AccessRequest>();
  dms: Array<Delivered | null> = [];
  cards = new Map<string, { conversation: ConversationRef; ts: string }>();
  /** While set, onAction waits for it (slow Azure). */
  gate: Promise<void> | null = null;
  harness!: Harness;

  async onMessage(): Promise<Reply | null> {
    return null;
  }

  private view(r: AccessRequest, banner: string | null): Reply {
    const actions: RequestAction[] =
      r.status === 'pending'
        ? ['approve', 'deny', 'narrow', 'cancel']
        : r.status === 'applied'
          ? ['extend', 'revoke']
          : [];
    return { type: 'request', view: requestView(r, { actions, banner }) };
  }

  private privately(title: string, text = ''): ActionResult {
    return { reply: { type: 'notice', tone: 'warning', title, text: text || title }, delivery: 'private' };
  }

  async onAction(a: IncomingAction): Promise<ActionResult | null> {
    this.actions.push(a);
    if (this.gate) await this.gate;
    const id = typeof a.data.requestId === 'string' ? a.data.requestId : null;
    const r = id ? this.requests.get(id) : undefined;
    switch (a.verb) {
      case 'request_access':
        return {
          reply: {
            type: 'request_form',
            form: { ...REQUEST_FORM, submitData: { ...REQUEST_FORM.submitData, registryId: a.data.registryId } },
          },
          delivery: 'form',
        };
      case 'submit_request': {
        const req = accessRequest({
          id: `req_${this.requests.size + 1}`,
          reason: String(a.data.reason),
          requester: { platform: 'slack', id: a.actor.id, email: a.actor.email, displayName: a.actor.displayName },
          requiredApprovals: 1,
        });
        this.requests.set(req.id, req);
        const ts = await this.harness.slack.messenger.post(a.conversation, this.view(req, null));
        this.cards.set(req.id, { conversation: a.conversation, ts: ts! });
        this.dms.push(
          await this.harness.slack.messenger.direct(
            { platform: 'slack', userId: null, email: APPROVER_EMAIL },
            this.view(req, 'You are an approver'),
            a.conversation,
          ),
        );
        return { reply: this.view(req, 'Request sent: waiting for 1 approval.'), delivery: 'private' };
      }
      case 'approve': {
        if (!r) return this.privately('Unknown request');
        if (a.actor.id === r.requester.id) return this.privately('You cannot approve your own request');
        if (a.actor.id !== APPROVER)
          return this.privately('Not authorized', 'Only the approvers of myregistry can approve this request.');
        if (a.data.version !== r.version || r.status !== 'pending')
          return this.privately('Already decided', 'Someone acted on this card first.');
        const next = {
          ...r,
          version: r.version + 1,
          status: 'applied' as const,
          approvals: [
            {
              by: {
                platform: 'slack' as const,
                id: a.actor.id,
                email: a.actor.email,
                displayName: a.actor.displayName,
              },
              at: '2026-03-02T09:40:00.000Z',
              as: 'approver' as const,
              comment: null,
            },
          ],
        };
        this.requests.set(r.id, next);
        this.dms.push(
          await this.harness.slack.messenger.direct(
            { platform: 'slack', userId: r.requester.id, email: null },
            this.view(next, 'Approved and applied'),
            a.conversation,
          ),
        );
        return { reply: this.view(next, 'Approved by Carol.'), delivery: 'update' };
      }
      case 'deny':
        if (!r) return this.privately('Unknown request');
        if (a.actor.id !== APPROVER) return this.privately('Not authorized');
        return {
          reply: {
            type: 'decision_form',
            form: {
              ...DECISION_FORMS.deny,
              requestId: r.id,
              version: r.version,
              submitData: { requestId: r.id, version: r.version },
            },
          },
          delivery: 'form',
        };
      case 'submit_deny': {
        if (!r || a.data.version !== r.version) return this.privately('Already decided');
        const next = {
          ...r,
          version: r.version + 1,
          status: 'denied' as const,
          decision: { by: null, at: '2026-03-02T09:50:00.000Z', reason: String(a.data.reason) },
        };
        this.requests.set(r.id, next);
        return { reply: this.view(next, null), delivery: 'update' };
      }
      case 'narrow':
        return { reply: { type: 'decision_form', form: DECISION_FORMS.narrow }, delivery: 'form' };
      case 'submit_narrow':
        // "Shorter only": a duration the form did not offer gets the form again.
        return a.data.duration === '30m'
          ? this.privately('Narrowed')
          : { reply: { type: 'decision_form', form: DECISION_FORMS.narrow }, delivery: 'form' };
      default:
        return null;
    }
  }
}

let h: Harness;
const chat = new ApprovalHandler();

const lastOf = (method: string): SlackApiCall => h.api.callsTo(method).at(-1)!;
const count = (method: string) => h.api.callsTo(method).length;
type View = { callback_id: string; private_metadata: string; blocks: Array<Record<string, unknown>> };

async function click(init: Parameters<typeof blockActionsBody>[0]) {
  return postSigned(h.url, blockActionsBody(init), FORM, { secret: SECRET });
}

/** Request access on the diagnosis card → the form modal (loading first, then the form in its place). */
async function openRequestForm(user = USER): Promise<View> {
  const updates = count('views.update');
  const res = await click({
    actionId: 'request_access',
    value: JSON.stringify({ registryId: REQUEST_FORM.registry.id, rule: '198.51.100.23/32', ip: '198.51.100.23' }),
    user,
    messageTs: DIAGNOSIS_TS,
    threadTs: THREAD,
    responseUrl: h.api.responseUrl('ra'),
    triggerId: `trig-${updates}`,
  });
  expect(res.status).toBe(200);
  const update = (await h.api.waitFor('views.update', updates + 1)).at(-1)!;
  return update.args.view as View;
}

async function submit(view: View, values: { reason?: string; duration?: string; breakGlass?: boolean }, user = USER) {
  return postSigned(h.url, viewSubmissionBody({ view, values, user }), FORM, { secret: SECRET });
}

beforeAll(async () => {
  h = await startHarness(chat);
  chat.harness = h;
  h.api.setUser(APPROVER, { name: 'Carol Approver', email: 'Carol@Contoso.com' });
  h.api.setUser(OUTSIDER, { name: 'Olli Outsider', email: 'olli@contoso.com' });
});
afterAll(async () => {
  await h?.close();
});

describe('Request access → modal → request', () => {
  let form: View;
  let requestId: string;

  it("opens a modal with the click's trigger_id right after the ack, then shows the form in it", async () => {
    const opens = count('views.open');
    form = await openRequestForm();
    const open = h.api.callsTo('views.open')[opens]!;
    expect(open.args.trigger_id).toBe('trig-0');
    expect(JSON.stringify(open.args.view)).toContain('One moment');
    expect(lastOf('views.update').args.view_id).toBe((open.response.view as { id: string }).id);
    expect(form.callback_id).toBe('submit_request');
    const inputs = form.blocks.filter((b) => b.type === 'input').map((b) => b.block_id);
    expect(inputs).toEqual(['reason', 'ticket', 'duration']);
    const meta = JSON.parse(form.private_metadata);
    expect(meta).toEqual({
      submitData: { ...REQUEST_FORM.submitData },
      conversation: {
        channel: CHANNEL,
        threadTs: THREAD,
        messageTs: DIAGNOSIS_TS,
        kind: 'channel',
        teamId: 'T0TEST',
        ephemeral: false,
      },
      reasonRequired: true,
    });
    expect(form.private_metadata.length).toBeLessThanOrEqual(3000);
  });

  it('a missing reason is answered with response_action errors on the reason block; nothing is requested', async () => {
    const handled = chat.actions.length;
    const res = await submit(form, { reason: '   ', duration: '1d' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      response_action: 'errors',
      errors: { reason: expect.stringContaining('reason') },
    });
    await h.settled();
    expect(chat.actions.length).toBe(handled);
  });

  it('an unsigned or forged submission is refused with 401 and reaches nobody', async () => {
    const handled = chat.actions.length;
    const body = viewSubmissionBody({ view: form, values: { reason: 'x', duration: '1d' } });
    expect((await postSigned(h.url, body, FORM, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await postSigned(h.url, body, FORM, { secret: SECRET, omitSignature: true })).status).toBe(401);
    expect(chat.actions.length).toBe(handled);
  });

  it('submitting acks at once (the modal closes), then the request card goes to the thread, a DM to the approver and an ephemeral to the requester', async () => {
    let release!: () => void;
    chat.gate = new Promise((r) => (release = r));
    const posts = count('chat.postMessage');
    const ephemerals = count('chat.postEphemeral');
    const res = await submit(form, { reason: 'INC-4821 <!channel> release', duration: '1d' });
    // The handler is still held: the 200 with an empty body proves the ack did not wait for it.
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    chat.gate = null;
    release();
    await h.api.waitFor('chat.postEphemeral', ephemerals + 1);
    await h.settled();

    const a = chat.actions.at(-1)!;
    expect(a.verb).toBe('submit_request');
    expect(a.data).toEqual({
      ...REQUEST_FORM.submitData,
      reason: 'INC-4821 <!channel> release',
      ticket: '',
      duration: '1d',
      breakGlass: false,
      startsAt: null,
    });
    expect(a.actor).toMatchObject({ platform: 'slack', id: USER, email: 'dev.one@contoso.com' });
    expect(a.conversation).toEqual({
      platform: 'slack',
      kind: 'channel',
      conversationId: CHANNEL,
      threadId: THREAD,
      messageId: DIAGNOSIS_TS,
      teamId: 'T0TEST',
      channelId: CHANNEL,
    });
    requestId = [...chat.requests.keys()].at(-1)!;

    const newPosts = h.api.callsTo('chat.postMessage').slice(posts);
    const card = newPosts.find((c) => c.args.channel === CHANNEL)!;
    expect(card.args.thread_ts).toBe(THREAD);
    const cardJson = JSON.stringify(card.args.blocks);
    expect(cardJson).toContain('"action_id":"approve"');
    expect(cardJson).toContain(JSON.stringify(JSON.stringify({ requestId, version: 1 })).slice(1, -1));
    expect(cardJson).toContain('INC-4821 &lt;!channel&gt; release');
    expect(cardJson).not.toContain('<!channel>');

    expect(lastOf('users.lookupByEmail').args.email).toBe(APPROVER_EMAIL);
    const dm = newPosts.find((c) => c.args.channel === APPROVER)!;
    expect(dm.args.thread_ts).toBeUndefined();
    expect(chat.dms.at(-1)).toEqual({
      conversation: {
        platform: 'slack',
        kind: 'personal',
        conversationId: dmChannelOf(APPROVER),
        threadId: null,
        messageId: expect.stringMatching(/^\d+\.\d+$/),
        teamId: 'T0TEST',
        channelId: dmChannelOf(APPROVER),
        platformData: { userId: APPROVER },
      },
      messageId: expect.stringMatching(/^\d+\.\d+$/),
    });

    const told = lastOf('chat.postEphemeral');
    expect(told.args).toMatchObject({ channel: CHANNEL, user: USER, thread_ts: THREAD });
    expect(String(told.args.text)).toContain('Waiting for approval');
  });

  it('a non-approver\'s Approve gets a private "not authorized"; the card is not touched', async () => {
    const card = chat.cards.get(requestId)!;
    const updates = count('chat.update');
    const ephemerals = count('chat.postEphemeral');
    const res = await postSigned(
      h.url,
      approvalClickBody({
        verb: 'approve',
        requestId,
        version: 1,
        user: OUTSIDER,
        messageTs: card.ts,
        threadTs: THREAD,
        responseUrl: h.api.responseUrl('x1'),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const told = (await h.api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
    await h.settled();
    expect(told.args).toMatchObject({ channel: CHANNEL, user: OUTSIDER, thread_ts: THREAD });
    expect(String(told.args.text)).toContain('Not authorized');
    expect(chat.actions.at(-1)).toMatchObject({
      verb: 'approve',
      data: { requestId, version: 1 },
      actor: { id: OUTSIDER },
    });
    expect(count('chat.update')).toBe(updates);
  });

  it("the requester's own Approve is refused privately", async () => {
    const card = chat.cards.get(requestId)!;
    const ephemerals = count('chat.postEphemeral');
    await postSigned(
      h.url,
      approvalClickBody({
        verb: 'approve',
        requestId,
        version: 1,
        messageTs: card.ts,
        threadTs: THREAD,
        responseUrl: h.api.responseUrl('x2'),
      }),
      FORM,
      { secret: SECRET },
    );
    const told = (await h.api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
    expect(told.args).toMatchObject({ user: USER });
    expect(String(told.args.text)).toContain('own request');
  });

  it('an approver double-clicking Approve: both clicks acked, the card updated once in place, the second told it was decided', async () => {
    const card = chat.cards.get(requestId)!;
    const updates = count('chat.update');
    const ephemerals = count('chat.postEphemeral');
    const body = approvalClickBody({
      verb: 'approve',
      requestId,
      version: 1,
      user: APPROVER,
      messageTs: card.ts,
      threadTs: THREAD,
      responseUrl: h.api.responseUrl('x3'),
    });
    const [r1, r2] = await Promise.all([
      postSigned(h.url, body, FORM, { secret: SECRET }),
      postSigned(h.url, body, FORM, { secret: SECRET }),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await h.api.waitFor('chat.update', updates + 1);
    await h.api.waitFor('chat.postEphemeral', ephemerals + 1);
    await h.settled();
    const changed = h.api.callsTo('chat.update').slice(updates);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.args).toMatchObject({ channel: CHANNEL, ts: card.ts });
    const json = JSON.stringify(changed[0]!.args.blocks);
    expect(json).toContain('Approved by Carol.');
    expect(json).toContain('"action_id":"revoke"');
    expect(json).not.toContain('"action_id":"approve"');
    expect(String(lastOf('chat.postEphemeral').args.text)).toContain('Already decided');
    // The requester is told by DM; the DM lands in the app's DM channel with them.
    expect(chat.dms.at(-1)?.conversation.conversationId).toBe(dmChannelOf(USER));
  });
});

describe('Deny with a reason, and forms that come back', () => {
  async function newRequest(): Promise<{ id: string; ts: string }> {
    const form = await openRequestForm();
    const ephemerals = count('chat.postEphemeral');
    await submit(form, { reason: 'deploy', duration: '4h' });
    await h.api.waitFor('chat.postEphemeral', ephemerals + 1);
    await h.settled();
    const id = [...chat.requests.keys()].at(-1)!;
    return { id, ts: chat.cards.get(id)!.ts };
  }

  it('Deny opens the deny form in a modal; its submission replaces the card (chat.update) with the reason', async () => {
    const { id, ts } = await newRequest();
    const updates = count('views.update');
    await postSigned(
      h.url,
      approvalClickBody({
        verb: 'deny',
        requestId: id,
        version: 1,
        user: APPROVER,
        messageTs: ts,
        threadTs: THREAD,
        responseUrl: h.api.responseUrl('d1'),
        triggerId: 'trig-deny',
      }),
      FORM,
      { secret: SECRET },
    );
    const view = (await h.api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View;
    expect(view.callback_id).toBe('submit_deny');
    expect(JSON.parse(view.private_metadata)).toMatchObject({
      submitData: { requestId: id, version: 1 },
      conversation: { channel: CHANNEL, threadTs: THREAD, messageTs: ts },
    });

    expect(JSON.parse((await submit(view, { reason: '' }, APPROVER)).body)).toMatchObject({
      response_action: 'errors',
      errors: { reason: expect.any(String) },
    });
    const cardUpdates = count('chat.update');
    const res = await submit(view, { reason: 'Use the private endpoint' }, APPROVER);
    expect(res.body).toBe('');
    const update = (await h.api.waitFor('chat.update', cardUpdates + 1)).at(-1)!;
    expect(update.args).toMatchObject({ channel: CHANNEL, ts });
    expect(JSON.stringify(update.args.blocks)).toContain('Use the private endpoint');
    expect(chat.actions.at(-1)).toMatchObject({
      verb: 'submit_deny',
      data: { requestId: id, version: 1, reason: 'Use the private endpoint', duration: null, breakGlass: false },
      actor: { id: APPROVER },
    });
  });

  it('a non-approver\'s Deny shows "not authorized" in the modal that opened, not as a form', async () => {
    const { id, ts } = await newRequest();
    const updates = count('views.update');
    await postSigned(
      h.url,
      approvalClickBody({
        verb: 'deny',
        requestId: id,
        version: 1,
        user: OUTSIDER,
        messageTs: ts,
        threadTs: THREAD,
        responseUrl: h.api.responseUrl('d2'),
      }),
      FORM,
      { secret: SECRET },
    );
    const view = (await h.api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View & { submit?: unknown };
    expect(view.callback_id).toBe('acr_outcome');
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view)).toContain('Not authorized');
  });

  it("a submission answered with a form opens it with the submission's trigger_id", async () => {
    const updates = count('views.update');
    await postSigned(
      h.url,
      approvalClickBody({
        verb: 'narrow',
        requestId: 'req_1',
        version: 2,
        user: APPROVER,
        messageTs: '1800000000.000099',
        threadTs: THREAD,
        responseUrl: h.api.responseUrl('n1'),
      }),
      FORM,
      { secret: SECRET },
    );
    const view = (await h.api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View;
    expect(view.callback_id).toBe('submit_narrow');
    const select = view.blocks.find((b) => b.block_id === 'duration') as {
      element: { initial_option: { value: string } };
    };
    expect(select.element.initial_option.value).toBe('1h');
    const opens = count('views.open');
    await postSigned(
      h.url,
      viewSubmissionBody({ view, values: { duration: '2h' }, user: APPROVER, triggerId: 'trig-after-submit' }),
      FORM,
      { secret: SECRET },
    );
    const open = (await h.api.waitFor('views.open', opens + 1)).at(-1)!;
    expect(open.args.trigger_id).toBe('trig-after-submit');
    expect((open.args.view as View).callback_id).toBe('submit_narrow');
  });

  it('when the trigger has expired, the form is answered as a private message saying to click again', async () => {
    h.api.failNext('views.open', 'expired_trigger_id');
    const ephemerals = count('chat.postEphemeral');
    const updates = count('views.update');
    await click({
      actionId: 'request_access',
      value: JSON.stringify({ registryId: REQUEST_FORM.registry.id, rule: '198.51.100.23/32', ip: '198.51.100.23' }),
      messageTs: DIAGNOSIS_TS,
      threadTs: THREAD,
      responseUrl: h.api.responseUrl('exp'),
    });
    const told = (await h.api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
    await h.settled();
    expect(count('views.update')).toBe(updates);
    expect(JSON.stringify(told.args.blocks)).toContain('Click Request access again');
  });

  it('a submission whose private_metadata is not ours is answered in the modal, never sent to the handler', async () => {
    const handled = chat.actions.length;
    const res = await postSigned(
      h.url,
      viewSubmissionBody({
        view: { callback_id: 'submit_request', private_metadata: '{"x":1}', blocks: [] },
        values: {},
      }),
      FORM,
      { secret: SECRET },
    );
    expect(JSON.parse(res.body)).toMatchObject({
      response_action: 'update',
      view: { type: 'modal', callback_id: 'acr_outcome' },
    });
    expect(JSON.stringify(JSON.parse(res.body))).toContain('This form has expired');
    expect(chat.actions.length).toBe(handled);
  });
});

describe('direct messages', () => {
  const reply: Reply = {
    type: 'notice',
    tone: 'info',
    title: 'Your access expires in 1 hour',
    text: 'Extend it from the request card.',
  };

  it('by user id: posts to the user id and returns the DM channel and ts for later updates', async () => {
    const d = await h.slack.messenger.direct({ platform: 'slack', userId: APPROVER, email: null }, reply, null);
    expect(d).toMatchObject({
      conversation: { platform: 'slack', kind: 'personal', conversationId: dmChannelOf(APPROVER), teamId: null },
      messageId: expect.any(String),
    });
    await h.slack.messenger.update(d!.conversation, d!.messageId!, { ...reply, title: 'Expired' } as Reply);
    expect(lastOf('chat.update').args).toMatchObject({ channel: dmChannelOf(APPROVER), ts: d!.messageId });
  });

  it('null for people Slack does not know, departed users, and other platforms; nothing is posted', async () => {
    h.api.setUser('U0GONE01', { name: 'Gone', email: 'gone@contoso.com', deleted: true });
    const posts = count('chat.postMessage');
    expect(
      await h.slack.messenger.direct({ platform: 'slack', userId: null, email: 'nobody@contoso.com' }, reply, null),
    ).toBeNull();
    expect(
      await h.slack.messenger.direct({ platform: 'slack', userId: null, email: 'gone@contoso.com' }, reply, null),
    ).toBeNull();
    expect(
      await h.slack.messenger.direct({ platform: 'slack', userId: 'U0GONE01', email: null }, reply, null),
    ).toBeNull();
    expect(
      await h.slack.messenger.direct({ platform: 'slack', userId: 'U0UNKNWN', email: null }, reply, null),
    ).toBeNull();
    expect(
      await h.slack.messenger.direct({ platform: 'slack', userId: 'not an id', email: 'not an email' }, reply, null),
    ).toBeNull();
    expect(
      await h.slack.messenger.direct({ platform: 'teams', userId: APPROVER, email: null }, reply, null),
    ).toBeNull();
    expect(count('chat.postMessage')).toBe(posts);
  });

  it('a transient failure throws, so the caller can retry', async () => {
    h.api.failNext('chat.postMessage', 'internal_error');
    await expect(
      h.slack.messenger.direct({ platform: 'slack', userId: APPROVER, email: null }, reply, null),
    ).rejects.toThrow(/internal_error/);
  });
});
