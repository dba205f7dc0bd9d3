/**
 * The Slack app as it runs in production, on loopback: the real restify server from src/server.ts, the real Bolt app
 * with our receiver on `POST /slack/events`, Web API calls going to the local Slack API double. Shared by the Slack
 * integration tests (not a test file itself).
 */
import type { ChatHandler } from '../../src/app/chat.js';
import { startSlack, type SlackAdapter } from '../../src/adapters/slack/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createHttpServer, type HttpServer } from '../../src/server.js';
import { startSlackApi, USER, type SlackApiDouble } from '../support/slack-api.js';

export const SECRET = 'test-signing-secret-0f9e8d7c6b5a';
export const BOT_TOKEN = 'xoxb-0000-test-token';

export interface Harness {
  api: SlackApiDouble;
  /** Everything the bot logged, at debug level (tests check no secret is ever written). */
  logs: string[];
  url: string;
  slack: SlackAdapter;
  http: HttpServer;
  /** Resolves when no listener work is running (every accepted request fully handled); bounded. */
  settled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(chat: ChatHandler, options: { now?: () => number } = {}): Promise<Harness> {
  const api = await startSlackApi({ users: { [USER]: { name: 'dev', email: 'Dev.One@Contoso.com' } } });
  const logs: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.url,
    LOG_LEVEL: 'silent',
  });
  const http = createHttpServer({ logger, readiness: async () => ({}) });
  const slack = await startSlack({
    config: config.slack,
    chat,
    server: http.server,
    logger,
    ...(options.now ? { now: options.now } : {}),
  });
  if (!slack) throw new Error('slack did not start');
  const port = await http.listen(0, '127.0.0.1');
  return {
    api,
    logs,
    url: `http://127.0.0.1:${port}/slack/events`,
    slack,
    http,
    settled: async (timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      while (slack.inFlight() > 0) {
        if (Date.now() > until)
          throw new Error(`still ${slack.inFlight()} slack requests in flight after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: async () => {
      await http.close(2000);
      await slack.stop(2000);
      await api.close();
    },
  };
}
