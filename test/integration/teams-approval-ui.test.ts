/**
 * The Teams side of the approval flow over real HTTP: JWT-signed activities into CloudAdapter, the Bot Connector
 * double capturing posts, updates, 1:1 chat creation and roster lookups. The ChatHandler here plays the use case
 * with views built to the contract (src/core/approval-views.ts), using the messenger as the engine uses the
 * Notifier; what is under test is the adapter: forms and their inputs, per-user views (refresh.userIds from the
 * roster), private answers, in-place updates for everyone, DMs, the invoke time budget, and Try again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRequestView } from '../../src/app/approvals/request-view.js';
import type {
  ActionResult,
  ChatHandler,
  ConversationRef,
  IncomingAction,
  IncomingMessage,
} from '../../src/app/chat.js';
import type { Delivered } from '../../src/app/notifier.js';
import type { RequestView } from '../../src/core/approval-views.js';
import type { Reply } from '../../src/core/reply.js';
import { type BY_STATUS, CAROL, DANA, REQUEST_FORM, view } from '../golden/teams/approval-fixtures.js';
import {
  BOT_ACCOUNT,
  CHANNEL_CONVERSATION,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTeamsBot,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type RosterEntry,
  type TeamsBotUnderTest,
  type TokenAuthority,
} from '../support/bot-framework.js';

const TEAM = '19:team-general@thread.tacv2';
const DANA_ACCOUNT = { id: '29:dana-teams-id', name: 'Dana Lee', aadObjectId: DANA.id };
const CAROL_ACCOUNT = { id: '29:carol-teams-id', name: 'Carol Diaz', aadObjectId: CAROL.id };
const EVE_ACCOUNT = { id: '29:eve-teams-id', name: 'Eve Stone', aadObjectId: 'e0e0e0e0-0000-4000-8000-0000000000ee' };
const BOB_ROSTER: RosterEntry = {
  id: '29:bob-teams-id',
  name: 'Bob Ray',
  aadObjectId: 'b0b0b0b0-0000-4000-8000-0000000000bb',
  userPrincipalName: 'bob@acme.example',
};
const ROSTER: RosterEntry[] = [
  { ...DANA_ACCOUNT, userPrincipalName: DANA.email! },
  { ...CAROL_ACCOUNT, userPrincipalName: CAROL.email! },
  { ...EVE_ACCOUNT, userPrincipalName: 'eve@acme.example' },
  BOB_ROSTER,
];
const THREAD = `${CHANNEL_CONVERSATION};messageid=1714000000001`;

type Card = {
  body: unknown[];
  actions?: Array<{ verb?: string; title: string; data?: Record<string, unknown> }>;
  refresh?: { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };
};
const cardOf = (body: Record<string, unknown>): Card => (body.attachments as Array<{ content: Card }>)[0]!.content;
const verbsOf = (c: Card) => (c.actions ?? []).map((a) => a.verb);

/** Plays the use case: forms, request views, and the Notifier calls the engine makes (post, update, direct). */
class ScriptedUseCase implements ChatHandler {
  actions: IncomingAction[] = [];
  messages: IncomingMessage[] = [];
  thread: { conversation: ConversationRef; messageId: string } | null = null;
  dm: Delivered | null = null;
  gate: Promise<void> | null = null;
  failMessages = 0;
  version = 3;
  constructor(private readonly messenger: () => TeamsBotUnderTest['teams']['messenger']) {}

  private view(
    status: keyof typeof BY_STATUS,
    audience: RequestView['audience'],
    actions?: RequestView['actions'],
  ): RequestView {
    const v = view(status, audience === 'snapshot' ? 'personal' : audience);
    return buildRequestView({
      request: { ...v.request, version: this.version },
      audience,
      actions: actions ?? v.actions,
      banner: v.banner,
      approvers: [
        { kind: 'teams', value: CAROL.id },
        { kind: 'email', value: 'bob@acme.example' },
        { kind: 'group', value: '5e2d1c0b-9a8f-4e7d-8c6b-a1b2c3d4e5f6' },
      ],
      approversSummary: v.approversSummary,
      flags: v.warnings?.items ?? [],
    });
  }

  async onMessage(m: IncomingMessage): Promise<Reply | null> {
    this.messages.push(m);
    if (this.failMessages > 0) {
      this.failMessages -= 1;
      throw new Error('registry gateway exploded');
    }
    return m.addressed ? { type: 'help' } : null;
  }

