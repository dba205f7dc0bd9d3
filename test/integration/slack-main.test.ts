/**
 * The composition root serves Slack on the same server and port as Teams and /healthz, and
 * leaves it off (and says so) without Slack settings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatHandler } from '../../src/app/chat.js';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { BY_CAUSE, DENIED_TEXT } from '../golden/slack/samples.js';
import { eventEnvelope, postSigned, startSlackApi, userPost, type SlackApiDouble } from '../support/slack-api.js';

const SECRET = 'main-test-signing-secret';
const chat: ChatHandler = {
  onMessage: async (m) =>
    /is not allowed access/.test(m.text) ? { type: 'diagnoses', diagnoses: [BY_CAUSE.ip_not_allowed] } : null,
  onAction: async () => null,
};
const BASE_ENV = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' };

const running: RunningBot[] = [];
let api: SlackApiDouble | null = null;
afterAll(async () => {
  for (const b of running) await b.stop();
  await api?.close();
});

describe('startBot', () => {
  it('mounts POST /slack/events next to /api/messages and /healthz on one port', async () => {
    api = await startSlackApi();
    const bot = await startBot(
      { ...BASE_ENV, SLACK_BOT_TOKEN: 'xoxb-main-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url },
      createLogger('silent'),
      { chat },
    );
    running.push(bot);
    expect(bot.slack?.mode).toBe('http');
    const base = `http://127.0.0.1:${bot.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(
      (
        await fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).not.toBe(404);

    const res = await postSigned(
      `${base}/slack/events`,
      eventEnvelope(userPost({ text: DENIED_TEXT, ts: '1700000500.000100' }), 'EvMain1'),
      'application/json',
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const [post] = await api.waitFor('chat.postMessage');
    expect(post!.args).toMatchObject({ thread_ts: '1700000500.000100' });
    expect(String(post!.args.text)).toContain('198.51.100.23');
  });

  it('leaves Slack off without its settings', async () => {
    const bot = await startBot({ ...BASE_ENV }, createLogger('silent'), { chat });
    running.push(bot);
    expect(bot.slack).toBeNull();
    const res = await fetch(`http://127.0.0.1:${bot.port}/slack/events`, { method: 'POST', body: '{}' });
    expect([404, 405]).toContain(res.status);
  });
});
