/**
 * Slack (`npm run bench -- slack`): our bot (`node dist/main.js` with Slack over HTTP on the same server, SQLite
 * file store, Azure = the ARM emulator) against a bare Bolt 5.1 app (default HTTPReceiver) answering with the same
 * pre-rendered messages, each in its own process, interleaved, median of 3:
 *
 * 1. Pasted-error events: every request a new signed `message` event in a channel; acked events/s, answered
 *    events/s (chat.postMessage calls that reached the Slack API double inside the load window) and server CPU per
 *    answered paste.
 * 2. Ack latency of button clicks (Show rules) while Azure takes 10 s (the emulator delays every GET of the
 *    registry): p50/p99 of the HTTP response at a steady 50 clicks/s for 12 s, so hundreds of slow reads are pending
 *    and the first answers go out while later clicks are acked. The bare app acks, waits 10 s and posts the rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { blockActionsBody } from '../test/support/slack-api.js';
import { SAMPLE } from '../test/support/emulator.js';
import { prime, slackLoad, targetOf, type Run } from './lib/drive.js';
import { clearFaults, slowRegistry } from './lib/faults.js';
import { load } from './lib/load.js';
import { PASTE, slackHeaders, slackPost } from './lib/messages.js';
import { RUNS, seconds, wants } from './lib/options.js';
import { rounds } from './lib/rounds.js';
import { startStack, type Kind, type Stack } from './lib/stack.js';
import { median, pct, sleep } from './lib/stats.js';
import { result, type BenchResult, type BenchSection } from './types.js';

const AZURE_DELAY_MS = 10_000;
const ACK_RATE = 50;
/**
 * Longer than the Azure delay, so answers to early clicks go out while later clicks are acked; not shortened by
 * `--quick` (a shorter run would end before the first slow read returns, and show nothing of that).
 */
const ACK_SECONDS = 12;
const EVENT_SECONDS = seconds(6);
const WARMUP_S = seconds(2);

function clickBody(stack: Stack): string {
  return blockActionsBody({
    actionId: 'show_rules',
    value: JSON.stringify({ registryId: SAMPLE.acmeprod }),
    messageTs: '1800000000.000001',
    responseUrl: stack.slack.responseUrl('bench'),
  });
}

/** One paste and one click to our bot (Azure fast): what it posted is what the bare app answers with. */
async function captureAnswers(stack: Stack): Promise<string> {
  const probe = await stack.start('ours_slack');
  try {
    const url = `http://127.0.0.1:${probe.port}/slack/events`;
    const paste = slackPost(PASTE);
    await (await fetch(url, { method: 'POST', ...paste })).text();
    const [answer] = await stack.slack.waitFor('chat.postMessage', 1, 60_000);
    const click = clickBody(stack);
    const before = stack.slack.callsTo('chat.postEphemeral').length;
    const headers = slackHeaders(click, 'application/x-www-form-urlencoded');
    await (await fetch(url, { method: 'POST', headers, body: click })).text();
    const rules = (await stack.slack.waitFor('chat.postEphemeral', before + 1, 60_000))[before]!;
    const pick = (a: Record<string, unknown>) => ({ text: a.text, blocks: a.blocks });
    const file = path.join(stack.tmp, 'answers.json');
    fs.writeFileSync(file, JSON.stringify({ paste: pick(answer!.args), rules: pick(rules.args) }));
    return file;
  } finally {
    await stack.stop(probe);
  }
}

interface Acks {
  p50: number;
  p99: number;
  bad: number;
}