  async onAction(a: IncomingAction): Promise<ActionResult | null> {
    this.actions.push(a);
    if (this.gate) await this.gate;
    const isCarol = a.actor.id === CAROL.id;
    switch (a.verb) {
      case 'request_access':
        return { reply: { type: 'request_form', form: REQUEST_FORM }, delivery: 'form' };
      case 'submit_request': {
        // The engine would create the request, post its card in the thread and DM the approvers.
        const messenger = this.messenger();
        const threadRef: ConversationRef = { ...a.conversation, messageId: null };
        const id = await messenger.post(threadRef, { type: 'request', view: this.view('pending', 'conversation') });
        this.thread = { conversation: threadRef, messageId: id! };
        this.dm = await messenger.direct(
          { platform: 'teams', userId: CAROL.id, email: null },
          { type: 'request', view: this.view('pending', 'personal', ['approve', 'deny', 'narrow']) },
          a.conversation,
        );
        return { reply: { type: 'request', view: this.view('pending', 'personal', ['cancel']) }, delivery: 'private' };
      }
      case 'refresh_request':
        return {
          reply: {
            type: 'request',
            view: this.view(
              'pending',
              'personal',
              isCarol ? ['approve', 'deny', 'narrow'] : a.actor.id === DANA.id ? ['cancel'] : [],
            ),
          },
          delivery: 'private',
        };
      case 'approve': {
        if (!isCarol) {
          return {
            reply: {
              type: 'notice',
              tone: 'warning',
              title: 'Not authorized',
              text: 'Only the approvers named by policy for acmeprod can approve this request.',
            },
            delivery: 'private',
          };
        }
        this.version += 1;
        await this.messenger().update(this.thread!.conversation, this.thread!.messageId, {
          type: 'request',
          view: this.view('approved', 'conversation', []),
        });
        return { reply: { type: 'request', view: this.view('approved', 'personal', []) }, delivery: 'private' };
      }
      case 'narrow':
        // An `update` answered with a personal view: everyone must still get the card without buttons.
        return {
          reply: { type: 'request', view: this.view('pending', 'personal', ['approve', 'deny']) },
          delivery: 'update',
        };
      case 'cancel':
        return { reply: { type: 'request', view: this.view('cancelled', 'conversation', []) }, delivery: 'update' };
      default:
        return null;
    }
  }
}

let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: TeamsBotUnderTest;
let chat: ScriptedUseCase;

beforeAll(async () => {
  authority = await startTokenAuthority();
  connector = await startConnectorDouble({ roster: { [TEAM]: ROSTER } });
  chat = new ScriptedUseCase(() => bot.teams.messenger);
  bot = await startTeamsBot({ env: authority.settings(), chat, invokeBudgetMs: 300 });
});
afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await authority?.close();
});
beforeEach(() => {
  connector.captured.length = 0;
  connector.conversations.length = 0;
  connector.memberLookups.length = 0;
  chat.actions.length = 0;
  chat.gate = null;
});

const bearer = async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;
async function click(o: {
  verb: string;
  data?: Record<string, unknown>;
  from?: Record<string, unknown>;
  replyToId?: string;
  trigger?: 'manual' | 'automatic';
  conversationType?: 'personal' | 'channel';
}) {
  const activity = cardActionActivity({
    serviceUrl: connector.serviceUrl,
    verb: o.verb,
    data: o.data ?? {},
    replyToId: o.replyToId ?? 'diagnosis-card-1',
    from: o.from ?? DANA_ACCOUNT,
    ...(o.trigger ? { trigger: o.trigger } : {}),
    ...(o.conversationType === 'personal' ? { conversationType: 'personal' as const } : { conversationId: THREAD }),
  });
  const r = await postActivity(bot.url, activity, await bearer());
  return {
    status: r.status,
    body: JSON.parse(r.body || '{}') as {
      statusCode: number;
      type: string;
      value: Card & { code?: string; message?: string };
    },
  };
}

