/**
 * Two bot processes sharing PostgreSQL, one ARM emulator, one Slack API double; clicks over real HTTP as Slack sends
 * them (signed `block_actions`, action_id = verb, value = `{requestId, version}`), spread over both processes.
 *
 * - 50 concurrent approve clicks on one request → exactly one PATCH;
 * - 20 requests on one registry approved within a second → all 20 rules present, a rule added out of band between
 *   the read and the write still present, at most 2 PATCHes;
 * - SIGKILL mid-apply (after the PATCH was accepted and its poller saved) → a new process converges: applied, no
 *   duplicate rule, and the grant still expires (each process's clock is wall time + an offset the test writes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/app/store.js';
import { createStore } from '../../src/adapters/store/index.js';
import { HOUR_MS, MINUTE_MS } from '../../src/core/policy/duration.js';
import type { AccessRequest, NewRequest } from '../../src/core/requests/index.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { approvalClickBody, CHANNEL, postSigned, startSlackApi, type SlackApiDouble } from '../support/slack-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'multi-process-signing-secret';
const APPROVERS = Array.from({ length: 10 }, (_, i) => `U0APP${String(i).padStart(4, '0')}`);
const REQUESTER = 'U0DEV0001';
const ACMEPROD = SAMPLE.acmeprod;

const POLICY = `
version: 1
defaults:
  approvers:
${APPROVERS.map((a) => `    - slack:${a}`).join('\n')}
  minApprovals: 1
  duration:
    default: 1h
    max: 1d
  notify:
    channels: []
    directMessages: false
`;

interface Bot {
  child: ChildProcess;
  port: number;
  output: () => string;
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

/** Poll `check` until it returns a value (bounded): the processes are elsewhere, so there is no hook to wait on. */
async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two bot processes on one PostgreSQL', () => {
  const schema = `acr_multi_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-multi-'));
  const clockFile = path.join(dir, 'clock-offset');
  const policyFile = path.join(dir, 'policy.yaml');
  let emu: ArmEmulator;
  let slack: SlackApiDouble;
  let store: Store;
  const bots: Bot[] = [];
  let seq = 0;

  function spawnBot(): Promise<Bot> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/bot-process.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: URL,
        POLICY_FILE: policyFile,
        SLACK_BOT_TOKEN: 'xoxb-multi-process-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
        AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url,
        AZURE_EMULATOR_CA: emu.caPath,
        TEST_PG_SCHEMA: schema,
        TEST_CLOCK_FILE: clockFile,
        TEST_APPROVAL_SETTINGS: JSON.stringify({ tickMs: 250, retryBaseMs: 50, retryMaxMs: 500 }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<Bot>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bot process did not start:\n${out}`)), 60_000);
      const onData = (): void => {
        const m = /BOT_READY (\d+)/.exec(out);
        if (!m) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        const bot = { child, port: Number(m[1]), output: () => out };
        bots.push(bot);
        resolve(bot);
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bot process exited (${code}) before it was ready:\n${out}`));
      });
    });
  }

  async function stopBot(bot: Bot, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => bot.child.once('exit', () => r()));
    bot.child.kill(signal);
    const t = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }

  function click(bot: Bot, requestId: string, user: string): Promise<{ status: number }> {
    seq += 1;
    const body = approvalClickBody({
      verb: 'approve',
      requestId,
      version: 1,
      user,
      channel: CHANNEL,
      messageTs: `1800000000.${String(seq).padStart(6, '0')}`,
      responseUrl: slack.responseUrl(`r${seq}`),
    });
    return postSigned(`http://127.0.0.1:${bot.port}/slack/events`, body, 'application/x-www-form-urlencoded', {
      secret: SECRET,
    });
  }

  async function newRequest(rule: string, durationMs = HOUR_MS): Promise<AccessRequest> {
    const input: NewRequest = {
      kind: 'grant',
      extendsRequestId: null,
      registry: { id: ACMEPROD, name: 'acmeprod', loginServer: 'acmeprod.azurecr.io' },
      rule,
      durationMs,
      reason: 'load test',
      ticket: null,
      requester: { platform: 'slack', id: REQUESTER, email: 'dev@contoso.com', displayName: 'Dev' },
      channel: { platform: 'slack', conversationId: CHANNEL },
      breakGlass: false,
      requiredApprovals: 1,
      pendingTimeoutMs: 24 * HOUR_MS,
      reminderIntervalMs: null,
    };
    const out = await store.createRequest(input);
    if (!out.ok) throw new Error(out.reason);
    return out.request;
  }

  const rules = (): string[] =>
    (
      (emu.state.registry('acmeprod')!.properties!.networkRuleSet as { ipRules: { value: string }[] }).ipRules ?? []
    ).map((r) => r.value);
  const patches = (): number => emu.countRequests({ method: 'PATCH' });

  beforeAll(async () => {
    try {
      await admin(`CREATE SCHEMA ${schema}`);
    } catch (err) {
      throw new Error(
        `PostgreSQL is not reachable at ${URL} (${err instanceof Error ? err.message : String(err)}); start it (.ci/run does) or set TEST_DATABASE_URL.`,
      );
    }
    fs.writeFileSync(clockFile, '0');
    fs.writeFileSync(policyFile, POLICY);
    emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
    slack = await startSlackApi({
      users: Object.fromEntries(
        [...APPROVERS, REQUESTER].map((u) => [u, { name: u.toLowerCase(), email: `${u.toLowerCase()}@contoso.com` }]),
      ),
    });
    // Migrated here, so the two processes start on a ready schema (they would also migrate it once between them).
    store = await createStore({ kind: 'postgres', url: URL }, { schema, poolSize: 4 });
    await Promise.all([spawnBot(), spawnBot()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(bots.map((b) => stopBot(b)));
    await store?.close();
    await emu?.close();
    await slack?.close();
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    emu.reset();
    emu.operations.settings.pollsBeforeDone = 1;
    emu.operations.settings.retryAfterSeconds = 0;
    fs.writeFileSync(clockFile, '0');
  });

  const live = (): Bot[] => bots.filter((b) => b.child.exitCode === null && b.child.signalCode === null);

  it('50 concurrent approve clicks on one request, spread over both processes → one transition, exactly one PATCH', async () => {
    const r = await newRequest('52.160.1.1/32');
    const [a, b] = live() as [Bot, Bot];
    const before = slack.callsTo('chat.postEphemeral').length;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => click(i % 2 === 0 ? a : b, r.id, APPROVERS[i % APPROVERS.length]!)),
    );
    expect(results.every((x) => x.status === 200)).toBe(true);
    // Every click is answered privately (approved for one, "already decided" or "already counted" for the rest).
    await slack.waitFor('chat.postEphemeral', before + 50, 30_000);
    await until('the request to be applied', async () => (await store.getRequest(r.id))?.status === 'applied');
    await until('the operation to be closed', async () => (await store.openOperations()).length === 0);
    expect(patches()).toBe(1);
    expect(rules()).toContain('52.160.1.1/32');
    const audit = await store.listAudit({ requestId: r.id });
    expect(audit.filter((e) => e.type === 'approved')).toHaveLength(1);
    expect(audit.map((e) => e.type)).toEqual(['requested', 'approved', 'apply_started', 'applied']);
  }, 90_000);

  it('20 requests approved within a second → all 20 rules, the out-of-band rule kept, at most 2 PATCHes', async () => {
    const requests: AccessRequest[] = [];
    for (let i = 0; i < 20; i++) requests.push(await newRequest(`52.161.0.${i + 1}/32`));
    // Someone adds a rule in the portal right after the bot's next read of acmeprod.
    emu.edits.add({ registry: 'acmeprod', afterGets: 1, addIpRules: ['40.40.40.41'] });
    const [a, b] = live() as [Bot, Bot];
    const results = await Promise.all(
      requests.map((r, i) => click(i % 2 === 0 ? a : b, r.id, APPROVERS[i % APPROVERS.length]!)),
    );
    expect(results.every((x) => x.status === 200)).toBe(true);
    await until('all 20 applied', async () => {
      const all = await Promise.all(requests.map((r) => store.getRequest(r.id)));
      return all.every((x) => x?.status === 'applied');
    });
    await until('the operations to be closed', async () => (await store.openOperations()).length === 0);
    const now = rules();
    for (const r of requests) expect(now).toContain(r.rule);
    expect(now).toContain('40.40.40.41');
    // It was there before the bot's first write, so that write had to carry it.
    expect(JSON.stringify(emu.requests({ method: 'PATCH' })[0]!.body)).toContain('40.40.40.41');
    expect(now).toEqual(expect.arrayContaining(['203.0.113.10', '198.51.100.0/24', '52.174.20.0/28', '20.61.14.36']));
    expect(patches()).toBeGreaterThanOrEqual(1);
    expect(patches()).toBeLessThanOrEqual(2);
  }, 90_000);

  it('SIGKILL mid-apply: a new process resumes the saved operation → applied, no duplicate rule; expiry still happens', async () => {
    const r = await newRequest('52.162.0.7/32', HOUR_MS);
    const [a] = live() as [Bot];
    emu.operations.hold();
    const started = emu.operations.nextStarted({ timeoutMs: 30_000 });
    await click(a, r.id, APPROVERS[0]!);
    await started;
    // The PATCH is accepted; wait for the poller state to be saved (the resumable point), then kill the process that
    // runs the apply (the one that took the click: its approval kicked its own worker).
    await until('the operation to be saved', async () => {
      const [op] = await store.openOperations();
      return op && op.operationState !== '' ? op : null;
    });
    await stopBot(a, 'SIGKILL');
    expect(await store.getRequest(r.id)).toMatchObject({ status: 'applying' });
    emu.operations.release();

    // A new process resumes it at start (the other one would too, but only once it looks stuck, a minute later).
    await spawnBot();
    await until('the request to converge', async () => (await store.getRequest(r.id))?.status === 'applied');
    await until('the operation to be closed', async () => (await store.openOperations()).length === 0);
    expect(rules().filter((v) => v.startsWith('52.162.0.7'))).toEqual(['52.162.0.7/32']);
    expect(patches()).toBe(1);
    expect(await store.getGrant(r.id)).toMatchObject({ ruleAdded: '52.162.0.7/32' });

    // Time moves past the end in every process; the scheduler expires the grant and the worker takes the rule off.
    fs.writeFileSync(clockFile, String(HOUR_MS + MINUTE_MS));
    await until('the rule removal', async () => (await store.getGrant(r.id))?.ruleRemovedAt ?? null);
    expect(await store.getRequest(r.id)).toMatchObject({ status: 'expired' });
    expect(rules()).not.toContain('52.162.0.7/32');
    expect(patches()).toBe(2);
  }, 120_000);
});
