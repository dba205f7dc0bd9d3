/**
 * Slack over real HTTP: correctly signed requests to `POST /slack/events` on the bot's restify server, Bolt with our
 * receiver, the Web API answered by the local Slack API double.
 *
 * The ChatHandler here is a small real one that recognises the ACR denial and returns a fixed Reply: it lets these
 * tests hold a handler call open (ack before slow work) and see exactly what the adapter passed. The same flows
 * with the real ChatService, Azure gateway and ARM emulator are in slack-real-chat.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionResult, ChatHandler, IncomingAction, IncomingMessage } from '../../src/app/chat.js';
import { MessageClaims } from '../../src/app/message-claims.js';
import type { Reply } from '../../src/core/reply.js';
import { CAUSE_TITLES } from '../../src/core/diagnose/words.js';
import { BY_CAUSE, DENIED_TEXT, finding, registry } from '../golden/slack/samples.js';
import {
  BOT_IDENTITY,
  CHANNEL,
  USER,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  slashCommandBody,
  userPost,
  type SlackApiCall,
} from '../support/slack-api.js';
import { BOT_TOKEN, SECRET, startHarness, type Harness } from './slack-harness.js';

const SQL_LOOKALIKE =
  "Cannot open server 'contoso-sql' requested by the login. Client with IP address '203.0.113.9' is not allowed to access the server. To enable access, use the Azure Management Portal or run sp_set_firewall_rule on the master database to create a firewall rule for this IP address or address range.";

/**
 * Recognises "client with IP '<ip>' is not allowed access" (ACR's wording), answers commands when addressed. Like the
 * real chat service, it claims a message's once-key (in memory here) and resolves its actor only when it answers.
 */
class FixedReplyHandler implements ChatHandler {
  /** Every message the adapter handed over, as handed over. */
  messages: IncomingMessage[] = [];
  /** The messages answered, with the resolved actor. */
  answered: IncomingMessage[] = [];
  actions: IncomingAction[] = [];
  /** While set, onAction waits for it: a slow Azure call. */
  actionGate: Promise<void> | null = null;
  private readonly claims = new MessageClaims(null);

  private async answer(m: IncomingMessage): Promise<boolean> {
    if (m.onceKey !== undefined && !(await this.claims.claim(m.onceKey, 'slack'))) return false;
    this.answered.push({ ...m, actor: m.resolveActor ? await m.resolveActor() : m.actor });
    return true;
  }

  async onMessage(m: IncomingMessage): Promise<Reply | null> {
    this.messages.push(m);
    const text = m.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const denied = /client with IP '([0-9.]+)' is not allowed access/i.exec(text);
    if (denied) {
      if (!(await this.answer(m))) return null;
      const ip = denied[1]!;
      return {
        type: 'diagnoses',
        diagnoses: [
          {
            ...BY_CAUSE.ip_not_allowed,
            finding: finding({ ip, excerpt: denied[0] }),
            summary: `${ip} is not in myregistry's 3 IP rules and the default action is Deny.`,
          },
        ],
      };
    }
    if (!m.addressed || !(await this.answer(m))) return null;
    const [word, ip] = m.text.trim().split(/\s+/);
    if (!word || word === 'help') return { type: 'help' };
    if (word === 'myregistry')
      return ip
        ? { type: 'diagnoses', diagnoses: [{ ...BY_CAUSE.ip_not_allowed, finding: finding({ ip }) }] }
        : { type: 'firewall', registry: registry() };
    return {
      type: 'notice',
      tone: 'info',
      title: `No registry named ${word}`,
      text: 'I looked in every subscription I can read.',
    };
  }

  async onAction(a: IncomingAction): Promise<ActionResult | null> {
    this.actions.push(a);
    if (this.actionGate) await this.actionGate;
    if (a.verb === 'show_rules') return { reply: { type: 'firewall', registry: registry() }, delivery: 'private' };
    return {
      reply: {
        type: 'notice',
        tone: 'info',
        title: 'Requests are not open yet',
        text: 'Ask a registry owner to add the rule.',
      },
      delivery: 'private',
    };
  }
}

