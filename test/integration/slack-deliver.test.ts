/** Delivery safety net: a message that would break Block Kit limits goes out as its text alone, never refused. */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postInThread, replaceMessage } from '../../src/adapters/slack/deliver.js';
import type { SlackMessage } from '../../src/adapters/slack/render/index.js';
import { createLogger } from '../../src/log.js';
import { startSlackApi, type SlackApiDouble } from '../support/slack-api.js';

let api: SlackApiDouble;
let client: webApi.WebClient;
const logs: string[] = [];
const logger = createLogger('error', { write: (l: string) => void logs.push(l) });
const tooMany: SlackMessage = {
  text: 'fallback &lt;text&gt;',
  blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })),
};

beforeAll(async () => {
  api = await startSlackApi();
  client = new webApi.WebClient('xoxb-deliver-test', { slackApiUrl: api.url, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await api.close();
});

it('posts text only (no blocks) when the blocks break a limit, and logs why', async () => {
  await postInThread(client, logger, 'C1', '1.1', tooMany);
  const [call] = await api.waitFor('chat.postMessage');
  expect(call!.args).toMatchObject({ channel: 'C1', thread_ts: '1.1', text: 'fallback &lt;text&gt;' });
  expect(call!.args.blocks).toBeUndefined();
  expect(logs.join('')).toContain('51 blocks > 50');
});

it('clears the old blocks when replacing a card with text only', async () => {
  await replaceMessage(client, logger, 'C1', '2.2', tooMany);
  const [call] = await api.waitFor('chat.update');
  expect(call!.args).toMatchObject({ channel: 'C1', ts: '2.2', blocks: [] });
});
