/**
 * The /api/messages body as the route reads it (no restify body plugins): JSON with or without a charset is read,
 * a body over 1 MiB is refused with 413 and one that is not JSON with 400, before any handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/app/chat.js';
import {
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
  onAction: async () => null,
};

beforeAll(async () => {
  connector = await startConnectorDouble();
  bot = await startTeamsBot({ env: {}, chat });
});
afterAll(async () => {
  await bot?.close();
  await connector?.close();
});

async function post(body: string, contentType: string): Promise<number> {
  const r = await fetch(bot.url, { method: 'POST', headers: { 'content-type': contentType }, body });
  await r.text();
  return r.status;
}

const activity = (id: string, text = 'help') =>
  JSON.stringify(teamsActivity({ serviceUrl: connector.serviceUrl, id, conversationType: 'personal', text }));

describe('Teams /api/messages body', () => {
  it('reads JSON sent with a charset', async () => {
    expect(await post(activity('body-1'), 'application/json; charset=utf-8')).toBe(200);
    await connector.waitFor(1);
    expect(calls).toBe(1);
  });

  it('refuses a body over 1 MiB with 413 and a body that is not JSON with 400, without running the handler', async () => {
    expect(await post(activity('body-2', 'x'.repeat(1024 * 1024)), 'application/json')).toBe(413);
    expect(await post(activity('body-3'), 'text/plain')).toBe(400);
    expect(await post('{"type":"message",', 'application/json')).toBe(400);
    expect(calls).toBe(1);
    // Still serving.
    expect(await post(activity('body-4'), 'application/json')).toBe(200);
    expect(calls).toBe(2);
  });
});
