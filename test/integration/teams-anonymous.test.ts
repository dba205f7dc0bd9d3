/**
 * Local anonymous mode (no MicrosoftAppId, for the Agents Playground): no token needed, but only loopback
 * serviceUrls are answered, so an unauthenticated bot cannot be made to post to other hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/app/chat.js';
import {
  postActivity,
  startConnectorDouble,
  startTeamsBot,
  teamsActivity,
  type ConnectorDouble,
  type TeamsBotUnderTest,
} from '../support/bot-framework.js';

let connector: ConnectorDouble;
let bot: TeamsBotUnderTest;
let calls = 0;
const chat: ChatHandler = {
  onMessage: async () => {
    calls += 1;
    return { type: 'help' };
  },
  onAction: async () => ({ reply: { type: 'help' }, delivery: 'update' }),
};

beforeAll(async () => {
  connector = await startConnectorDouble();
  bot = await startTeamsBot({ env: {}, chat });
});
afterAll(async () => {
  await bot?.close();
  await connector?.close();
});

describe('Teams local anonymous mode', () => {
  it('answers a loopback serviceUrl without a token (the Playground sends none)', async () => {
    const r = await postActivity(
      bot.url,
      teamsActivity({ serviceUrl: connector.serviceUrl, conversationType: 'personal', text: 'help' }),
    );
    expect(r.status).toBe(200);
    const [reply] = await connector.waitFor(1);
    expect(reply!.auth).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('refuses any other serviceUrl with 401 before the bot logic runs', async () => {
    for (const serviceUrl of [
      'https://smba.trafficmanager.net/emea/',
      'http://10.0.0.5:8080/',
      'http://169.254.169.254/',
    ]) {
      const r = await postActivity(bot.url, teamsActivity({ serviceUrl, conversationType: 'personal', text: 'help' }));
      expect(r.status).toBe(401);
    }
    expect(calls).toBe(1);
  });
});
