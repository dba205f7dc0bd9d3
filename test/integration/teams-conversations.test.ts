/**
 * Conversations over real HTTP: authenticated activities into POST /api/messages (CloudAdapter), replies captured
 * by the Bot Connector double. Until the diagnosis engineer's ChatHandler lands, a small real handler here
 * recognises the ACR denial and answers with a diagnosis of the IP it read.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionResult, ChatHandler, IncomingAction, IncomingMessage } from '../../src/app/chat.js';
import { MessageClaims } from '../../src/app/message-claims.js';
import type { Reply } from '../../src/core/reply.js';
import { BY_CAUSE, REPLIES, finding } from '../golden/teams/fixtures.js';
import {
  BOT_ACCOUNT,
  CHANNEL_CONVERSATION,
  USER_ACCOUNT,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTeamsBot,
  startTokenAuthority,
  teamsActivity,
  type ActivityOptions,
  type ConnectorDouble,
  type TeamsBotUnderTest,
  type TokenAuthority,
} from '../support/bot-framework.js';

/**
 * A small real handler: a denial with an IP → diagnosis; `help` when addressed; show_rules → firewall. Like the real
 * chat service, it answers a message's once-key once (claims in memory here).
 */
class PasteChat implements ChatHandler {
  messages: IncomingMessage[] = [];
  actions: IncomingAction[] = [];
  failNext = false;
  gate: Promise<void> | null = null;
  claims = new MessageClaims(null);
  async onMessage(m: IncomingMessage): Promise<Reply | null> {
    this.messages.push(m);
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('registry gateway exploded');
    }
    const ip = /client with IP '([^']+)' is not allowed access/.exec(m.text)?.[1];
    const help = m.addressed && /^\s*help\s*$/i.test(m.text);
    if (!ip && !help) return null;
    if (m.onceKey !== undefined && !(await this.claims.claim(m.onceKey, 'teams'))) return null;
    if (ip)
      return {
        type: 'diagnoses',
        diagnoses: [{ ...BY_CAUSE.ip_not_allowed, finding: finding({ ip, excerpt: m.text.slice(0, 200) }) }],
      };
    return { type: 'help' };
  }
  async onAction(a: IncomingAction): Promise<ActionResult | null> {
    this.actions.push(a);
    if (a.verb === 'show_rules') return { reply: REPLIES.firewall!, delivery: 'update' };
    if (a.verb === 'explode') throw new Error('boom');
    return null;
  }
}

let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: TeamsBotUnderTest;
const chat = new PasteChat();
const PASTE =
  'Error response from daemon: Head "https://contosoprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP \'198.51.100.23\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.';

beforeAll(async () => {
  authority = await startTokenAuthority();
  connector = await startConnectorDouble();
  bot = await startTeamsBot({ env: authority.settings(), chat });
});
afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await authority?.close();
});
beforeEach(() => {
  chat.messages = [];
  chat.actions = [];
  connector.captured.length = 0;
});

async function send(activity: Record<string, unknown> | string) {
  const token = await authority.token({ serviceUrl: connector.serviceUrl });
  return postActivity(bot.url, activity, `Bearer ${token}`);
}
const msg = (o: Partial<ActivityOptions>) => teamsActivity({ serviceUrl: connector.serviceUrl, ...o });
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
type CardJson = { body: unknown[] };
const cardOf = (body: Record<string, unknown>) =>
  (body.attachments as Array<{ contentType: string; content: CardJson }>)[0]!;