describe('Teams approval flow plumbing', () => {
  it('Request access → the form, privately: reason, duration and break-glass inputs, submit_request with the form data', async () => {
    const r = await click({
      verb: 'request_access',
      data: { registryId: REQUEST_FORM.registry.id, rule: REQUEST_FORM.rule, ip: REQUEST_FORM.ip },
    });
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const json = JSON.stringify(r.body.value);
    for (const id of ['"id":"reason"', '"id":"duration"', '"id":"breakGlass"']) expect(json).toContain(id);
    expect(r.body.value.actions![0]).toMatchObject({ verb: 'submit_request', data: REQUEST_FORM.submitData });
    // A form is the clicker's: no update of the card everyone sees, no post.
    expect(connector.captured).toEqual([]);
  });

  let submitted: Awaited<ReturnType<typeof click>>;
  it('submit: the inputs arrive in IncomingAction.data; the request card is posted in the thread with refresh.userIds; the approver gets a DM', async () => {
    // What Teams sends for Action.Execute: the action's data with each input's value merged in under its id, as strings.
    submitted = await click({
      verb: 'submit_request',
      data: { ...REQUEST_FORM.submitData, reason: 'Nightly build pool moved', duration: '1h', breakGlass: 'false' },
    });
    expect(submitted.status).toBe(200);
    const action = chat.actions.at(-1)!;
    expect(action.data).toEqual({
      ...REQUEST_FORM.submitData,
      reason: 'Nightly build pool moved',
      duration: '1h',
      breakGlass: 'false',
    });
    expect(action.actor).toMatchObject({ id: DANA.id, platformUserId: DANA_ACCOUNT.id });

    // The requester's own answer: their view (Cancel), privately.
    expect(verbsOf(submitted.body.value)).toEqual(['cancel']);

    // 1. The card everyone in the thread sees: no decision buttons, a refresh for Carol (AAD id → 29: through the
    //    team roster), Bob (UPN → 29:) and Dana (the requester may cancel). The group cannot be resolved.
    const posts = connector.captured.filter((c) => c.method === 'POST');
    const threadPost = posts.find((c) => c.url === `/v3/conversations/${THREAD}/activities`)!;
    expect(threadPost).toBeDefined();
    const threadCard = cardOf(threadPost.body);
    expect(threadCard.actions ?? []).toEqual([]);
    expect(threadCard.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh_request', data: { requestId: 'req_01JD7Q3ZK8' } },
      userIds: ['29:carol-teams-id', '29:bob-teams-id', '29:dana-teams-id'],
    });
    // Carol was looked up by AAD object id and Bob by UPN, in the team's roster; Dana was known from her own activity.
    expect(connector.memberLookups).toEqual(
      expect.arrayContaining([
        { conversationId: TEAM, user: CAROL.id, found: true },
        { conversationId: TEAM, user: 'bob@acme.example', found: true },
      ]),
    );
    expect(connector.memberLookups.some((l) => l.user === '5e2d1c0b-9a8f-4e7d-8c6b-a1b2c3d4e5f6')).toBe(false);

    // 2. The DM: a 1:1 chat created with Carol's Teams id in the tenant, and her personal view posted there.
    expect(connector.conversations).toHaveLength(1);
    expect(connector.conversations[0]!.body).toMatchObject({
      isGroup: false,
      members: [{ id: '29:carol-teams-id' }],
      tenantId: 'tenant-1',
      bot: { id: BOT_ACCOUNT.id },
    });
    const dmPost = posts.find((c) => c.url === '/v3/conversations/a:dm-1/activities')!;
    expect(verbsOf(cardOf(dmPost.body))).toEqual(['approve', 'deny', 'narrow']);
    expect(cardOf(dmPost.body).refresh?.userIds).toEqual(['29:carol-teams-id']);
    expect(chat.dm).toMatchObject({
      messageId: `reply-${connector.captured.indexOf(dmPost) + 1}`,
      conversation: { platform: 'teams', kind: 'personal', conversationId: 'a:dm-1' },
    });
    expect(chat.dm!.conversation.platformData?.conversationReference).toMatchObject({
      serviceUrl: connector.serviceUrl,
      conversation: { id: 'a:dm-1', conversationType: 'personal' },
      user: { id: '29:carol-teams-id' },
    });
  });

  it("the approver's automatic refresh → her personal view with Approve, bound to request id + version, and the same refresh", async () => {
    const r = await click({
      verb: 'refresh_request',
      data: { requestId: 'req_01JD7Q3ZK8' },
      from: CAROL_ACCOUNT,
      trigger: 'automatic',
      replyToId: chat.thread!.messageId,
    });
    expect(r.status).toBe(200);
    expect(verbsOf(r.body.value)).toEqual(['approve', 'deny', 'narrow']);
    expect(r.body.value.actions![0]!.data).toEqual({ requestId: 'req_01JD7Q3ZK8', version: 3 });
    expect(r.body.value.refresh?.userIds).toEqual(['29:carol-teams-id', '29:bob-teams-id', '29:dana-teams-id']);
    // Cached: no new roster lookups, and nothing sent to the conversation.
    expect(connector.memberLookups).toEqual([]);
    expect(connector.captured).toEqual([]);
  });

  it('a non-approver clicking Approve (a card from a manual refresh): a private "not authorized", nothing updated', async () => {
    const r = await click({
      verb: 'approve',
      data: { requestId: 'req_01JD7Q3ZK8', version: 3 },
      from: EVE_ACCOUNT,
      replyToId: chat.thread!.messageId,
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body.value)).toContain('Not authorized');
    expect(connector.captured).toEqual([]);
  });

  it('the approver approves: a private answer, and the thread card updated in place (PUT) for everyone', async () => {
    const r = await click({
      verb: 'approve',
      data: { requestId: 'req_01JD7Q3ZK8', version: 3 },
      from: CAROL_ACCOUNT,
      replyToId: chat.thread!.messageId,
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body.value)).toContain('Approved: applying next');
    expect(connector.captured).toHaveLength(1);
    const put = connector.captured[0]!;
    expect(put.method).toBe('PUT');
    expect(put.url).toBe(`/v3/conversations/${THREAD}/activities/${chat.thread!.messageId}`);
    const card = cardOf(put.body);
    expect(card.actions ?? []).toEqual([]);
    expect(JSON.stringify(card)).toContain('Approved: applying next');
  });

  it('a DM card can be updated in place later (its reference was kept)', async () => {
    await bot.teams.messenger.update(chat.dm!.conversation, chat.dm!.messageId!, {
      type: 'request',
      view: view('approved', 'personal'),
    });
    const [put] = await connector.waitFor(1);
    expect(put!.method).toBe('PUT');
    expect(put!.url).toBe(`/v3/conversations/a:dm-1/activities/${chat.dm!.messageId}`);
  });

  it('an `update` answered with a personal view: the clicker sees the buttons, everyone else the card without them', async () => {
    const r = await click({
      verb: 'narrow',
      data: { requestId: 'req_01JD7Q3ZK8', version: 4 },
      from: CAROL_ACCOUNT,
      replyToId: 'request-card-9',
    });
    expect(verbsOf(r.body.value)).toEqual(['approve', 'deny']);
    const [put] = await connector.waitFor(1);
    expect(put!.url).toBe(`/v3/conversations/${THREAD}/activities/request-card-9`);
    expect(cardOf(put!.body).actions ?? []).toEqual([]);
    expect(cardOf(put!.body).refresh?.action.verb).toBe('refresh_request');
  });

  it('in a 1:1 chat a request card refreshes for the person in it', async () => {
    const r = await click({
      verb: 'refresh_request',
      data: { requestId: 'req_01JD7Q3ZK8' },
      from: CAROL_ACCOUNT,
      conversationType: 'personal',
      trigger: 'automatic',
    });
    expect(r.body.value.refresh?.userIds).toEqual(['29:carol-teams-id']);
    expect(connector.memberLookups).toEqual([]);
  });
});

