/**
 * N messages to one server, 10 at a time, bounded in time: Teams activities (answered when the POST returns) or
 * signed Slack events (acked at once; answered when the Slack API double has seen the chat.postMessage calls).
 */
import type { SlackApiDouble } from '../../test/support/slack-api.js';
import type { Connector } from '../lib/connector.js';
import { slackPost, teamsActivity } from '../lib/messages.js';

export type Platform = 'teams' | 'slack';

const CONCURRENCY = 10;
const DEADLINE_MS = 180_000;

export async function send(
  platform: Platform,
  port: number,
  doubles: { connector: Connector; slack: SlackApiDouble },
  text: string,
  n: number,
  answered: boolean,
): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  const posts0 = doubles.slack.callsTo('chat.postMessage').length;
  let left = n;
  const url = `http://127.0.0.1:${port}/${platform === 'teams' ? 'api/messages' : 'slack/events'}`;
  // Teams: a channel for chatter (not addressed), a personal chat for the paste (the card goes back to the sender).
  const where = answered ? 'personal' : 'channel';
  const worker = async (): Promise<void> => {
    while (left > 0) {
      if (Date.now() > deadline) throw new Error(`${platform}: ${left} of ${n} messages not sent in time`);
      left -= 1;
      const req =
        platform === 'teams'
          ? {
              body: teamsActivity(doubles.connector.serviceUrl, text, where),
              headers: { 'content-type': 'application/json' },
            }
          : slackPost(text);
      const r = await fetch(url, { method: 'POST', ...req });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${platform}: answered ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (platform === 'slack' && answered)
    await doubles.slack.waitFor('chat.postMessage', posts0 + n, Math.max(1000, deadline - Date.now()));
}
