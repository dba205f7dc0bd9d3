/**
 * Slack benchmark (`npm run bench slack`), our app against a bare Bolt app measured in the same run:
 *
 * 1. Ack latency of button clicks (Show rules) while Azure takes 10 s to answer (the ARM emulator delays every GET
 *    of the registry by 10 s): p50/p99 of the HTTP response time at a steady 50 clicks/s for 12 s, so hundreds of
 *    slow ARM reads are pending, and the first answers go out, while acks are measured.
 *    Aim: p99 < 100 ms. Baseline: a bare Bolt app (default HTTPReceiver) whose action listener acks, waits 10 s and
 *    posts the same pre-rendered answer with chat.postEphemeral.
 * 2. Pasted-error events per second: every request a new signed `message` event (unique ts and event_id, so the
 *    once-per-post gate does not drop it), each answered with one `chat.postMessage` to the local Slack API double.
 *    Reported as acked events/s and answered events/s (posts that arrived inside the load window). Baseline: a bare
 *    Bolt app whose message listener posts the same pre-rendered answer with `say()`.
 *
 * Ours claims each post in a SQLite store (WAL), as `npm start` does. Each server runs in its own child process (this file with ACR_SLACK_BENCH_SERVER=ours|bare), listening on port 0
 * on 127.0.0.1; the load generator (autocannon) and the Slack API double run here. Order alternates (ours, bare,
 * bare, ours; BENCH_SLACK_REPS, default 2), each after a 2 s discarded warm-up; the median of the reps is
 * reported. A third figure, server CPU per answered event (from /proc), is the one least disturbed by other load
 * on this shared machine. Every load loop is bounded in time; children are ended by pid.
 *
 * Ours is the whole product path: the real ChatService (parser, diagnosis, rendering) and Azure gateway against the
 * ARM emulator (its own process, HTTPS, the sample registries under the demo's names), so the ratios include our
 * parsing and diagnosis, not only the Slack plumbing. The bare app posts a pre-rendered answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import https from 'node:https';
import { createAzureGateway } from '../src/adapters/azure/index.js';
import { createChatService } from '../src/app/chat-service.js';
import { startSlack } from '../src/adapters/slack/app.js';
import { createStore } from '../src/adapters/store/index.js';
import { renderReply } from '../src/adapters/slack/render/index.js';
import { signSlackRequest } from '../src/adapters/slack/verify.js';
import { loadConfig } from '../src/config.js';
import type { Reply } from '../src/core/reply.js';
import { createLogger } from '../src/log.js';
import { createHttpServer } from '../src/server.js';
import { SAMPLE_STATE_FILE, startEmulatorProcess, type Emulator } from '../tools/demo.js';
import { SAMPLE } from '../test/support/emulator.js';
import { BY_CAUSE, registry } from '../test/golden/slack/samples.js';
import {
  blockActionsBody,
  eventEnvelope,
  startSlackApi,
  userPost,
  type SlackApiDouble,
} from '../test/support/slack-api.js';
import { result, type BenchResult, type BenchSection } from './types.js';

/** The part of autocannon 9's API used here (the package ships no types). */
interface LoadResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface LoadRequest {
  method: string;
  setupRequest: (req: Record<string, unknown>) => Record<string, unknown>;
}
type Autocannon = (
  opts: {
    url: string;
    method: string;
    connections: number;
    duration: number;
    timeout: number;
    overallRate?: number;
    requests: LoadRequest[];
  },
  done: (err: Error | null, res: LoadResult) => void,
) => { on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void };
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECRET = 'bench-signing-secret-5c1e';
const TOKEN = 'xoxb-bench-token';
const AZURE_DELAY_MS = 10_000;
const ACK_RATE = 50;
/** Longer than the Azure delay, so answers to early clicks (chat.postEphemeral) go out while later clicks are acked. */
const ACK_SECONDS = 12;
const EVENT_SECONDS = 5;
const CONNECTIONS = 10;
/** Discarded load before each measurement, so both servers are measured with their code already optimised. */
const WARMUP_SECONDS = 2;
const REPS = Math.max(1, Math.min(6, Number(process.env.BENCH_SLACK_REPS ?? 2) || 2));

type Kind = 'ours' | 'bare';