describe('DMs', () => {
  const via = (): ConversationRef => chat.thread!.conversation;

  it('by email/UPN: resolved in the roster of the conversation the request came from', async () => {
    const d = await bot.teams.messenger.direct(
      { platform: 'teams', userId: null, email: 'eve@acme.example' },
      { type: 'notice', tone: 'info', title: 'Applied', text: 'Your rule is in.' },
      via(),
    );
    expect(d).not.toBeNull();
    expect(connector.memberLookups).toEqual([{ conversationId: TEAM, user: 'eve@acme.example', found: true }]);
    expect(connector.conversations[0]!.body).toMatchObject({ members: [{ id: '29:eve-teams-id' }] });
  });

  it('the same person twice: the same 1:1 chat, no second lookup', async () => {
    const first = await bot.teams.messenger.direct(
      { platform: 'teams', userId: CAROL.id, email: null },
      { type: 'help' },
      via(),
    );
    const second = await bot.teams.messenger.direct(
      { platform: 'teams', userId: CAROL.id, email: null },
      { type: 'help' },
      via(),
    );
    expect(first!.conversation.conversationId).toBe(second!.conversation.conversationId);
    expect(connector.memberLookups).toEqual([]);
  });

  it('someone not in the roster: null, a log line, no chat created', async () => {
    const before = bot.logs.length;
    const d = await bot.teams.messenger.direct(
      { platform: 'teams', userId: 'f0f0f0f0-0000-4000-8000-0000000000ff', email: 'mallory@elsewhere.example' },
      { type: 'help' },
      via(),
    );
    expect(d).toBeNull();
    expect(connector.conversations).toEqual([]);
    expect(connector.captured).toEqual([]);
    expect(bot.logs.slice(before).some((l) => l.includes('cannot DM on Teams'))).toBe(true);
    // Both keys were tried; the misses are remembered, so a second try asks nobody.
    expect(connector.memberLookups.map((l) => l.user)).toEqual([
      'f0f0f0f0-0000-4000-8000-0000000000ff',
      'mallory@elsewhere.example',
    ]);
    await bot.teams.messenger.direct(
      { platform: 'teams', userId: 'f0f0f0f0-0000-4000-8000-0000000000ff', email: 'mallory@elsewhere.example' },
      { type: 'help' },
      via(),
    );
    expect(connector.memberLookups).toHaveLength(2);
  });

  it('someone the bot saw join a conversation (conversationUpdate) is reached without a lookup', async () => {
    const gina = { id: '29:gina-teams-id', name: 'Gina Park', aadObjectId: '9a9a9a9a-0000-4000-8000-00000000009a' };
    const update = teamsActivity({
      serviceUrl: connector.serviceUrl,
      type: 'conversationUpdate',
      conversationType: 'groupChat',
      from: DANA_ACCOUNT,
      extra: { membersAdded: [gina, BOT_ACCOUNT], text: undefined },
    });
    expect((await postActivity(bot.url, update, await bearer())).status).toBe(200);
    const d = await bot.teams.messenger.direct(
      { platform: 'teams', userId: gina.aadObjectId, email: null },
      { type: 'help' },
      via(),
    );
    expect(d).not.toBeNull();
    expect(connector.memberLookups).toEqual([]);
    expect(connector.conversations[0]!.body).toMatchObject({ members: [{ id: gina.id }] });
  });

  it('without a via conversation: the service URL and tenant the bot has seen, for a person it knows', async () => {
    const d = await bot.teams.messenger.direct(
      { platform: 'teams', userId: CAROL.id, email: null },
      { type: 'help' },
      null,
    );
    expect(d).not.toBeNull();
    expect(connector.conversations.at(-1)!.body).toMatchObject({
      members: [{ id: '29:carol-teams-id' }],
      tenantId: 'tenant-1',
    });
  });

  it('without a via conversation, once a second tenant has been seen: null (which tenant is unknown), nothing sent', async () => {
    const other = teamsActivity({
      serviceUrl: connector.serviceUrl,
      conversationType: 'personal',
      from: EVE_ACCOUNT,
      text: 'hi',
      extra: { channelData: { tenant: { id: 'tenant-2' } } },
    });
    expect((await postActivity(bot.url, other, await bearer())).status).toBe(200);
    const before = connector.conversations.length;
    expect(
      await bot.teams.messenger.direct({ platform: 'teams', userId: CAROL.id, email: null }, { type: 'help' }, null),
    ).toBeNull();
    expect(connector.conversations.length).toBe(before);
    // With a via conversation it still works.
    expect(
      await bot.teams.messenger.direct({ platform: 'teams', userId: CAROL.id, email: null }, { type: 'help' }, via()),
    ).not.toBeNull();
  });

  it('a Slack person is not for the Teams messenger', async () => {
    expect(
      await bot.teams.messenger.direct(
        { platform: 'slack', userId: 'U0123ABCD', email: null },
        { type: 'help' },
        via(),
      ),
    ).toBeNull();
  });
});

