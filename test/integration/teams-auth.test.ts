/**
 * The signed-token matrix over real HTTP: botbuilder's CloudAdapter behind POST /api/messages verifies JWTs against
 * a local OpenID/JWKS authority. Valid → 200 and one reply; every forged request → 401, no reply at the connector
 * and no ChatHandler call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, ChatHandler, IncomingAction, IncomingMessage } from '../../src/app/chat.js';
import type { Reply } from '../../src/core/reply.js';
import { REPLIES } from '../golden/teams/fixtures.js';
import {
  OUTBOUND_TOKEN,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTeamsBot,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TeamsBotUnderTest,
  type TokenAuthority,
} from '../support/bot-framework.js';
import { BOTBUILDER_REFUSED_TOKEN, holdTestOutput } from '../support/quiet.js';

// Every forged token makes botbuilder print why it refused it; shown only if a test fails.
holdTestOutput({ console: BOTBUILDER_REFUSED_TOKEN });

class RecordingChat implements ChatHandler {
  messages: IncomingMessage[] = [];
  actions: IncomingAction[] = [];
  async onMessage(m: IncomingMessage): Promise<Reply | null> {
    this.messages.push(m);
    return REPLIES['cause-ip_not_allowed']!;
  }
  async onAction(a: IncomingAction): Promise<ActionResult | null> {
    this.actions.push(a);
    return { reply: REPLIES.firewall!, delivery: 'update' };
  }
}

let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: TeamsBotUnderTest;
const chat = new RecordingChat();
const PASTE = "denied: client with IP '203.0.113.7' is not allowed access";

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

function message(extra: Record<string, unknown> = {}) {
  return teamsActivity({ serviceUrl: connector.serviceUrl, text: PASTE, extra });
}

describe('Teams /api/messages authentication', () => {
  it('a valid token: 200, the handler runs, one reply reaches the connector with the outbound token', async () => {
    const before = connector.captured.length;
    const token = await authority.token({ serviceUrl: connector.serviceUrl });
    const r = await postActivity(bot.url, message(), `Bearer ${token}`);
    expect(r.status).toBe(200);
    expect(chat.messages).toHaveLength(1);
    expect(connector.captured.length - before).toBe(1);
    expect(connector.captured.at(-1)!.auth).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    expect(authority.hits()).toBeGreaterThanOrEqual(2); // metadata and keys really fetched
  });

  it('a valid token on an adaptiveCard/action invoke: 200 with the card', async () => {
    const token = await authority.token({ serviceUrl: connector.serviceUrl });
    const r = await postActivity(
      bot.url,
      cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'show_rules', data: { registryId: 'x' } }),
      `Bearer ${token}`,
    );
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(chat.actions).toHaveLength(1);
  });

  const forged: Array<[string, () => Promise<string | null>, () => Record<string, unknown>]> = [
    ['no Authorization header', async () => null, () => message()],
    ['garbage bearer', async () => 'Bearer not-a-jwt', () => message()],
    ['Basic scheme', async () => 'Basic dXNlcjpwYXNz', () => message()],
    ['three garbage segments', async () => 'Bearer a.b.c', () => message()],
    [
      'signed by an attacker key with the same kid',
      async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, key: authority.attackerKey })}`,
      () => message(),
    ],
    [
      'unknown kid',
      async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, kid: 'other-kid' })}`,
      () => message(),
    ],
    [
      'wrong audience',
      async () =>
        `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, audience: '11111111-2222-3333-4444-555555555555' })}`,
      () => message(),
    ],
    [
      'wrong issuer',
      async () =>
        `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, issuer: 'https://evil.example' })}`,
      () => message(),
    ],
    [
      'expired (beyond the 5 min tolerance)',
      async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, expiresIn: -3600 })}`,
      () => message(),
    ],
    ['alg: none', async () => `Bearer ${authority.unsignedToken(connector.serviceUrl)}`, () => message()],
    [
      'nbf in the future (+1 h)',
      async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, notBefore: 3600 })}`,
      () => message(),
    ],
    [
      'serviceurl claim differs from the activity',
      async () => `Bearer ${await authority.token({ serviceUrl: 'http://127.0.0.1:1/' })}`,
      () => message(),
    ],
    [
      'channel not endorsed by the key',
      async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`,
      () => message({ channelId: 'slack' }),
    ],
    [
      'forged invoke (attacker key)',
      async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl, key: authority.attackerKey })}`,
      () => cardActionActivity({ serviceUrl: connector.serviceUrl, verb: 'request_access' }),
    ],
  ];

  for (const [name, header, activity] of forged) {
    it(`${name}: 401, no reply, handler not called`, async () => {
      const calls = chat.messages.length + chat.actions.length;
      const sent = connector.captured.length;
      const r = await postActivity(bot.url, activity(), await header());
      expect(r.status).toBe(401);
      expect(chat.messages.length + chat.actions.length).toBe(calls);
      // Give a stray reply time to arrive: nothing may reach the connector.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(connector.captured.length).toBe(sent);
    });
  }

  it('never logs a token', async () => {
    const token = await authority.token({ serviceUrl: connector.serviceUrl });
    await postActivity(bot.url, message(), `Bearer ${token}`);
    const all = bot.logs.join('\n');
    expect(all).not.toContain(token.split('.')[2]!);
    expect(all).not.toContain(OUTBOUND_TOKEN);
    expect(all).not.toContain('test-app-password-not-used');
    expect(all).toContain('unauthenticated activity refused');
  });
});
