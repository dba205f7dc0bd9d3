/**
 * Oversized bodies get 413, every time: a 1.5 MB body to `POST /slack/events` (signed, as Slack would send it) and
 * to `POST /api/messages`, six tries each on one keep-alive connection (as Slack's and Teams' clients send), written at
 * the pace the socket takes it. A server that answers before it has read the body and then drops the socket makes
 * the next request on that connection, or the rest of this one, fail with a reset; the answer must be a 413 the
 * client reads, every time.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, ChatHandler, IncomingMessage } from '../../src/app/chat.js';
import type { Reply } from '../../src/core/reply.js';
import { startTeamsBot, type TeamsBotUnderTest } from '../support/bot-framework.js';
import { signSlackRequest } from '../../src/adapters/slack/verify.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

const TRIES = 6;
const SIZE = 1.5 * 1024 * 1024;

class CountingChat implements ChatHandler {
  messages: IncomingMessage[] = [];
  async onMessage(m: IncomingMessage): Promise<Reply | null> {
    this.messages.push(m);
    return null;
  }
  async onAction(): Promise<ActionResult | null> {
    return null;
  }
}

/** One POST on the agent's one keep-alive connection; resolves with the status, or with the socket error's code. */
function post(agent: http.Agent, url: string, body: Buffer, headers: Record<string, string>): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: { ...headers, 'content-length': String(body.length) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    // In 64 KB pieces, each written when the socket asks for more: what a real client does with a large upload.
    let at = 0;
    const write = (): void => {
      while (at < body.length) {
        const piece = body.subarray(at, at + 64 * 1024);
        at += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('oversized bodies', () => {
  const chat = new CountingChat();
  let slack: Harness;
  let teams: TeamsBotUnderTest;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  beforeAll(async () => {
    slack = await startHarness(chat);
    teams = await startTeamsBot({ env: {}, chat });
  });
  afterAll(async () => {
    await slack?.close();
    await teams?.close();
    agent.destroy();
  });

  it(`Slack: ${TRIES} of ${TRIES} signed 1.5 MB bodies get 413, and nothing reaches the handler`, async () => {
    const body = Buffer.from(JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(SIZE) }), 'utf8');
    const statuses: Array<number | string> = [];
    for (let i = 0; i < TRIES; i++) {
      const ts = String(Math.floor(Date.now() / 1000));
      statuses.push(
        await post(agent, slack.url, body, {
          'content-type': 'application/json',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signSlackRequest(SECRET, ts, body),
        }),
      );
    }
    expect(statuses).toEqual(Array(TRIES).fill(413));
    expect(chat.messages).toHaveLength(0);
    expect(slack.api.workCalls()).toHaveLength(0);
  });

  it(`Teams: ${TRIES} of ${TRIES} 1.5 MB activities get 413`, async () => {
    const body = Buffer.from(
      JSON.stringify({
        type: 'message',
        serviceUrl: 'http://127.0.0.1:9/',
        conversation: { id: 'a:1' },
        text: 'x'.repeat(SIZE),
      }),
      'utf8',
    );
    const statuses: Array<number | string> = [];
    for (let i = 0; i < TRIES; i++)
      statuses.push(await post(agent, teams.url, body, { 'content-type': 'application/json' }));
    expect(statuses).toEqual(Array(TRIES).fill(413));
    expect(chat.messages).toHaveLength(0);
  });
});
