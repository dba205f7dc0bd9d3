/**
 * Chatter (`npm run bench -- chatter`): channel messages that hold no ACR error, which the bot reads (Teams RSC,
 * Slack `message.channels`) and must leave alone at almost no cost. Server CPU per message against the bare
 * framework ignoring the same message: on Teams a botbuilder bot with no message handler (restify + CloudAdapter +
 * ActivityHandler), on Slack a Bolt 5.1 app whose only message listener does not match. Also the outbound calls a
 * chatter message causes (Bot Connector posts, Slack Web API calls): the aim is none. Interleaved, median of 3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { slackLoad, targetOf, teamsLoad, type Run } from './lib/drive.js';
import { CHATTER } from './lib/messages.js';
import { RUNS, seconds } from './lib/options.js';
import { rounds } from './lib/rounds.js';
import { startStack, type Kind } from './lib/stack.js';
import { median } from './lib/stats.js';
import { result, type BenchResult, type BenchSection } from './types.js';

const DURATION_S = seconds(6);
const WARMUP_S = seconds(2);

async function run(): Promise<BenchResult[]> {
  const stack = await startStack();
  try {
    // The bare Bolt app reads its answers at start; chatter never uses them.
    stack.files.answers = path.join(stack.tmp, 'answers-unused.json');
    fs.writeFileSync(stack.files.answers, JSON.stringify({ paste: { text: '-' }, rules: { text: '-' } }));
    const teams = await rounds(stack, ['ignoring', 'ours'], RUNS, async (kind, child, warmup) => {
      const r = await teamsLoad(
        targetOf(child),
        stack.connector,
        CHATTER,
        'channel',
        warmup ? WARMUP_S : DURATION_S,
        false,
      );
      if (r.bad > 0) throw new Error(`teams chatter, ${kind}: ${r.bad} failed requests`);
      return r;
    });
    const slack = await rounds(stack, ['bolt', 'ours_slack'], RUNS, async (kind, child, warmup) => {
      const r = await slackLoad(targetOf(child), stack.slack, CHATTER, warmup ? WARMUP_S : DURATION_S, false);
      if (r.bad > 0) throw new Error(`slack chatter, ${kind}: ${r.bad} failed requests`);
      return r;
    });
    const t = (k: Kind, f: (r: Run) => number) => median(teams.get(k)!.map(f));
    const s = (k: Kind, f: (r: Run) => number) => median(slack.get(k)!.map(f));
    const max = (runs: Run[], f: (r: Run) => number) => Math.max(...runs.map(f));
    return [
      result(
        'teams chatter: server CPU per message',
        t('ours', (r) => r.cpuMsPerMessage),
        'ms',
        t('ignoring', (r) => r.cpuMsPerMessage),
        { runs: RUNS, target: 'ratio <= 1.1', note: 'baseline: botbuilder bot with no message handler' },
      ),
      result(
        'teams chatter: messages per second',
        t('ours', (r) => r.rps),
        'msg/s',
        t('ignoring', (r) => r.rps),
        {
          runs: RUNS,
          note: 'baseline: botbuilder bot with no message handler; c=10',
        },
      ),
      result(
        'teams chatter: Bot Connector calls per message',
        max(teams.get('ours')!, (r) => r.repliesPerRequest),
        'calls',
        null,
        { runs: RUNS, target: 'value = 0', note: 'most over the runs' },
      ),
      result(
        'slack chatter: server CPU per message',
        s('ours_slack', (r) => r.cpuMsPerMessage),
        'ms',
        s('bolt', (r) => r.cpuMsPerMessage),
        { runs: RUNS, target: 'ratio <= 1.1', note: 'baseline: Bolt 5.1 app whose message listener does not match' },
      ),
      result(
        'slack chatter: events per second',
        s('ours_slack', (r) => r.rps),
        'events/s',
        s('bolt', (r) => r.rps),
        { runs: RUNS, note: 'baseline: Bolt 5.1 app whose message listener does not match; c=10' },
      ),
      result(
        'slack chatter: Web API calls per message',
        max(slack.get('ours_slack')!, (r) => r.slackCallsPerRequest),
        'calls',
        null,
        { runs: RUNS, target: 'value = 0', note: 'most over the runs' },
      ),
    ];
  } finally {
    await stack.close();
  }
}

export const section: BenchSection = {
  title: `Chatter: channel messages with no ACR error, our bot vs the bare framework ignoring them, ${DURATION_S} s × ${RUNS} interleaved`,
  run,
};
