/**
 * Teams paste path (`npm run bench -- teams`): POST /api/messages with a pasted ACR error in a personal chat, our
 * bot (`node dist/main.js`, local anonymous mode, Azure = the ARM emulator, so the measured path is the real one:
 * parse, claim, diagnosis with a warm gateway cache, card, one reply) against a bare botbuilder echo bot, and an
 * echo bot answering with our card (what the size of the answer alone costs). Every request carries a new activity
 * id. c=10, fresh server per run, interleaved, median of 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PASTE, teamsActivity } from './lib/messages.js';
import { prime, targetOf, teamsLoad, type Run } from './lib/drive.js';
import { RUNS, seconds } from './lib/options.js';
import { rounds } from './lib/rounds.js';
import { startStack, type Kind, type Stack } from './lib/stack.js';
import { median } from './lib/stats.js';
import { result, type BenchResult, type BenchSection } from './types.js';

const DURATION_S = seconds(8);
const WARMUP_S = seconds(2);

/** One paste to our bot; its reply's card is what the echo_card baseline answers with. */
async function captureCard(stack: Stack): Promise<string> {
  const probe = await stack.start('ours');
  try {
    const r = await fetch(`http://127.0.0.1:${probe.port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: teamsActivity(stack.connector.serviceUrl, PASTE, 'personal'),
    });
    await r.text();
    if (r.status !== 200) throw new Error(`ours: the probe paste was answered ${r.status}`);
    const reply = JSON.parse(stack.connector.lastBody()) as { attachments?: Array<{ content?: unknown }> };
    const card = reply.attachments?.[0]?.content;
    if (!card) throw new Error('ours: the probe reply carried no card');
    const file = path.join(stack.tmp, 'card.json');
    fs.writeFileSync(file, JSON.stringify(card));
    return file;
  } finally {
    await stack.stop(probe);
  }
}

async function run(): Promise<BenchResult[]> {
  const stack = await startStack();
  try {
    stack.files.card = await captureCard(stack);
    const kinds: Kind[] = ['echo', 'ours', 'echo_card'];
    const runs = await rounds(
      stack,
      kinds,
      RUNS,
      async (kind, child, warmup) => {
        const r = await teamsLoad(
          targetOf(child),
          stack.connector,
          PASTE,
          'personal',
          warmup ? WARMUP_S : DURATION_S,
          true,
        );
        if (r.bad > 0) throw new Error(`${kind}: ${r.bad} failed requests`);
        if (r.repliesPerRequest < 0.99)
          throw new Error(`${kind}: ${r.repliesPerRequest.toFixed(2)} replies per request (expected 1)`);
        return r;
      },
      { prime: (_kind, child) => prime('teams', targetOf(child), stack, PASTE, true) },
    );
    const m = (k: Kind, f: (r: Run) => number) => median(runs.get(k)!.map(f));
    const cardKiB = (fs.statSync(stack.files.card).size / 1024).toFixed(1);
    const common = { runs: RUNS };
    return [
      result(
        'teams: pasted error, throughput',
        m('ours', (r) => r.rps),
        'req/s',
        m('echo', (r) => r.rps),
        {
          ...common,
          target: 'ratio >= 0.85',
          note: 'baseline: bare botbuilder echo bot',
        },
      ),
      result(
        'teams: pasted error, p99 latency',
        m('ours', (r) => r.p99),
        'ms',
        m('echo', (r) => r.p99),
        {
          ...common,
          note: 'baseline: bare botbuilder echo bot',
        },
      ),
      result(
        'teams: pasted error, server CPU per request',
        m('ours', (r) => r.cpuMsPerMessage),
        'ms',
        m('echo', (r) => r.cpuMsPerMessage),
        { ...common, note: 'baseline: bare echo bot; 1/ratio is the throughput ratio on a saturated core' },
      ),
      result(
        'teams: echo bot answering with our card, throughput',
        m('echo_card', (r) => r.rps),
        'req/s',
        m('echo', (r) => r.rps),
        { ...common, note: `baseline: bare echo bot; what the size of the answer alone costs (card ${cardKiB} KiB)` },
      ),
      result(
        'teams: pasted error, throughput vs the same-card echo bot',
        m('ours', (r) => r.rps),
        'req/s',
        m('echo_card', (r) => r.rps),
        { ...common, note: 'baseline: echo bot answering with the same card; what our own work costs' },
      ),
      result(
        'teams: pasted error, server CPU per request vs the same-card echo bot',
        m('ours', (r) => r.cpuMsPerMessage),
        'ms',
        m('echo_card', (r) => r.cpuMsPerMessage),
        { ...common, note: 'baseline: echo bot answering with the same card' },
      ),
    ];
  } finally {
    await stack.close();
  }
}

export const section: BenchSection = {
  title: `Teams paste path: our bot vs a bare botbuilder echo bot and an echo bot answering with our card, ${DURATION_S} s × ${RUNS} interleaved`,
  run,
};