const DIAGNOSIS: Reply = { type: 'diagnoses', diagnoses: [BY_CAUSE.ip_not_allowed] };
const REGISTRY_NAME = 'acmeprod';
const REGISTRY_ID = SAMPLE.acmeprod;
const PASTE = `Error response from daemon: Head "https://${REGISTRY_NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${SAMPLE.aksOutboundIp}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const DENIED = /client with IP '([0-9.]+)' is not allowed access/i;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Servers (child processes)
// ---------------------------------------------------------------------------------------------------------------

async function serveOurs(apiUrl: string): Promise<number> {
  const logger = createLogger('silent');
  const config = loadConfig({
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    LOG_LEVEL: 'silent',
  });
  const http = createHttpServer({ logger, readiness: async () => ({}) });
  // As in production: once-per-post claims in the store (SQLite file, WAL), not in memory.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-slack-bench-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const store = await createStore({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
  const gateway = createAzureGateway({
    azure: {
      subscriptionIds: null,
      resourceManagerEndpoint: process.env.ACR_SLACK_BENCH_ARM ?? null,
      emulatorCaPath: process.env.ACR_SLACK_BENCH_CA ?? null,
    },
    logger,
  });
  await startSlack({
    config: config.slack,
    chat: createChatService({ gateway, claims: store }),
    server: http.server,
    logger,
  });
  return http.listen(0, '127.0.0.1');
}

async function serveBare(apiUrl: string): Promise<number> {
  const { App, LogLevel } = await import('@slack/bolt');
  const app = new App({
    signingSecret: SECRET,
    token: TOKEN,
    clientOptions: { slackApiUrl: apiUrl },
    logLevel: LogLevel.ERROR,
  });
  const answer = renderReply(DIAGNOSIS);
  const rules = renderReply({ type: 'firewall', registry: registry() });
  app.action('show_rules', async ({ ack, body, client }) => {
    await ack();
    await sleep(AZURE_DELAY_MS);
    const b = body as { user: { id: string }; channel?: { id?: string } };
    await client.chat.postEphemeral({
      channel: b.channel?.id ?? '',
      user: b.user.id,
      text: rules.text,
      blocks: rules.blocks as never,
    });
  });
  app.message(DENIED, async ({ message, say }) => {
    const ts = (message as { ts: string }).ts;
    await say({ text: answer.text, blocks: answer.blocks as never, thread_ts: ts });
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function serve(kind: Kind): Promise<void> {
  const apiUrl = process.env.ACR_SLACK_BENCH_API ?? '';
  const port = kind === 'ours' ? await serveOurs(apiUrl) : await serveBare(apiUrl);
  // Exit cleanly when the parent ends us, so `--cpu-prof` runs of this server write their profile.
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
  process.stdout.write(`READY ${port}\n`);
}

interface Child {
  proc: ChildProcess;
  port: number;
}

async function startChild(kind: Kind, apiUrl: string, arm: Emulator): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: {
      ...process.env,
      ACR_SLACK_BENCH_SERVER: kind,
      ACR_SLACK_BENCH_API: apiUrl,
      ACR_SLACK_BENCH_ARM: arm.url,
      ACR_SLACK_BENCH_CA: arm.caPath,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${kind} server did not start in 30 s: ${stderr.slice(0, 500)}`)),
      30_000,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited (${code}): ${stderr.slice(0, 500)}`));
    });
  });
  return { proc, port };
}

async function stopChild(child: Child): Promise<void> {
  if (child.proc.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.proc.once('exit', () => r()));
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------------------------

function signedHeaders(body: string, contentType: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': ts,
    'x-slack-signature': signSlackRequest(SECRET, ts, body),
  };
}

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface AckRun {
  p50: number;
  p99: number;
  ok: number;
  bad: number;
}

async function ackLatency(port: number, api: SlackApiDouble, seconds = ACK_SECONDS): Promise<AckRun> {
  const body = blockActionsBody({
    actionId: 'show_rules',
    value: JSON.stringify({ registryId: REGISTRY_ID }),
    messageTs: '1800000000.000001',
    responseUrl: api.responseUrl('bench'),
  });
  const lat: number[] = [];
  const r = await new Promise<LoadResult>((resolve, reject) => {
    const inst = autocannon(
      {
        url: `http://127.0.0.1:${port}/slack/events`,
        method: 'POST',
        connections: CONNECTIONS,
        overallRate: ACK_RATE,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => ({
              ...req,
              body,
              headers: signedHeaders(body, 'application/x-www-form-urlencoded'),
            }),
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    inst.on('response', (_c, status, _b, ms) => {
      if (status === 200) lat.push(ms);
    });
  });
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), ok: lat.length, bad: r.non2xx + r.errors + r.timeouts };
}

interface EventRun {
  acked: number;
  answered: number;
  /** Server CPU (user + system) per answered event: robust to other load on this shared machine. */
  cpuMsPerEvent: number;
  bad: number;
}

