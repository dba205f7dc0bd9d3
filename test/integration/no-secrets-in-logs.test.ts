/**
 * No secret appears in any log line. One bot with Teams and Slack on, logging at `trace`, is driven through
 * the paths that see secrets: signed and forged Bot Framework tokens, signed and forged Slack requests, a full
 * request → approve → apply → expire, Azure faults, a refused database URL. Everything it writes is captured (its
 * logger, and the process's stdout/stderr for what libraries print), then scanned for every secret the test used.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_TOKEN } from '../../src/adapters/azure/credential.js';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, testClock } from '../support/azure.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import {
  FixedTokenCredentialsFactory,
  OUTBOUND_TOKEN,
  TEST_APP_ID,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TokenAuthority,
} from '../support/bot-framework.js';
import {
  CHANNEL,
  USER,
  eventEnvelope,
  postSigned,
  startSlackApi,
  userPost,
  blockActionsBody,
  type SlackApiDouble,
} from '../support/slack-api.js';
import { BOTBUILDER_REFUSED_TOKEN, formatConsoleArgs } from '../support/quiet.js';

const APP_PASSWORD = 'ms-app-password-Zq8!never-log-me';
const SLACK_TOKEN = 'xoxb-1111-2222-never-log-me';
const SIGNING_SECRET = 'slack-signing-secret-never-log-me';
const DB_PASSWORD = 'db-password-never-log-me';

const IP = SAMPLE.aksOutboundIp;
const PASTE = `Error response from daemon: Head "https://acmeprod.azurecr.io/v2/api/manifests/1.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const TEAM = '19:team-general@thread.tacv2';
const DANA = { id: '29:dana', name: 'Dana Lee', aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b' };
const CAROL = { id: '29:carol', name: 'Carol Diaz', aadObjectId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' };
const POLICY = `
version: 1
defaults:
  approvers:
    - teams:${CAROL.aadObjectId}
  requireReason: true
  duration:
    default: 1h
    max: 1d
`;

let dir: string;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let api: SlackApiDouble;
let bot: RunningBot;
const clock = testClock(Date.parse('2026-04-01T09:00:00Z'));
const logged: string[] = [];
const printed: string[] = [];
/** Secrets minted during the run (tokens, signatures): scanned for too. */
const minted: string[] = [];
let restoreOutput: () => void = () => {};

