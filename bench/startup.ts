/**
 * Start-up (`npm run bench -- startup`): our bot (`node dist/main.js`, Teams only, SQLite file) against the bare
 * botbuilder echo bot, each spawned in its own process, interleaved, median of 3:
 * - cold start: spawn to the first 200 on POST /api/messages (a chatter message, posted every 5 ms until answered),
 *   in wall time and in the server's CPU time (user + system from /proc: what a loaded machine disturbs least);
 * - idle RSS: one second after that first answer;
 * - RSS after one answered paste (our bot then has the Azure SDK loaded; the echo bot echoes the paste).
 * The port is found free here (the server cannot print it before it is asked), bounded at 20 s per start.
 */
import { freePort } from '../tools/playground.js';
import { CHATTER, PASTE, teamsActivity } from './lib/messages.js';
import { RUNS } from './lib/options.js';
import { cpuMs, rssMiB } from './lib/proc.js';
import { startStack, type Kind, type Stack, ROOT } from './lib/stack.js';
import { median, sleep } from './lib/stats.js';
import { spawn } from 'node:child_process';
import { stopChild } from './lib/proc.js';
import { result, type BenchResult, type BenchSection } from './types.js';

interface Start {
  coldMs: number;
  coldCpuMs: number;
  idleRss: number;
  pasteRss: number;
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

async function coldStart(stack: Stack, kind: Kind): Promise<Start> {
  const port = await freePort();
  const c = stack.command(kind, { port });
  const t0 = process.hrtime.bigint();
  const child = spawn(c.cmd, c.args, { cwd: ROOT, env: c.env, stdio: 'ignore' });
  try {
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (status !== 200) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${kind}: no 200 within 20 s`);
      try {
        status = await post(port, teamsActivity(stack.connector.serviceUrl, CHATTER, 'channel'));
      } catch {
        await sleep(5);
      }
    }
    const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const coldCpuMs = cpuMs(child.pid);
    await sleep(1000);
    const idleRss = rssMiB(child.pid);
    if ((await post(port, teamsActivity(stack.connector.serviceUrl, PASTE, 'personal'))) !== 200)
      throw new Error(`${kind}: the paste was not answered`);
    await sleep(500);
    return { coldMs, coldCpuMs, idleRss, pasteRss: rssMiB(child.pid) };
  } finally {
    await stopChild(child);
  }
}

async function run(): Promise<BenchResult[]> {
  const stack = await startStack();
  try {
    const starts: Record<'ours' | 'echo', Start[]> = { ours: [], echo: [] };
    for (let i = 0; i < RUNS; i++)
      for (const kind of i % 2 === 0 ? (['echo', 'ours'] as const) : (['ours', 'echo'] as const))
        starts[kind].push(await coldStart(stack, kind));
    const m = (k: 'ours' | 'echo', f: (s: Start) => number) => median(starts[k].map(f));
    const note = 'separate processes, spawn node dist/main.js vs the bare botbuilder echo bot';
    return [
      result(
        'teams: cold start to first 200',
        m('ours', (s) => s.coldMs),
        'ms',
        m('echo', (s) => s.coldMs),
        {
          runs: RUNS,
          target: 'ratio <= 1.3',
          note,
        },
      ),
      result(
        'teams: server CPU from spawn to first 200',
        m('ours', (s) => s.coldCpuMs),
        'ms',
        m('echo', (s) => s.coldCpuMs),
        { runs: RUNS, note: `${note}; user + system time of the server process` },
      ),
      result(
        'teams: idle RSS after first request',
        m('ours', (s) => s.idleRss),
        'MiB',
        m('echo', (s) => s.idleRss),
        {
          runs: RUNS,
          target: 'ratio <= 1.15',
          note: `${note}; 1 s after the first 200 (a chatter message)`,
        },
      ),
      result(
        'teams: RSS after the first answered paste',
        m('ours', (s) => s.pasteRss),
        'MiB',
        m('echo', (s) => s.pasteRss),
        {
          runs: RUNS,
          note: `${note}; our bot has loaded the Azure SDK by then`,
        },
      ),
    ];
  } finally {
    await stack.close();
  }
}

export const section: BenchSection = {
  title: `Start-up: cold start and resident memory, our bot vs the bare botbuilder echo bot, ${RUNS} interleaved`,
  run,
};
