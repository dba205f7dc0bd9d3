/**
 * One bot from startBot serving Teams and Slack at once, on real parts, for the tests that follow a request across
 * both platforms: the ARM emulator over HTTPS, a local Bot Framework token authority and Bot Connector double
 * (CloudAdapter checks every activity's JWT), the local Slack API double (Bolt checks every request's signature),
 * the real approval engine with the given policy and a SQLite file. Everything listens on port 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, type TestClock } from './azure.js';
import {
  FixedTokenCredentialsFactory,
  TEST_APP_ID,
  startConnectorDouble,
  startTokenAuthority,
  type ConnectorDouble,
  type RosterEntry,
  type TokenAuthority,
} from './bot-framework.js';
import { startEmulator, type ArmEmulator } from './emulator.js';
import { startSlackApi, type SlackApiDouble, type SlackApiOptions } from './slack-api.js';

export interface TwoPlatforms {
  emu: ArmEmulator;
  authority: TokenAuthority;
  connector: ConnectorDouble;
  api: SlackApiDouble;
  bot: RunningBot;
  teamsUrl: string;
  slackUrl: string;
  /** Wait until the approval worker is idle and no Slack listener is still running. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startTwoPlatforms(o: {
  /** Names the temporary directory and the Slack bot token. */
  name: string;
  policy: string;
  /** Slack's signing secret. */
  secret: string;
  clock: TestClock;
  roster?: Record<string, RosterEntry[]>;
  users?: SlackApiOptions['users'];
}): Promise<TwoPlatforms> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `acr-${o.name}-`));
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policyFile, o.policy);
  const emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  const authority = await startTokenAuthority();
  const connector = await startConnectorDouble(o.roster ? { roster: o.roster } : {});
  const api = await startSlackApi(o.users ? { users: o.users } : {});
  const bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: policyFile,
      ...authority.settings(),
      TEAMS_ALLOWED_TENANTS: 'tenant-1',
      SLACK_BOT_TOKEN: `xoxb-${o.name}-token`,
      SLACK_SIGNING_SECRET: o.secret,
      SLACK_API_URL: api.url,
    },
    createLogger('silent', { write: () => undefined }),
    {
      gateway: gatewayFor(emu),
      clock: o.clock,
      approvals: { debounceMs: 20, retryBaseMs: 10, retryMaxMs: 50, lockTimeoutMs: 20_000, stopTimeoutMs: 5_000 },
      teams: { credentialsFactory: new FixedTokenCredentialsFactory(TEST_APP_ID) },
    },
  );
  return {
    emu,
    authority,
    connector,
    api,
    bot,
    teamsUrl: `http://127.0.0.1:${bot.port}/api/messages`,
    slackUrl: `http://127.0.0.1:${bot.port}/slack/events`,
    async settle() {
      await bot.approvals.idle(20_000);
      const until = Date.now() + 10_000;
      while ((bot.slack?.inFlight() ?? 0) > 0) {
        if (Date.now() > until) throw new Error('slack listeners still running');
        await new Promise((r) => setTimeout(r, 5));
      }
      await bot.approvals.idle(20_000);
    },
    async close() {
      await bot.stop();
      await api.close();
      await connector.close();
      await authority.close();
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
