/**
 * Chatter costs nothing: the whole bot (startBot: Teams authenticated by a local token authority, Slack over signed
 * requests, the Azure gateway as configured from the environment against the ARM emulator, a SQLite file store,
 * the approval flow) reads channel messages that hold no ACR error and does nothing about them: no store call (so
 * no write), no Bot Connector call, no Slack Web API call (no users.info either), no ARM request. A paste in the
 * same channels then moves exactly those counters, so the counts are live.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { Store } from '../../src/app/store.js';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import {
  FixedTokenCredentialsFactory,
  TEST_APP_ID,
  postActivity,
  startConnectorDouble,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TokenAuthority,
} from '../support/bot-framework.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { eventEnvelope, postSigned, startSlackApi, USER, userPost, type SlackApiDouble } from '../support/slack-api.js';

const SECRET = 'chatter-test-signing-secret';
const PASTE = `Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${SAMPLE.aksOutboundIp}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

/** Real look-alikes from the pasted-errors corpus (not ACR denials), then everyday channel talk. */
const CORPUS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures/errors/real-errors.jsonl');
const LOOKALIKES = fs
  .readFileSync(CORPUS, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { id: string; text: string })
  .filter((s) => ['ot-01-azk8s-proxy-html-403', 'ot-03-azure-docs-29697-sql-html-entities'].includes(s.id))
  .map((s) => s.text);
const CHATTER = [
  ...LOOKALIKES,
  'standup moved to 10:15 today',
  'pushed payments 1.42.0 to acmeprod.azurecr.io, can someone review the release PR?',
  '`docker pull acmeprod.azurecr.io/payments/api:1.42.0` works for me now 🎉',
  'anyone around for lunch?',
];

/** The store, with every call counted (reads and writes alike). */
function counted(store: Store): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

let dir: string;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let slack: SlackApiDouble;
let inner: Store;
let store: { store: Store; calls: string[] };
let bot: RunningBot;
let base: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-chatter-'));
  emu = await startEmulator();
  authority = await startTokenAuthority();
  connector = await startConnectorDouble();
  slack = await startSlackApi({ users: { [USER]: { name: 'dev', email: 'dev@contoso.com' } } });
  inner = await createStore({ kind: 'sqlite', file: path.join(dir, 'bot.db') });
  store = counted(inner);
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url,
      AZURE_EMULATOR_CA: emu.caPath,
      SLACK_BOT_TOKEN: 'xoxb-chatter-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      ...authority.settings(),
    },
    createLogger('silent'),
    {
      store: store.store,
      // No scheduler tick inside the test: its periodic reads are not what is measured here.
      approvals: { tickMs: 3_600_000 },
      teams: { credentialsFactory: new FixedTokenCredentialsFactory(TEST_APP_ID) },
    },
  );
  base = `http://127.0.0.1:${bot.port}`;
});

afterAll(async () => {
  await bot?.stop();
  await inner?.close();
  await connector?.close();
  await authority?.close();
  await slack?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Everything the bot did to the outside since `from`. */
interface Counts {
  store: string[];
  connector: number;
  slack: string[];
  arm: number;
}
function counts(): Counts {
  return {
    store: [...store.calls],
    connector: connector.captured.length + connector.conversations.length + connector.memberLookups.length,
    slack: slack.calls.map((c) => c.method),
    arm: emu.countRequests(),
  };
}
function since(before: Counts): Counts {
  const now = counts();
  return {
    store: now.store.slice(before.store.length),
    connector: now.connector - before.connector,
    slack: now.slack.slice(before.slack.length),
    arm: now.arm - before.arm,
  };
}

async function settled(): Promise<void> {
  const until = Date.now() + 10_000;
  while ((bot.slack?.inFlight() ?? 0) > 0) {
    if (Date.now() > until) throw new Error('slack listeners still running after 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  await bot.approvals.idle(10_000);
}

let seq = 0;
async function teams(text: string, conversationType: 'channel' | 'groupChat' = 'channel'): Promise<void> {
  seq += 1;
  const activity = teamsActivity({ serviceUrl: connector.serviceUrl, id: `17160000${seq}`, text, conversationType });
  const token = await authority.token({ serviceUrl: connector.serviceUrl });
  expect((await postActivity(`${base}/api/messages`, activity, `Bearer ${token}`)).status).toBe(200);
}
async function slackPost(text: string): Promise<void> {
  seq += 1;
  const ts = `1716000000.${String(seq).padStart(6, '0')}`;
  const res = await postSigned(
    `${base}/slack/events`,
    eventEnvelope(userPost({ text, ts }), `EvChat${seq}`),
    'application/json',
    {
      secret: SECRET,
    },
  );
  expect(res.status).toBe(200);
}

describe('chatter in channels the bot reads', () => {
  it('Teams: no store call, no Bot Connector call, no ARM request', async () => {
    await settled();
    const before = counts();
    for (const text of CHATTER) {
      await teams(text);
      await teams(text, 'groupChat');
    }
    await settled();
    expect(since(before)).toEqual({ store: [], connector: 0, slack: [], arm: 0 });
  });

  it('Slack: no store call, no Web API call (users.info included), no ARM request', async () => {
    await settled();
    const before = counts();
    for (const text of CHATTER) await slackPost(text);
    await settled();
    expect(since(before)).toEqual({ store: [], connector: 0, slack: [], arm: 0 });
  });

  it('a paste in the same channels is claimed once in the store, read from ARM and answered', async () => {
    await settled();
    const before = counts();
    await teams(PASTE);
    await slackPost(PASTE);
    await settled();
    const after = since(before);
    // Answered, so the Teams poster's display name (new to the people directory) is kept, once.
    expect(after.store.sort()).toEqual(['claimEvent', 'claimEvent', 'savePersonName']);
    expect(after.connector).toBe(1);
    // The answer only: a paste needs no users.info (nothing in a diagnosis depends on who pasted it).
    expect(after.slack).toEqual(['chat.postMessage']);
    expect(after.arm).toBeGreaterThan(0);
    // The same person pasting again: the name is known, so the claim is the only store call.
    const again = counts();
    await teams(PASTE);
    await settled();
    expect(since(again).store).toEqual(['claimEvent']);
  });
});