describe('roster lookups', () => {
  it('a directory slower than the budget: the card goes out with the ids known so far, and the late answer is kept', async () => {
    const FRANK: RosterEntry = {
      id: '29:frank-teams-id',
      name: 'Frank Ode',
      aadObjectId: 'f7a7a7a7-0000-4000-8000-0000000000f7',
      userPrincipalName: 'frank@acme.example',
    };
    connector.roster.get(TEAM)!.push(FRANK);
    const v: RequestView = {
      ...view('pending', 'conversation'),
      approvers: [
        { kind: 'teams', value: CAROL.id },
        { kind: 'teams', value: FRANK.aadObjectId },
      ],
    };
    let release!: () => void;
    connector.holdMembers = new Promise<void>((resolve) => (release = resolve));
    try {
      await bot.teams.messenger.post(chat.thread!.conversation, { type: 'request', view: v });
      const [first] = await connector.waitFor(1);
      // Carol (cached) and Dana (requester, learned from her activities); Frank's lookup is still waiting.
      expect(cardOf(first!.body).refresh?.userIds).toEqual(['29:carol-teams-id', '29:dana-teams-id']);
    } finally {
      connector.holdMembers = null;
      release();
    }
    for (let i = 0; i < 100 && bot.teams.roster.cached(FRANK.aadObjectId) === null; i++)
      await new Promise((r) => setTimeout(r, 20));
    connector.captured.length = 0;
    connector.memberLookups.length = 0;
    await bot.teams.messenger.post(chat.thread!.conversation, { type: 'request', view: v });
    const [second] = await connector.waitFor(1);
    expect(cardOf(second!.body).refresh?.userIds).toEqual([
      '29:carol-teams-id',
      '29:frank-teams-id',
      '29:dana-teams-id',
    ]);
    expect(connector.memberLookups).toEqual([]);
  });
});

