/** Proactive posts and card updates from a stored ConversationRef, through the running app's WebClient. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/app/chat.js';
import { CHANNEL } from '../support/slack-api.js';
import { startHarness, type Harness } from './slack-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ onMessage: async () => null, onAction: async () => null });
});
afterAll(async () => {
  await h.close();
});

const thread: ConversationRef = {
  platform: 'slack',
  kind: 'channel',
  conversationId: CHANNEL,
  threadId: '1700000000.000100',
  messageId: '1700000000.000100',
  teamId: 'T0TEST',
  channelId: CHANNEL,
};

it('posts into the stored thread and returns the new ts, then updates that message for everyone', async () => {
  const ts = await h.slack.messenger.post(thread, {
    type: 'notice',
    tone: 'info',
    title: 'Request approved',
    text: 'Applying 198.51.100.23/32 to myregistry.',
  });
  expect(ts).toMatch(/^\d+\.\d+$/);
  const [post] = await h.api.waitFor('chat.postMessage');
  expect(post!.args).toMatchObject({ channel: CHANNEL, thread_ts: '1700000000.000100' });
  await h.slack.messenger.update(thread, ts!, {
    type: 'notice',
    tone: 'info',
    title: 'Rule applied',
    text: '198.51.100.23/32 is on myregistry.',
  });
  const [update] = await h.api.waitFor('chat.update');
  expect(update!.args).toMatchObject({ channel: CHANNEL, ts });
  expect(String(update!.args.text)).toContain('Rule applied');
});

it('DMs a user through the app conversation, and refuses what is not a Slack conversation', async () => {
  await h.slack.messenger.postToUser('U0DEV01', {
    type: 'notice',
    tone: 'warning',
    title: 'Your rule expires in 1 hour',
    text: 'Extend it from the request card.',
  });
  const posts = await h.api.waitFor('chat.postMessage', 2);
  expect(posts.at(-1)!.args).toMatchObject({ channel: 'U0DEV01' });
  expect(posts.at(-1)!.args.thread_ts).toBeUndefined();
  await expect(h.slack.messenger.post({ ...thread, platform: 'teams' }, { type: 'help' })).rejects.toThrow(
    /not a Slack conversation/,
  );
  await expect(h.slack.messenger.postToUser('C0CHANNEL', { type: 'help' })).rejects.toThrow(/not a Slack user id/);
});