async function run(): Promise<BenchResult[]> {
  const stack = await startStack();
  try {
    stack.files.answers = await captureAnswers(stack);
    // `--only`: measure just what the asked-for rows need (e.g. `--only 'ack latency'`: no paste runs).
    const doEvents = ['slack pasted-error events', 'slack server CPU per answered pasted error'].some(wants);
    const doAcks = wants('slack ack latency');
    const none = new Map<Kind, never[]>([
      ['bolt', []],
      ['ours_slack', []],
    ]);
    const events = !doEvents
      ? none
      : await rounds(
          stack,
          ['bolt', 'ours_slack'],
          RUNS,
          async (kind, child, warmup) => {
            const r = await slackLoad(targetOf(child), stack.slack, PASTE, warmup ? WARMUP_S : EVENT_SECONDS, true);
            if (r.bad > 0) throw new Error(`slack paste, ${kind}: ${r.bad} failed requests`);
            return r;
          },
          { prime: (_kind, child) => prime('slack', targetOf(child), stack, PASTE, true) },
        );
    const click = clickBody(stack);
    const acks = !doAcks
      ? none
      : await rounds(
          stack,
          ['bolt', 'ours_slack'],
          RUNS,
          async (_kind, child, warmup) => {
            if (warmup) await slowRegistry(stack.emulator, 'acmeprod', AZURE_DELAY_MS);
            const r = await load({
              url: `http://127.0.0.1:${child.port}/slack/events`,
              seconds: warmup ? WARMUP_S : ACK_SECONDS,
              rate: ACK_RATE,
              next: () => ({ body: click, headers: slackHeaders(click, 'application/x-www-form-urlencoded') }),
            });
            if (!warmup) await clearFaults(stack.emulator);
            return { p50: pct(r.latencies, 0.5), p99: pct(r.latencies, 0.99), bad: r.bad } satisfies Acks;
          },
          { start: (kind) => (kind === 'bolt' ? { extraEnv: { BARE_AZURE_DELAY_MS: String(AZURE_DELAY_MS) } } : {}) },
        );
    await sleep(100);
    const e = (k: Kind, f: (r: Run) => number) => median((events.get(k) as Run[]).map(f));
    const a = (k: Kind, f: (r: Acks) => number) => median((acks.get(k) as Acks[]).map(f));
    const bad = [...acks.values()].flat().reduce((n: number, r: Acks) => n + r.bad, 0);
    const note = `bare Bolt 5.1 app, same run${bad ? `; ${bad} click requests failed` : ''}`;
    const rows = { runs: RUNS };
    const eventRows = () => [
      result(
        'slack pasted-error events acked',
        e('ours_slack', (r) => r.rps),
        'events/s',
        e('bolt', (r) => r.rps),
        {
          ...rows,
          note,
        },
      ),
      result(
        'slack pasted-error events answered',
        e('ours_slack', (r) => r.answeredPerSecond),
        'events/s',
        e('bolt', (r) => r.answeredPerSecond),
        { ...rows, target: 'ratio >= 0.8', note: `one chat.postMessage each; ${note}` },
      ),
      result(
        'slack server CPU per answered pasted error',
        e('ours_slack', (r) => r.cpuMsPerMessage),
        'ms',
        e('bolt', (r) => r.cpuMsPerMessage),
        { ...rows, note: `user+sys of the server process; ${note}` },
      ),
    ];
    const ackRows = () => [
      result(
        'slack ack latency p50, button click, Azure 10 s',
        a('ours_slack', (r) => r.p50),
        'ms',
        a('bolt', (r) => r.p50),
        { ...rows, note: `${ACK_RATE} clicks/s for ${ACK_SECONDS} s; ${note}` },
      ),
      result(
        'slack ack latency p99, button click, Azure 10 s',
        a('ours_slack', (r) => r.p99),
        'ms',
        a('bolt', (r) => r.p99),
        { ...rows, target: 'value < 100 and ratio <= 1.3', note: `${ACK_RATE} clicks/s for ${ACK_SECONDS} s; ${note}` },
      ),
    ];
    return [...(doEvents ? eventRows() : []), ...(doAcks ? ackRows() : [])];
  } finally {
    await clearFaults(stack.emulator).catch(() => {});
    await stack.close();
  }
}

export const section: BenchSection = {
  title: `Slack: pasted errors and button acks under slow Azure, our bot vs bare Bolt 5.1, ${RUNS} interleaved`,
  run,
};
