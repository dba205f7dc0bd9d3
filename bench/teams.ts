/**
 * Teams section of `npm run bench`: POST /api/messages with a pasted ACR error, our bot (`node dist/main.js`, local
 * anonymous mode) against a bare botbuilder echo bot (restify + CloudAdapter + ActivityHandler replying with one
 * message), both measured in this run, interleaved, each replying to the same local Bot Connector double. Every
 * request carries a new activity id (our bot answers an id once). Also: cold start to the first 200 and idle RSS.
 * Our bot reads Azure from the ARM emulator (separate process, sample registries), so the measured path is the
 * real one: parse, diagnosis with a warm gateway cache (the warm-up fills it), card rendering, one reply.
 * Everything listens on 127.0.0.1 port 0 (or a port just found free); every loop is bounded in time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { SAMPLE_STATE_FILE, startEmulatorProcess, type Emulator } from '../tools/demo.js';
import { freePort } from '../tools/playground.js';
import { result, type BenchResult, type BenchSection } from './types.js';

/** The part of autocannon 9's API used here (the package ships no types). */
interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p99: number };
}
type Autocannon = (opts: {
  url: string;
  method: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
  requests: Array<{ setupRequest: (req: Record<string, unknown>) => Record<string, unknown> }>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_S = Number(process.env.BENCH_TEAMS_SECONDS ?? 8);
const WARMUP_S = 2;
const CONNECTIONS = 10;
const REPS = Number(process.env.BENCH_TEAMS_REPS ?? 3);
const COLD_RUNS = 3;

const PASTE =
  // acmeprod: the sample's acmeprod under the demo's names; 20.61.14.37 is not allowed there (ip_not_allowed).
  'Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP \'20.61.14.37\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.';

/** The bare baseline: what the botbuilder samples do, anonymous, one reply per message (CommonJS, run with node -e). */
const ECHO_BOT = `
const restify = require('restify');
const { CloudAdapter, ConfigurationBotFrameworkAuthentication, ActivityHandler } = require('botbuilder');
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
class Bot extends ActivityHandler { constructor() { super(); this.onMessage(async (ctx, next) => { await ctx.sendActivity('echo: ' + ctx.activity.text); await next(); }); } }
const bot = new Bot();
const server = restify.createServer(); server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => { await adapter.process(req, res, (ctx) => bot.run(ctx)); });
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening on port ' + server.address().port })));
`;

/**
 * A second baseline: the same echo bot, replying with the card our bot sends for the paste (read from a file). It
 * separates what the size of the answer costs (botbuilder serialises and sends a ~3.4 KB card instead of one line)
 * from what our own work costs.
 */
const ECHO_CARD_BOT = ECHO_BOT.replace(
  `this.onMessage(async (ctx, next) => { await ctx.sendActivity('echo: ' + ctx.activity.text); await next(); });`,
  `const card = JSON.parse(require('fs').readFileSync(process.env.ECHO_CARD_FILE, 'utf8')); this.onMessage(async (ctx, next) => { await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }); await next(); });`,
);

interface Server {
  child: ChildProcess;
  port: number;
}

type Kind = 'bot' | 'echo' | 'echo_card';

let cardFile = '';

function command(kind: Kind): [string, string[]] {
  if (kind === 'bot') return [process.execPath, [path.join(ROOT, 'dist/main.js')]];
  return [process.execPath, ['-e', kind === 'echo' ? ECHO_BOT : ECHO_CARD_BOT]];
}

let emulator: Emulator | null = null;

function env(port: number): NodeJS.ProcessEnv {
  // Local anonymous mode, Azure = the emulator; no Slack; an in-memory store.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATABASE_URL: 'sqlite::memory:',
    ...(cardFile ? { ECHO_CARD_FILE: cardFile } : {}),
    ...(emulator ? { AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url, AZURE_EMULATOR_CA: emulator.caPath } : {}),
  };
}

async function startServer(kind: Kind): Promise<Server> {
  const [cmd, args] = command(kind);
  const child = spawn(cmd, args, { cwd: ROOT, env: env(0), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`${kind} exited (${code}):\n${out}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

interface Connector {
  serviceUrl: string;
  posts: () => number;
  /** The body of the most recent POST (a reply activity). */
  lastBody: () => string;
  close(): Promise<void>;
}

async function startConnector(): Promise<Connector> {
  let posts = 0;
  let lastBody = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        posts += 1;
        lastBody = Buffer.concat(chunks).toString('utf8');
      }
      res.setHeader('content-type', 'application/json');
      res.end('{"id":"1"}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    posts: () => posts,
    lastBody: () => lastBody,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let seq = 0;
function activity(serviceUrl: string): string {
  seq += 1;
  const id = `bench-${process.pid}-${seq}`;
  return JSON.stringify({
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:bench-user', name: 'Bench User', aadObjectId: '00000000-0000-4000-8000-0000000000be' },
    recipient: { id: '28:bench-bot', name: 'ACR Access' },
    conversation: { id: 'a:bench-personal', conversationType: 'personal', tenantId: 'bench' },
    text: PASTE,
    textFormat: 'plain',
    channelData: { tenant: { id: 'bench' } },
  });
}

async function post(port: number, body: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await r.text();
  return r.status;
}

interface Load {
  rps: number;
  p99: number;
  non2xx: number;
  outboundPerRequest: number;
  /** Server CPU (user + system) per 2xx request: steadier than req/s on a shared machine. */
  cpuMsPerRequest: number;
}

/** utime + stime of a process in ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function load(port: number, connector: Connector, seconds: number, pid: number): Promise<Load> {
  const before = connector.posts();
  const cpu0 = cpuMs(pid);
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/api/messages`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, body: activity(connector.serviceUrl) }) }],
  });
  const cpu1 = cpuMs(pid);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const ok = r['2xx'];
  return {
    rps: ok / r.duration,
    p99: r.latency.p99,
    non2xx: r.non2xx + r.errors + r.timeouts,
    outboundPerRequest: ok > 0 ? (connector.posts() - before) / ok : 0,
    cpuMsPerRequest: ok > 0 ? (cpu1 - cpu0) / ok : 0,
  };
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Spawn, POST every 5 ms until the first 200 (bounded at 20 s), read idle RSS 500 ms later. */
async function coldStart(kind: Kind, connector: Connector): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const [cmd, args] = command(kind);
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { cwd: ROOT, env: env(port), stdio: 'ignore' });
  try {
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (status !== 200) {
      if (Date.now() > deadline) throw new Error(`${kind}: no 200 within 20 s`);
      try {
        status = await post(port, activity(connector.serviceUrl));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { ms, rss: rssMiB(child.pid!) };
  } finally {
    await stop(child);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

export const section: BenchSection = {
  title: `Teams /api/messages: our bot (dist/main.js) vs a bare botbuilder echo bot and an echo bot answering with our card, c=${CONNECTIONS}, ${DURATION_S} s × ${REPS} interleaved`,
  async run(): Promise<BenchResult[]> {
    const build = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
    );
    // tsc still emits when other areas have type errors; what matters here is a fresh dist/main.js.
    const main = path.join(ROOT, 'dist/main.js');
    if (!fs.existsSync(main) || Date.now() - fs.statSync(main).mtimeMs > 60_000 * 10)
      throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    if (build.status !== 0)
      process.stderr.write(`(teams bench: tsc reported type errors elsewhere; dist/ was emitted)\n`);
    const connector = await startConnector();
    emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
    try {
      // The card our bot answers the paste with, for the same-card echo baseline.
      const probe = await startServer('bot');
      try {
        if ((await post(probe.port, activity(connector.serviceUrl))) !== 200)
          throw new Error('bot: the probe paste was not answered');
        const reply = JSON.parse(connector.lastBody()) as { attachments?: Array<{ content?: unknown }> };
        const card = reply.attachments?.[0]?.content;
        if (!card) throw new Error('bot: the probe reply carried no card');
        cardFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acr-bench-card-')), 'card.json');
        fs.writeFileSync(cardFile, JSON.stringify(card));
      } finally {
        await stop(probe.child);
      }
      const runs: Record<Kind, Load[]> = { bot: [], echo: [], echo_card: [] };
      const orders: Kind[][] = [
        ['echo', 'bot', 'echo_card'],
        ['bot', 'echo_card', 'echo'],
        ['echo_card', 'echo', 'bot'],
      ];
      for (let rep = 0; rep < REPS; rep++) {
        for (const kind of orders[rep % orders.length]!) {
          const server = await startServer(kind);
          try {
            await load(server.port, connector, WARMUP_S, server.child.pid!);
            const r = await load(server.port, connector, DURATION_S, server.child.pid!);
            if (r.non2xx > 0) throw new Error(`${kind}: ${r.non2xx} failed requests`);
            if (r.outboundPerRequest < 0.99)
              throw new Error(
                `${kind}: ${r.outboundPerRequest.toFixed(2)} replies per request (expected 1): is the reply path broken?`,
              );
            runs[kind].push(r);
          } finally {
            await stop(server.child);
          }
        }
      }
      const cold: Record<Kind, Array<{ ms: number; rss: number }>> = { bot: [], echo: [], echo_card: [] };
      for (let i = 0; i < COLD_RUNS; i++)
        for (const kind of ['echo', 'bot'] as Kind[]) cold[kind].push(await coldStart(kind, connector));

      const rps = (k: Kind) => median(runs[k].map((r) => r.rps));
      const p99 = (k: Kind) => median(runs[k].map((r) => r.p99));
      const cpu = (k: Kind) => median(runs[k].map((r) => r.cpuMsPerRequest));
      const coldMs = (k: Kind) => median(cold[k].map((c) => c.ms));
      const rss = (k: Kind) => median(cold[k].map((c) => c.rss));
      return [
        result(
          'teams: pasted error, throughput',
          rps('bot'),
          'req/s',
          rps('echo'),
          'baseline: bare botbuilder echo bot; aim ratio >= 0.8',
        ),
        result('teams: pasted error, p99 latency', p99('bot'), 'ms', p99('echo'), 'baseline: bare botbuilder echo bot'),
        result(
          'teams: pasted error, server CPU per request',
          cpu('bot'),
          'ms',
          cpu('echo'),
          'baseline: bare botbuilder echo bot; 1/ratio is the throughput ratio on a saturated core',
        ),
        result(
          'teams: echo bot answering with our card, throughput',
          rps('echo_card'),
          'req/s',
          rps('echo'),
          `baseline: bare echo bot; what the size of the answer alone costs (card ${(fs.statSync(cardFile).size / 1024).toFixed(1)} KB)`,
        ),
        result(
          'teams: pasted error, throughput vs the same-card echo bot',
          rps('bot'),
          'req/s',
          rps('echo_card'),
          'baseline: echo bot answering with the same card; what our own work costs',
        ),
        result(
          'teams: pasted error, server CPU per request vs the same-card echo bot',
          cpu('bot'),
          'ms',
          cpu('echo_card'),
          'baseline: echo bot answering with the same card',
        ),
        result(
          'teams: cold start to first 200',
          coldMs('bot'),
          'ms',
          coldMs('echo'),
          'spawn node dist/main.js vs the bare echo bot',
        ),
        result('teams: idle RSS after first request', rss('bot'), 'MiB', rss('echo'), 'vs the bare echo bot'),
      ];
    } finally {
      if (cardFile) fs.rmSync(path.dirname(cardFile), { recursive: true, force: true });
      cardFile = '';
      await connector.close();
      await emulator?.stop();
      emulator = null;
    }
  },
};