describe('the invoke time budget', () => {
  it('a slow `update`: an interim card at once, then the result for everyone by updateActivity', async () => {
    let release!: () => void;
    chat.gate = new Promise<void>((resolve) => (release = resolve));
    const r = await click({
      verb: 'cancel',
      data: { requestId: 'req_01JD7Q3ZK8', version: 4 },
      replyToId: 'request-card-5',
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body.value)).toContain('Working on it');
    expect(connector.captured).toEqual([]);
    release();
    const [put] = await connector.waitFor(1);
    expect(put!.method).toBe('PUT');
    expect(put!.url).toBe(`/v3/conversations/${THREAD}/activities/request-card-5`);
    expect(JSON.stringify(cardOf(put!.body))).toContain('Cancelled');
  });

  it('a slow refresh: an error answer (the viewer keeps the shared card), never an interim card or an update', async () => {
    let release!: () => void;
    chat.gate = new Promise<void>((resolve) => (release = resolve));
    const r = await click({
      verb: 'refresh_request',
      data: { requestId: 'req_01JD7Q3ZK8' },
      from: CAROL_ACCOUNT,
      trigger: 'automatic',
    });
    expect(r.status).toBe(503);
    expect(r.body.type).toBe('application/vnd.microsoft.error');
    release();
    await bot.teams.drain();
    expect(connector.captured).toEqual([]);
  });

  it('a slow private answer in a channel is not shown to everyone', async () => {
    let release!: () => void;
    chat.gate = new Promise<void>((resolve) => (release = resolve));
    const r = await click({ verb: 'approve', data: { requestId: 'req_01JD7Q3ZK8', version: 9 }, from: EVE_ACCOUNT });
    expect(JSON.stringify(r.body.value)).toContain('Working on it');
    const before = bot.logs.length;
    release();
    await bot.teams.drain();
    expect(connector.captured).toEqual([]);
    expect(bot.logs.slice(before).some((l) => l.includes('late private answer not delivered'))).toBe(true);
  });
});

describe('Try again', () => {
  it('carries the words it answered and reads them again, replacing the notice for everyone', async () => {
    chat.failMessages = 1;
    await postActivity(
      bot.url,
      teamsActivity({ serviceUrl: connector.serviceUrl, mentionBot: true, text: 'help', from: DANA_ACCOUNT }),
      await bearer(),
    );
    const [notice] = await connector.waitFor(1);
    const retry = cardOf(notice!.body).actions!.find((a) => a.verb === 'retry')!;
    expect(retry.data).toEqual({ text: 'help', addressed: true });

    connector.captured.length = 0;
    const r = await click({ verb: 'retry', data: retry.data!, replyToId: 'notice-card-1' });
    expect(JSON.stringify(r.body.value)).toContain('ACR access helper');
    expect(chat.messages.at(-1)).toMatchObject({ text: 'help', addressed: true, actor: { id: DANA.id } });
    const [put] = await connector.waitFor(1);
    expect(put!.method).toBe('PUT');
    expect(put!.url).toBe(`/v3/conversations/${THREAD}/activities/notice-card-1`);
    // The handler's onAction was not asked: Try again is the adapter's own re-read.
    expect(chat.actions).toEqual([]);
  });

  it('an older card with empty data still goes to the handler', async () => {
    const r = await click({ verb: 'retry', data: {} });
    expect(chat.actions.map((a) => a.verb)).toEqual(['retry']);
    expect(r.status).toBe(400); // this scripted handler owns no `retry`
  });
});
