/**
 * Two bot replicas (separate processes, test/support/bot-process.ts) on one PostgreSQL answer a paste once, whether
 * it comes from Teams or from Slack. Every delivery of each paste reaches both replicas at the same moment, as a
 * load balancer would spread a platform's redeliveries: Teams sends the same activity to each; Slack sends the post
 * as `message` to one and `app_mention` to the other, then retries it to both. The once-key claimed in the shared
 * store after the parse lets exactly one reply through per paste; everything else is real (Teams local anonymous
 * mode with the Bot Connector double, signed Slack requests with the Slack API double, the ARM emulator).
 */
// Before restify loads (through the Bot Framework support): its start-up deprecation warning stays quiet.
import '../../src/process-warnings.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postActivity, startConnectorDouble, teamsActivity, type ConnectorDouble } from '../support/bot-framework.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import {
  BOT_IDENTITY,
  eventEnvelope,
  postSigned,
  slashCommandBody,
  startSlackApi,
  userPost,
  type SlackApiDouble,
} from '../support/slack-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'replicas-signing-secret';
const PASTES = 5;
const paste = (i: number) =>
  `Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.4${i}.0": denied: client with IP '${SAMPLE.aksOutboundIp}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

interface Replica {
  child: ChildProcess;
  port: number;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('two replicas on one PostgreSQL', () => {
  const schema = `acr_replicas_${process.pid}_${randomBytes(4).toString('hex')}`;
  let emu: ArmEmulator;
  let slack: SlackApiDouble;
  let connector: ConnectorDouble;
  const replicas: Replica[] = [];

  function spawnReplica(): Promise<Replica> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/bot-process.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: URL,
        SLACK_BOT_TOKEN: 'xoxb-replicas-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
        AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url,
        AZURE_EMULATOR_CA: emu.caPath,
        TEST_PG_SCHEMA: schema,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<Replica>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica did not start:\n${out}`)), 60_000);
      child.stdout!.on('data', () => {
        const m = /BOT_READY (\d+)/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        const replica = { child, port: Number(m[1]) };
        replicas.push(replica);
        resolve(replica);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`replica exited (${code}) before it was ready:\n${out}`));
      });
    });
  }

  async function stopReplica(r: Replica): Promise<void> {
    if (r.child.exitCode !== null || r.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => r.child.once('exit', () => resolve()));
    r.child.kill('SIGTERM');
    const t = setTimeout(() => r.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }

  beforeAll(async () => {
    try {
      await admin(`CREATE SCHEMA ${schema}`);
    } catch (err) {
      throw new Error(
        `PostgreSQL is not reachable at ${URL} (${err instanceof Error ? err.message : String(err)}); start it or set TEST_DATABASE_URL.`,
      );
    }
    emu = await startEmulator();
    slack = await startSlackApi();
    connector = await startConnectorDouble();
    await Promise.all([spawnReplica(), spawnReplica()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(replicas.map((r) => stopReplica(r)));
    await connector?.close();
    await slack?.close();
    await emu?.close();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  });

  it('Teams: the same activity delivered to both replicas at once is answered once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    for (let i = 0; i < PASTES; i++) {
      const activity = teamsActivity({ serviceUrl: connector.serviceUrl, id: `171700000${i}`, text: paste(i) });
      const sent = await Promise.all(
        [a, b, a, b].map((r) => postActivity(`http://127.0.0.1:${r.port}/api/messages`, activity)),
      );
      expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    }
    // Turns end inside their HTTP request, so every reply has arrived by now.
    expect(connector.captured.filter((c) => c.method === 'POST')).toHaveLength(PASTES);
    expect(new Set(connector.captured.map((c) => c.url)).size).toBe(PASTES);
  }, 60_000);

  it('Slack: a signed /acr replayed 3 times within its 5 minutes, across replicas, is answered once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const url = (r: Replica) => `http://127.0.0.1:${r.port}/slack/events`;
    const FORM = 'application/x-www-form-urlencoded';
    const ts = Math.floor(Date.now() / 1000);
    const command = (id: string) =>
      slashCommandBody({ text: 'acmeprod', responseUrl: slack.responseUrl(id), user: 'U0REPLAY' });
    // ARM reads of the registry (each answered `/acr <registry>` reads it afresh; lookups around it may be cached).
    const registryReads = () => emu.requests({ method: 'GET', path: /\/registries\/acmeprod$/i }).length;
    // What one answered /acr reads, measured on a command of its own.
    let reads = registryReads();
    expect((await postSigned(url(a), command('replay-measure'), FORM, { secret: SECRET, timestamp: ts })).status).toBe(
      200,
    );
    await slack.waitFor('response_url', 1);
    const perCommand = registryReads() - reads;
    expect(perCommand).toBeGreaterThan(0);

    // The same signed bytes (body, timestamp, signature), as a replaying attacker holds them: once, then 3 replays.
    reads = registryReads();
    const body = command('replay');
    const sent = [];
    for (const r of [a, b, a, b]) sent.push(await postSigned(url(r), body, FORM, { secret: SECRET, timestamp: ts }));
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    await slack.waitFor('response_url', 2);
    // A different command in the same second is its own request: answered.
    expect((await postSigned(url(b), command('other'), FORM, { secret: SECRET, timestamp: ts })).status).toBe(200);
    await slack.waitFor('response_url', 3);
    const answers = slack.callsTo('response_url').map((c) => c.path);
    expect(answers.filter((p) => p === '/response/replay')).toHaveLength(1);
    expect(registryReads() - reads).toBe(2 * perCommand);
  }, 60_000);

  it('Slack: message and app_mention to different replicas, then retries to both, are answered once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const send = (r: Replica, body: string, retry?: string) =>
      postSigned(`http://127.0.0.1:${r.port}/slack/events`, body, 'application/json', {
        secret: SECRET,
        ...(retry ? { headers: { 'x-slack-retry-num': retry, 'x-slack-retry-reason': 'http_timeout' } } : {}),
      });
    for (let i = 0; i < PASTES; i++) {
      const ts = `1717000000.00000${i}`;
      const text = `<@${BOT_IDENTITY.user_id}> ${paste(i)}`;
      const message = eventEnvelope(userPost({ text, ts }), `EvRepM${i}`);
      const mention = eventEnvelope(userPost({ text, ts, type: 'app_mention' }), `EvRepA${i}`);
      const sent = await Promise.all([
        send(a, message),
        send(b, mention),
        send(b, message, '1'),
        send(a, mention, '1'),
      ]);
      expect(sent.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    }
    // Slack listeners run after the ack; a graceful stop lets every one of them finish before the count.
    await Promise.all(replicas.map((r) => stopReplica(r)));
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(PASTES);
    // Every listener has finished now: the replayed /acr above still has exactly one answer.
    expect(slack.callsTo('response_url').filter((c) => c.path === '/response/replay')).toHaveLength(1);
    expect(new Set(posts.map((p) => p.args.thread_ts)).size).toBe(PASTES);
  }, 60_000);
});