let h: Harness;
const chat = new FixedReplyHandler();
let seq = 0;
const nextTs = () => `1700000${String(++seq).padStart(3, '0')}.000100`;

const JSON_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
const sendEvent = (event: Record<string, unknown>, eventId: string, headers: Record<string, string> = {}) =>
  postSigned(h.url, eventEnvelope(event, eventId), JSON_TYPE, { secret: SECRET, headers });

function blockText(call: SlackApiCall): string {
  return JSON.stringify(call.args.blocks ?? []);
}
const postsIn = (ts: string) => h.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

beforeAll(async () => {
  h = await startHarness(chat);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  chat.actionGate = null;
});

describe('handshake', () => {
  it('calls auth.test once at start with the bot token, and never per request', async () => {
    expect(h.api.callsTo('auth.test')).toHaveLength(1);
    expect(h.api.callsTo('auth.test')[0]!.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(h.slack.botUserId).toBe(BOT_IDENTITY.user_id);
  });

  it('answers url_verification with the challenge', async () => {
    const res = await postSigned(
      h.url,
      JSON.stringify({
        token: 't',
        challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
        type: 'url_verification',
      }),
      JSON_TYPE,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('answers ssl_check with 200 and does nothing else', async () => {
    const before = h.api.calls.length;
    const res = await postSigned(h.url, 'ssl_check=1&token=x', FORM, {
      secret: SECRET,
      omitSignature: true,
      omitTimestamp: true,
    });
    expect(res.status).toBe(200);
    expect(h.api.calls.length).toBe(before);
  });
});

describe('pasted errors', () => {
  it('a pasted ACR error in a channel gets exactly one threaded answer with the cause and the IP', async () => {
    const ts = nextTs();
    const res = await sendEvent(userPost({ text: DENIED_TEXT, ts }), `Ev${ts}`);
    expect(res.status).toBe(200);
    const [post] = await h.api.waitFor('chat.postMessage', h.api.callsTo('chat.postMessage').length + 1);
    await h.settled();
    const posts = postsIn(ts);
    expect(posts).toHaveLength(1);
    const call = posts[0]!;
    expect(post).toBeDefined();
    expect(call.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.args.channel).toBe(CHANNEL);
    expect(call.args.thread_ts).toBe(ts);
    expect(call.args.text).toContain('198.51.100.23');
    expect(call.args.text).toContain(CAUSE_TITLES.ip_not_allowed);
    expect(blockText(call)).toContain('198.51.100.23 is not in myregistry');
    expect(blockText(call)).toContain('"action_id":"request_access"');

    const m = chat.answered.at(-1)!;
    expect(m.addressed).toBe(false);
    expect(m.onceKey).toBeDefined();
    // The event names the author; users.info adds name and email, asked only because this post is answered.
    expect(chat.messages.at(-1)!.actor).toMatchObject({ id: USER, email: null });
    expect(m.actor).toEqual({
      platform: 'slack',
      id: USER,
      platformUserId: USER,
      displayName: 'dev',
      email: 'dev.one@contoso.com',
    });
    expect(m.conversation).toMatchObject({
      platform: 'slack',
      conversationId: CHANNEL,
      threadId: ts,
      messageId: ts,
      teamId: 'T0TEST',
      channelId: CHANNEL,
    });
  });

  it('a reply inside a thread is answered in that thread', async () => {
    const parent = nextTs();
    const ts = nextTs();
    await sendEvent(userPost({ text: DENIED_TEXT, ts, thread_ts: parent }), `Ev${ts}`);
    await h.settled();
    expect(postsIn(parent)).toHaveLength(1);
    expect(postsIn(ts)).toHaveLength(0);
  });

  it('reads pasted code from rich_text_preformatted, not the escaped text', async () => {
    const ts = nextTs();
    const code = `Head "https://myregistry.azurecr.io/v2/app/manifests/1.4.2": denied: client with IP '192.0.2.44' is not allowed access. <&>`;
    const blocks = [
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'help?' }] },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: code }] },
        ],
      },
    ];
    const text = `help?\n\`\`\`${code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}\`\`\``;
    await sendEvent(userPost({ text, ts, blocks }), `Ev${ts}`);
    await h.settled();
    expect(chat.messages.at(-1)!.text).toBe(code);
    expect(postsIn(ts)[0]!.args.text).toContain('192.0.2.44');
  });

  it('a direct message is answered (and may carry commands)', async () => {
    const ts = nextTs();
    await sendEvent(userPost({ text: 'myregistry', ts, channel: 'D0DM01', channel_type: 'im' }), `Ev${ts}`);
    await h.settled();
    const posts = postsIn(ts);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('D0DM01');
    expect(blockText(posts[0]!)).toContain('Firewall of myregistry');
    expect(chat.messages.at(-1)!.addressed).toBe(true);
  });

  it('a look-alike (Azure SQL firewall) and chat text get no answer', async () => {
    const before = h.api.callsTo('chat.postMessage').length;
    const a = nextTs();
    const b = nextTs();
    await sendEvent(userPost({ text: SQL_LOOKALIKE, ts: a }), `Ev${a}`);
    await sendEvent(userPost({ text: 'anyone around for lunch?', ts: b }), `Ev${b}`);
    await h.settled();
    expect(chat.messages.map((m) => m.conversation.messageId)).toEqual(expect.arrayContaining([a, b]));
    expect(h.api.callsTo('chat.postMessage').length).toBe(before);
  });

  it('a mention delivered as both message and app_mention is answered once', async () => {
    const ts = nextTs();
    const text = `<@${BOT_IDENTITY.user_id}> myregistry`;
    const [r1, r2] = await Promise.all([
      sendEvent(userPost({ text, ts }), `EvM${ts}`),
      sendEvent(userPost({ text, ts, type: 'app_mention' }), `EvA${ts}`),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await h.settled();
    expect(postsIn(ts)).toHaveLength(1);
    // Both deliveries reach the handler with one once-key; it answers the first only.
    const delivered = chat.messages.filter((x) => x.conversation.messageId === ts);
    expect(delivered).toHaveLength(2);
    expect(delivered[0]!.onceKey).toBe(delivered[1]!.onceKey);
    const m = chat.answered.filter((x) => x.conversation.messageId === ts);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ text: 'myregistry', addressed: true });
  });

  it('a retried event (same event_id, X-Slack-Retry-Num) is answered once', async () => {
    const ts = nextTs();
    const event = userPost({ text: DENIED_TEXT, ts });
    expect((await sendEvent(event, `Ev${ts}`)).status).toBe(200);
    expect(
      (await sendEvent(event, `Ev${ts}`, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status,
    ).toBe(200);
    expect(
      (await sendEvent(event, `Ev${ts}`, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' })).status,
    ).toBe(200);
    await h.settled();
    expect(postsIn(ts)).toHaveLength(1);
  });

  it('ignores bot posts (ours included), edits and joins', async () => {
    const before = chat.messages.length;
    const posts = h.api.callsTo('chat.postMessage').length;
    const events = [
      { ...userPost({ text: DENIED_TEXT, ts: nextTs() }), bot_id: 'B0OTHER', subtype: 'bot_message' },
      { ...userPost({ text: DENIED_TEXT, ts: nextTs() }), bot_id: 'B0OTHER' },
      userPost({ text: DENIED_TEXT, ts: nextTs(), user: BOT_IDENTITY.user_id }),
      { ...userPost({ text: DENIED_TEXT, ts: nextTs() }), subtype: 'message_changed' },
      { ...userPost({ text: 'joined', ts: nextTs() }), subtype: 'channel_join' },
    ];
    for (const [i, e] of events.entries()) expect((await sendEvent(e, `EvIgnore${seq}-${i}`)).status).toBe(200);
    await h.settled();
    expect(chat.messages.length).toBe(before);
    expect(h.api.callsTo('chat.postMessage').length).toBe(posts);
  });

  it('still answers when users.info fails; the actor then has no email', async () => {
    h.api.failNext('users.info', 'ratelimited');
    const ts = nextTs();
    await sendEvent(userPost({ text: DENIED_TEXT, ts, user: 'U0NEWUSER' }), `Ev${ts}`);
    await h.settled();
    expect(postsIn(ts)).toHaveLength(1);
    expect(chat.answered.at(-1)!.actor).toMatchObject({ id: 'U0NEWUSER', email: null });
  });
});

describe('request verification', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, Parameters<typeof postSigned>[3]]> = [
    ['a bad signature', { secret: 'not-the-secret' }],
    ['a forged signature string', { secret: SECRET, signature: `v0=${'a'.repeat(64)}` }],
    ['no signature header', { secret: SECRET, omitSignature: true }],
    ['no timestamp header', { secret: SECRET, omitTimestamp: true }],
    ['a stale timestamp (6 minutes old)', { secret: SECRET, timestamp: now() - 360 }],
    ['a timestamp 6 minutes in the future', { secret: SECRET, timestamp: now() + 360 }],
  ];
  it.each(cases)('%s → 401, nothing read, no Web API call', async (_name, sign) => {
    const calls = h.api.calls.length;
    const handled = chat.messages.length;
    const ts = nextTs();
    const res = await postSigned(h.url, eventEnvelope(userPost({ text: DENIED_TEXT, ts }), `Ev${ts}`), JSON_TYPE, sign);
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    await h.settled();
    expect(h.api.calls.length).toBe(calls);
    expect(chat.messages.length).toBe(handled);
  });

  it('a signed but malformed body → 400', async () => {
    expect((await postSigned(h.url, '{"type":"event_callback",', JSON_TYPE, { secret: SECRET })).status).toBe(400);
    expect((await postSigned(h.url, 'payload=%7Bnope', FORM, { secret: SECRET })).status).toBe(400);
    expect((await postSigned(h.url, 'hello', 'text/plain', { secret: SECRET })).status).toBe(400);
  });

  it('a body over the limit → 413', async () => {
    const res = await postSigned(
      h.url,
      JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(1024 * 1024 + 10) }),
      JSON_TYPE,
      { secret: SECRET },
    );
    expect(res.status).toBe(413);
  });
});