describe('Teams conversations', () => {
  it('a pasted error in a channel: exactly one threaded reply with the card', async () => {
    const activity = msg({ id: '1712345678901', text: PASTE, conversationType: 'channel' });
    const r = await send(activity);
    expect(r.status).toBe(200);
    const [reply, ...more] = await connector.waitFor(1);
    await settle();
    expect(more).toHaveLength(0);
    expect(reply!.method).toBe('POST');
    // Into the thread: the channel conversation with ;messageid=<root>, as a reply to the pasted message.
    expect(reply!.url).toBe(
      `/v3/conversations/${CHANNEL_CONVERSATION};messageid=1712345678901/activities/1712345678901`,
    );
    expect(reply!.body.replyToId).toBe('1712345678901');
    const attachment = cardOf(reply!.body);
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const text = JSON.stringify(attachment.content);
    expect(text).toContain('Registry firewall: this IP is not allowed');
    expect(text).toContain('198.51.100.23');

    const [m] = chat.messages;
    expect(m!.addressed).toBe(false);
    expect(m!.text).toBe(PASTE);
    expect(m!.actor).toEqual({
      platform: 'teams',
      id: USER_ACCOUNT.aadObjectId,
      platformUserId: USER_ACCOUNT.id,
      displayName: USER_ACCOUNT.name,
      email: null,
    });
    expect(m!.conversation).toMatchObject({
      platform: 'teams',
      conversationId: `${CHANNEL_CONVERSATION};messageid=1712345678901`,
      threadId: '1712345678901',
      messageId: '1712345678901',
      teamId: '19:team-general@thread.tacv2',
      channelId: CHANNEL_CONVERSATION,
    });
    const ref = m!.conversation.platformData!.conversationReference as Record<string, unknown>;
    expect(ref.serviceUrl).toBe(connector.serviceUrl);
    expect(ref.bot).toMatchObject({ id: BOT_ACCOUNT.id });
    expect(ref.conversation).toMatchObject({ id: `${CHANNEL_CONVERSATION};messageid=1712345678901` });
  });

  it('a redelivered activity is answered once', async () => {
    const activity = msg({ id: '1712345670001', text: PASTE });
    expect((await send(activity)).status).toBe(200);
    expect((await send(activity)).status).toBe(200);
    await settle();
    expect(connector.captured).toHaveLength(1);
    // Both deliveries reach the handler under one once-key; it answers the first only.
    expect(chat.messages).toHaveLength(2);
    expect(chat.messages[0]!.onceKey).toBeDefined();
    expect(chat.messages[1]!.onceKey).toBe(chat.messages[0]!.onceKey);
  });

  it('a reply inside an existing thread is answered in that thread', async () => {
    const activity = msg({
      id: '1712345670555',
      text: PASTE,
      extra: { conversation: { id: `${CHANNEL_CONVERSATION};messageid=1712340000000`, conversationType: 'channel' } },
    });
    await send(activity);
    const [reply] = await connector.waitFor(1);
    expect(reply!.url).toBe(
      `/v3/conversations/${CHANNEL_CONVERSATION};messageid=1712340000000/activities/1712345670555`,
    );
    expect(chat.messages[0]!.conversation.threadId).toBe('1712340000000');
  });

  it('channel chatter (no ACR error): no reply', async () => {
    const r = await send(msg({ text: 'anyone up for lunch? the build is green btw' }));
    expect(r.status).toBe(200);
    await settle();
    expect(chat.messages).toHaveLength(1);
    expect(connector.captured).toHaveLength(0);
  });

  it('prefers the text/html attachment (Teams drops <…> from text)', async () => {
    const html =
      "<p>Error response from daemon: Get &quot;https://&lt;acr-name&gt;.azurecr.io/v2/&quot;: denied: client with IP '198.51.100.9' is not allowed access</p>";
    await send(msg({ text: 'Error response from daemon: Get "https://.azurecr.io/v2/": denied', html }));
    expect(chat.messages[0]!.text).toBe(html);
  });

  it('an @mention in a channel: addressed, the bot mention stripped from text and HTML', async () => {
    await send(msg({ mentionBot: true, text: 'help' }));
    expect(chat.messages[0]).toMatchObject({ addressed: true, text: 'help' });
    const [reply] = await connector.waitFor(1);
    expect(JSON.stringify(cardOf(reply!.body).content)).toContain('ACR access helper');

    const html = `<p><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">${BOT_ACCOUNT.name}</span>&nbsp;contosoprod <span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="1">Adele Vance</span></p>`;
    await send(msg({ mentionBot: true, text: 'contosoprod', html }));
    const text = chat.messages[1]!.text;
    expect(text).not.toContain(BOT_ACCOUNT.name);
    expect(text).toContain('contosoprod');
    expect(text).toContain('Adele Vance'); // other people's mentions stay
  });

  it('personal chat is addressed without a mention; group chat without a mention is not', async () => {
    await send(msg({ conversationType: 'personal', text: 'help' }));
    expect(chat.messages[0]).toMatchObject({
      addressed: true,
      conversation: { threadId: null, platformData: { conversationType: 'personal' } },
    });
    const [reply] = await connector.waitFor(1);
    expect(reply!.url).toMatch(/^\/v3\/conversations\/a:1personal-chat\/activities\//);
    await send(msg({ conversationType: 'groupChat', text: 'help' }));
    expect(chat.messages[1]).toMatchObject({ addressed: false });
    await settle();
    expect(connector.captured).toHaveLength(1);
    await send(msg({ conversationType: 'groupChat', text: PASTE }));
    await connector.waitFor(2);
  });

  it('maps the UPN when the channel account carries one', async () => {
    await send(msg({ text: 'hi', from: { ...USER_ACCOUNT, userPrincipalName: 'Megan.Bowen@Contoso.com' } }));
    expect(chat.messages[0]!.actor.email).toBe('megan.bowen@contoso.com');
  });

  it('adaptiveCard/action: 200 with the rendered card, and the card updated in place for everyone', async () => {
    const r = await send(
      cardActionActivity({
        serviceUrl: connector.serviceUrl,
        verb: 'show_rules',
        data: { registryId: '/subscriptions/x/registries/contosoprod' },
        replyToId: 'card-42',
      }),
    );
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { statusCode: number; type: string; value: CardJson };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain('Firewall of contosoprod');
    expect(chat.actions[0]).toMatchObject({
      verb: 'show_rules',
      data: { registryId: '/subscriptions/x/registries/contosoprod' },
      actor: { id: USER_ACCOUNT.aadObjectId },
      conversation: { messageId: 'card-42' },
    });
    const [put] = await connector.waitFor(1);
    expect(put!.method).toBe('PUT');
    expect(put!.url).toMatch(/\/activities\/card-42$/);
    expect(cardOf(put!.body).content).toEqual(body.value);
  });

  it('invokes the handler cannot act on: 400 invoke errors, never a crash', async () => {
    const cases = [
      cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'show_rules', actionType: 'Action.Submit' }),
      cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'Robert"); DROP TABLE' }),
      cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'no_such_verb' }),
      { ...cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'x' }), value: undefined },
      { ...cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'x' }), value: { action: 'not an object' } },
    ];
    for (const c of cases) {
      const r = await send(c);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    }
    expect(chat.actions.map((a) => a.verb)).toEqual(['no_such_verb']);
    const boom = await send(cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'explode' }));
    expect(boom.status).toBe(500);
    expect(JSON.parse(boom.body)).toMatchObject({ type: 'application/vnd.microsoft.error' });
    const other = await send({
      ...cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'x' }),
      name: 'composeExtension/query',
    });
    expect(other.status).toBe(501);
    await settle();
    expect(connector.captured).toHaveLength(0);
    // Still serving.
    expect((await send(msg({ text: PASTE }))).status).toBe(200);
  });

  it('malformed bodies: 400 and the handler never runs', async () => {
    const bad: Array<Record<string, unknown> | string> = [
      '{not json',
      '[1,2,3]',
      '"just a string"',
      { ...msg({ text: PASTE }), type: undefined },
      { ...msg({ text: PASTE }), serviceUrl: 'javascript:alert(1)' },
      { ...msg({ text: PASTE }), conversation: undefined },
      { ...msg({ text: PASTE }), from: 'someone' },
      { ...msg({ text: PASTE }), entities: 'x' },
    ];
    for (const b of bad) expect((await send(b)).status, JSON.stringify(b).slice(0, 60)).toBe(400);
    expect(chat.messages).toHaveLength(0);
    await settle();
    expect(connector.captured).toHaveLength(0);
  });

  it('a handler failure: an error notice when addressed, silence for channel chatter, and a redelivery may retry', async () => {
    chat.failNext = true;
    const addressed = msg({ conversationType: 'personal', text: PASTE });
    expect((await send(addressed)).status).toBe(200);
    const [notice] = await connector.waitFor(1);
    expect(JSON.stringify(cardOf(notice!.body).content)).toContain('Something went wrong');
    expect(bot.logs.join('\n')).toContain('registry gateway exploded');

    chat.failNext = true;
    const chatter = msg({ id: '1712345679999', text: PASTE });
    expect((await send(chatter)).status).toBe(200);
    await settle();
    expect(connector.captured).toHaveLength(1);
    expect((await send(chatter)).status).toBe(200); // redelivered after the failure: answered now
    await connector.waitFor(2);
  });

  it('graceful shutdown waits for an in-flight turn to post its reply', async () => {
    const local = await startTeamsBot({ env: authority.settings(), chat });
    let open!: () => void;
    chat.gate = new Promise<void>((resolve) => (open = resolve));
    try {
      const token = await authority.token({ serviceUrl: connector.serviceUrl });
      const pending = postActivity(local.url, msg({ text: PASTE }), `Bearer ${token}`);
      while (chat.messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const closing = local.close();
      open();
      const [r] = await Promise.all([pending, closing]);
      expect(r.status).toBe(200);
      expect(connector.captured).toHaveLength(1);
    } finally {
      chat.gate = null;
      open?.();
    }
  });
});