/** Capture whatever libraries print straight to stdout/stderr while the bot runs (and still let it through). */
function captureOutput(): () => void {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap = (write: typeof out) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof out;
  process.stdout.write = tap(out);
  process.stderr.write = tap(err);
  // Libraries also print through console (botbuilder does), which the test runner intercepts before stdout.
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      const text = args
        .map((a) =>
          a instanceof Error ? `${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a),
        )
        .join(' ');
      printed.push(text);
      // Scanned like everything else; botbuilder's note on each forged token is expected, so it is not echoed.
      if (!BOTBUILDER_REFUSED_TOKEN.some((p) => p.test(formatConsoleArgs(args)))) originals[i]!(...args);
    };
  });
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const [i, m] of methods.entries()) console[m] = originals[i]!;
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-no-secrets-'));
  fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  authority = await startTokenAuthority();
  connector = await startConnectorDouble({
    roster: {
      [TEAM]: [
        { ...DANA, userPrincipalName: 'dana@acme.example' },
        { ...CAROL, userPrincipalName: 'carol@acme.example' },
      ],
    },
  });
  api = await startSlackApi({ users: { [USER]: { name: 'Dev', email: 'dev@acme.example' } } });
  restoreOutput = captureOutput();
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: path.join(dir, 'policy.yaml'),
      ...authority.settings(),
      MicrosoftAppPassword: APP_PASSWORD,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: api.url,
    },
    createLogger('trace', { write: (l: string) => void logged.push(l) }),
    {
      gateway: gatewayFor(emu),
      clock,
      approvals: { debounceMs: 20, retryBaseMs: 10, retryMaxMs: 50 },
      teams: { credentialsFactory: new FixedTokenCredentialsFactory(TEST_APP_ID) },
    },
  );
});

afterAll(async () => {
  await bot?.stop();
  restoreOutput();
  await Promise.all([connector?.close(), authority?.close(), api?.close(), emu?.close()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function teams(
  activity: Record<string, unknown>,
  token?: string | null,
): Promise<{ status: number; body: string }> {
  const bearer = token === undefined ? await authority.token({ serviceUrl: connector.serviceUrl }) : token;
  if (bearer) minted.push(bearer);
  return postActivity(`http://127.0.0.1:${bot.port}/api/messages`, activity, bearer ? `Bearer ${bearer}` : null);
}

async function slack(body: string, contentType: string, signature?: string): Promise<number> {
  const r = await postSigned(`http://127.0.0.1:${bot.port}/slack/events`, body, contentType, {
    secret: SIGNING_SECRET,
    ...(signature ? { signature } : {}),
  });
  return r.status;
}

function findAction(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | null = null;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    const o = n as { type?: string; verb?: string; data?: Record<string, unknown> };
    if (o.type === 'Action.Execute' && o.verb === verb) found = o.data ?? {};
    else Object.values(n).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} on the card`);
  return found;
}

it('drives every secret-bearing path, then finds none of the secrets in any line written', async () => {
  // Teams: a signed paste, forged tokens (attacker key, alg none, expired), no header.
  expect(
    (await teams(teamsActivity({ serviceUrl: connector.serviceUrl, id: '1719000000001', text: PASTE, from: DANA })))
      .status,
  ).toBe(200);
  const forged = await authority.token({ serviceUrl: connector.serviceUrl, key: authority.attackerKey });
  expect((await teams(teamsActivity({ serviceUrl: connector.serviceUrl, text: PASTE }), forged)).status).toBe(401);
  expect(
    (
      await teams(
        teamsActivity({ serviceUrl: connector.serviceUrl, text: PASTE }),
        authority.unsignedToken(connector.serviceUrl),
      )
    ).status,
  ).toBe(401);
  expect(
    (
      await teams(
        teamsActivity({ serviceUrl: connector.serviceUrl, text: PASTE }),
        await authority.token({ serviceUrl: connector.serviceUrl, expiresIn: -3600 }),
      )
    ).status,
  ).toBe(401);
  expect((await teams(teamsActivity({ serviceUrl: connector.serviceUrl, text: PASTE }), null)).status).toBe(401);

  // Teams: request → submit → Carol approves → applied → expiry.
  const [diagnosis] = await connector.waitFor(1);
  const thread = diagnosis!.url.split('/')[3]!;
  const invoke = async (verb: string, data: Record<string, unknown>, from: Record<string, unknown>) =>
    JSON.parse(
      (
        await teams(
          cardActionActivity({
            serviceUrl: connector.serviceUrl,
            verb,
            data,
            from,
            replyToId: 'reply-1',
            conversationId: thread,
          }),
        )
      ).body,
    ) as { value: unknown };
  const form = (
    await invoke(
      'request_access',
      findAction((diagnosis!.body.attachments as Array<{ content: unknown }>)[0]!.content, 'request_access'),
      DANA,
    )
  ).value;
  await invoke('submit_request', { ...findAction(form, 'submit_request'), reason: 'release', duration: '1h' }, DANA);
  await bot.approvals.idle(20_000);
  const [request] = await bot.store.listRequests({ registry: SAMPLE.acmeprod });
  await invoke('approve', { requestId: request!.id, version: request!.version }, CAROL);
  await bot.approvals.idle(20_000);
  expect((await bot.store.getRequest(request!.id))?.status).toBe('applied');
  clock.advance(2 * 3_600_000);
  await bot.approvals.tick();
  await bot.approvals.idle(20_000);
  expect((await bot.store.getRequest(request!.id))?.status).toBe('expired');

  // Slack: a signed paste, a forged signature, a stale one, a click.
  expect(
    await slack(eventEnvelope(userPost({ text: PASTE, ts: '1719000100.000100' }), 'Ev0SECRETS1'), 'application/json'),
  ).toBe(200);
  expect(
    await slack(
      eventEnvelope(userPost({ text: PASTE, ts: '1719000100.000200' }), 'Ev0SECRETS2'),
      'application/json',
      `v0=${'ab'.repeat(32)}`,
    ),
  ).toBe(401);
  expect(
    await slack(
      blockActionsBody({
        actionId: 'show_rules',
        value: JSON.stringify({ registryId: SAMPLE.acmeprod }),
        messageTs: '1719000100.000300',
        responseUrl: `${api.url}response`,
        channel: CHANNEL,
      }),
      'application/x-www-form-urlencoded',
    ),
  ).toBe(200);

  // Azure failing: throttled and forbidden, logged with their reasons.
  emu.faults.add({ method: 'GET', path: '/registries/acmeprod', status: 429, retryAfterSeconds: 30, times: 1 });
  await teams(teamsActivity({ serviceUrl: connector.serviceUrl, mentionBot: true, text: 'acmeprod.azurecr.io' }));
  emu.faults.add({ method: 'GET', path: '/registries/acmeprod', status: 403, times: 1 });
  await teams(
    teamsActivity({ serviceUrl: connector.serviceUrl, mentionBot: true, text: 'acmeprod.azurecr.io 52.170.1.20' }),
  );
  await bot.approvals.idle(20_000);
  await new Promise((r) => setTimeout(r, 100)); // Slack listeners run after their ack

  // A database URL with a password that cannot be reached: the start is refused, and the password is not in the message.
  const refused = await startBot(
    { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `postgres://acr:${DB_PASSWORD}@127.0.0.1:1/acr` },
    createLogger('trace', { write: (l: string) => void logged.push(l) }),
  ).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(Error);
  printed.push(String((refused as Error).message), String((refused as Error).stack));

  // The run really logged its paths (so an empty capture cannot pass).
  const all = [...logged, ...printed].join('\n');
  expect(logged.length).toBeGreaterThan(20);
  for (const expected of [
    '"platform":"teams"',
    '"platform":"slack"',
    'unauthenticated activity refused',
    'slack request refused',
    'access requested',
    'Error finding key for token',
  ]) {
    expect(all).toContain(expected);
  }

  const secrets = [APP_PASSWORD, SLACK_TOKEN, SIGNING_SECRET, DB_PASSWORD, OUTBOUND_TOKEN, EMULATOR_TOKEN, ...minted];
  for (const secret of secrets) {
    const line = [...logged, ...printed].find((l) => l.includes(secret));
    expect(line, `a secret (${secret.slice(0, 12)}…) was written`).toBeUndefined();
  }
  // Slack signatures of the requests (v0=<64 hex>) are secrets of the moment too.
  expect(all).not.toMatch(/v0=[0-9a-f]{64}/);
});