describe('slash command', () => {
  it('/acr myregistry is acked at once and answered privately through response_url', async () => {
    const before = h.api.callsTo('response_url').length;
    const res = await postSigned(
      h.url,
      slashCommandBody({ text: 'myregistry', responseUrl: h.api.responseUrl('cmd-1') }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const calls = await h.api.waitFor('response_url', before + 1);
    const answer = calls.at(-1)!;
    expect(answer.path).toBe('/response/cmd-1');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(answer.args.blocks)).toContain('Firewall of myregistry');
    expect(chat.messages.at(-1)).toMatchObject({
      text: 'myregistry',
      addressed: true,
      conversation: { conversationId: CHANNEL, threadId: null },
    });
  });

  it('/acr help and /acr myregistry <ip> use the same words as a mention', async () => {
    const before = h.api.callsTo('response_url').length;
    await postSigned(h.url, slashCommandBody({ text: 'help', responseUrl: h.api.responseUrl('cmd-2') }), FORM, {
      secret: SECRET,
    });
    await postSigned(
      h.url,
      slashCommandBody({ text: 'myregistry 192.0.2.8', responseUrl: h.api.responseUrl('cmd-3') }),
      FORM,
      { secret: SECRET },
    );
    const calls = await h.api.waitFor('response_url', before + 2);
    const byPath = Object.fromEntries(calls.map((c) => [c.path, JSON.stringify(c.args)]));
    expect(byPath['/response/cmd-2']).toContain('ACR access helper');
    expect(byPath['/response/cmd-3']).toContain('192.0.2.8');
  });
});

describe('logs', () => {
  it('never contain the bot token, the signing secret or a request signature', async () => {
    const ts = nextTs();
    const body = eventEnvelope(userPost({ text: DENIED_TEXT, ts }), `Ev${ts}`);
    await postSigned(h.url, body, JSON_TYPE, { secret: SECRET });
    await postSigned(h.url, body, JSON_TYPE, { secret: 'wrong' });
    await h.settled();
    const all = h.logs.join('');
    expect(h.logs.length).toBeGreaterThan(0);
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/v0=[0-9a-f]{64}/);
  });
});