/** CPU seconds (utime + stime) a process has used, from /proc (Linux; NaN elsewhere). Clock ticks are 100 Hz. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

let eventSeq = 0;

async function eventsPerSecond(
  port: number,
  pid: number | undefined,
  api: SlackApiDouble,
  duration = EVENT_SECONDS,
): Promise<EventRun> {
  const before = api.callsTo('chat.postMessage').length;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const r = await new Promise<LoadResult>((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}/slack/events`,
        method: 'POST',
        connections: CONNECTIONS,
        duration,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              eventSeq += 1;
              const ts = `1750000000.${String(eventSeq).padStart(6, '0')}`;
              const body = eventEnvelope(userPost({ text: PASTE, ts }), `EvBench${eventSeq}`);
              return { ...req, body, headers: signedHeaders(body, 'application/json') };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
  const t1 = performance.now();
  const cpu1 = cpuSeconds(pid);
  const seconds = (t1 - t0) / 1000;
  const answered = api
    .callsTo('chat.postMessage')
    .slice(before)
    .filter((c) => c.at <= t1).length;
  return {
    acked: r['2xx'] / seconds,
    answered: answered / seconds,
    cpuMsPerEvent: (1000 * (cpu1 - cpu0)) / Math.max(1, answered),
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

/** The emulator's control API (POST/DELETE /_emulator/faults) over its HTTPS with its own CA. */
function control(arm: Emulator, method: 'POST' | 'DELETE', what: string, body?: unknown): Promise<void> {
  const ca = fs.readFileSync(arm.caPath);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${arm.url}/_emulator/${what}`,
      { method, ca, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 300
            ? resolve()
            : reject(new Error(`emulator ${method} ${what}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Azure answers every GET of the registry after 10 s (until cleared). */
const slowRegistry = (arm: Emulator) =>
  control(arm, 'POST', 'faults', {
    method: 'GET',
    pathPattern: `/registries/${REGISTRY_NAME}$`,
    delayMs: AZURE_DELAY_MS,
    times: null,
  });
const clearFaults = (arm: Emulator) => control(arm, 'DELETE', 'faults');

// ---------------------------------------------------------------------------------------------------------------
// Section
// ---------------------------------------------------------------------------------------------------------------

async function run(): Promise<BenchResult[]> {
  const api = await startSlackApi({ users: { U0DEV01: { name: 'dev', email: 'dev@contoso.com' } } });
  const arm = await startEmulatorProcess(SAMPLE_STATE_FILE);
  const order: Kind[] = [];
  for (let rep = 0; rep < REPS; rep++)
    order.push(...(rep % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const)));
  const acks: Record<Kind, AckRun[]> = { ours: [], bare: [] };
  const events: Record<Kind, EventRun[]> = { ours: [], bare: [] };
  try {
    for (const kind of order) {
      // A fresh server per measurement: pending 10 s handler calls from the click run must not load the event run.
      let child = await startChild(kind, api.url, arm);
      await slowRegistry(arm);
      try {
        await ackLatency(child.port, api, WARMUP_SECONDS);
        acks[kind].push(await ackLatency(child.port, api));
      } finally {
        await stopChild(child);
        await clearFaults(arm);
      }
      child = await startChild(kind, api.url, arm);
      try {
        await eventsPerSecond(child.port, child.proc.pid, api, WARMUP_SECONDS);
        events[kind].push(await eventsPerSecond(child.port, child.proc.pid, api));
      } finally {
        await stopChild(child);
      }
    }
  } finally {
    await api.close();
    await arm.stop();
  }
  const m = (kind: Kind, f: (r: AckRun) => number) => median(acks[kind].map(f));
  const e = (kind: Kind, f: (r: EventRun) => number) => median(events[kind].map(f));
  const bad =
    [...acks.ours, ...acks.bare].reduce((s, r) => s + r.bad, 0) +
    [...events.ours, ...events.bare].reduce((s, r) => s + r.bad, 0);
  const note = `bare Bolt 5.1 app, same run; median of ${REPS}; ${CONNECTIONS} connections${bad ? `; ${bad} non-2xx/errors` : ''}`;
  return [
    result(
      'slack ack latency p50, button click, Azure 10 s',
      m('ours', (r) => r.p50),
      'ms',
      m('bare', (r) => r.p50),
      `${ACK_RATE} clicks/s for ${ACK_SECONDS} s; ${note}`,
    ),
    result(
      'slack ack latency p99, button click, Azure 10 s',
      m('ours', (r) => r.p99),
      'ms',
      m('bare', (r) => r.p99),
      `aim < 100 ms; ${note}`,
    ),
    result(
      'slack pasted-error events acked',
      e('ours', (r) => r.acked),
      'events/s',
      e('bare', (r) => r.acked),
      note,
    ),
    result(
      'slack pasted-error events answered',
      e('ours', (r) => r.answered),
      'events/s',
      e('bare', (r) => r.answered),
      `one chat.postMessage each; ${note}`,
    ),
    result(
      'slack server CPU per answered pasted error',
      e('ours', (r) => r.cpuMsPerEvent),
      'ms',
      e('bare', (r) => r.cpuMsPerEvent),
      `user+sys of the server process; ${note}`,
    ),
  ];
}

export const section: BenchSection = {
  title: 'Slack: ack latency under slow Azure, pasted-error throughput (vs bare Bolt, same run)',
  run,
};

const role = process.env.ACR_SLACK_BENCH_SERVER;
if (role === 'ours' || role === 'bare') {
  serve(role).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