describe('buttons', () => {
  it('Show rules is acked before the handler finishes its slow work, then answered privately in the thread', async () => {
    let release!: () => void;
    chat.actionGate = new Promise<void>((r) => (release = r));
    const actionsBefore = chat.actions.length;
    const ephemeralBefore = h.api.callsTo('chat.postEphemeral').length;
    const body = blockActionsBody({
      actionId: 'show_rules',
      value: JSON.stringify({ registryId: registry().id }),
      messageTs: '1800000000.000001',
      threadTs: '1700000000.000100',
      responseUrl: h.api.responseUrl('act-1'),
    });
    // The handler cannot finish until we release it, so a 200 here proves the ack did not wait for it.
    const res = await postSigned(h.url, body, FORM, { secret: SECRET });
    expect(res.status).toBe(200);
    expect(h.api.callsTo('chat.postEphemeral').length).toBe(ephemeralBefore);
    release();
    const posted = (await h.api.waitFor('chat.postEphemeral', ephemeralBefore + 1)).at(-1)!;
    expect(chat.actions.length).toBe(actionsBefore + 1);
    expect(chat.actions.at(-1)).toMatchObject({
      verb: 'show_rules',
      data: { registryId: registry().id },
      actor: { id: USER, email: 'dev.one@contoso.com' },
      conversation: { conversationId: CHANNEL, messageId: '1800000000.000001', threadId: '1700000000.000100' },
    });
    expect(posted.args).toMatchObject({ channel: CHANNEL, user: USER, thread_ts: '1700000000.000100' });
    expect(JSON.stringify(posted.args.blocks)).toContain('Firewall of myregistry');
  });

  it("Request access opens a modal at once (trigger_id) and shows the handler's answer in it", async () => {
    const opened = h.api.callsTo('views.open').length;
    const updated = h.api.callsTo('views.update').length;
    const ephemeral = h.api.callsTo('chat.postEphemeral').length;
    const value = JSON.stringify({ registryId: registry().id, rule: '198.51.100.23/32', ip: '198.51.100.23' });
    const res = await postSigned(
      h.url,
      blockActionsBody({
        actionId: 'request_access',
        value,
        messageTs: '1800000000.000002',
        responseUrl: h.api.responseUrl('act-2'),
        triggerId: 'trig-ra-1',
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const open = (await h.api.waitFor('views.open', opened + 1)).at(-1)!;
    expect(open.args.trigger_id).toBe('trig-ra-1');
    const update = (await h.api.waitFor('views.update', updated + 1)).at(-1)!;
    await h.settled();
    expect(chat.actions.at(-1)).toMatchObject({
      verb: 'request_access',
      data: { rule: '198.51.100.23/32', ip: '198.51.100.23' },
    });
    expect(JSON.stringify(update.args.view)).toContain('Requests are not open yet');
    expect(h.api.callsTo('chat.postEphemeral').length).toBe(ephemeral);
  });

  it('Try again re-reads the words and replaces the notice in place (chat.update)', async () => {
    const before = h.api.callsTo('chat.update').length;
    const value = JSON.stringify({ text: DENIED_TEXT, addressed: false });
    const res = await postSigned(
      h.url,
      blockActionsBody({
        actionId: 'retry',
        value,
        messageTs: '1800000000.000003',
        responseUrl: h.api.responseUrl('act-3'),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const update = (await h.api.waitFor('chat.update', before + 1)).at(-1)!;
    expect(update.args).toMatchObject({ channel: CHANNEL, ts: '1800000000.000003' });
    expect(update.args.text).toContain('198.51.100.23');
  });

  it('Learn more (a URL button) is acknowledged and nothing else happens', async () => {
    const calls = h.api.calls.length;
    const res = await postSigned(
      h.url,
      blockActionsBody({
        actionId: 'learn_more',
        messageTs: '1800000000.000004',
        responseUrl: h.api.responseUrl('act-4'),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    await h.settled();
    expect(h.api.calls.length).toBe(calls);
  });
});
