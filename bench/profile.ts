/**
 * `npm run profile -- teams|slack [--chatter] [--n 2000] [--against DIR]`: where our bot's CPU goes on the paste
 * path (or on chatter) of one platform.
 *
 * Profile: our bot runs as `npm start` runs it (`node dist/main.js`, SQLite file, log level info, Azure = the ARM
 * emulator, Slack over HTTP against the local Slack API double) under `node --cpu-prof`; it gets N/4 messages to
 * warm up, then N more, then SIGTERM (a clean exit writes the profile). The `.cpuprofile` lands in
 * bench/results/profiles/ (open it in Chrome DevTools or speedscope for a flame graph); the summary printed here
 * (and saved next to it) counts only the samples taken while the N messages were handled.
 *
 * --against DIR [--after DIR]: no profile; server CPU per message of this build and of another build of dist/ (e.g. the one
 * before a change), each on a fresh process, alternating, median of 3: the same-run before/after ratio.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHATTER, PASTE } from './lib/messages.js';
import { QUICK } from './lib/options.js';
import { cpuMs } from './lib/proc.js';
import { ROOT, startStack, type Stack, type StartOptions } from './lib/stack.js';
import { median } from './lib/stats.js';
import { formatSummary, nowMicros, summarise, type CpuProfile } from './profile/summary.js';
import { send, type Platform } from './profile/send.js';

const args = process.argv.slice(2);
const platform = args.find((a) => a === 'teams' || a === 'slack') as Platform | undefined;
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const chatter = args.includes('--chatter');
const n = Number(flag('--n') ?? (QUICK ? 300 : 2000));
const against = flag('--against');
/** The build compared against --against (default: dist/, built from src/ when stale). */
const after = flag('--after');
const OUT = path.join(ROOT, 'bench/results/profiles');

async function measure(
  stack: Stack,
  options: StartOptions,
): Promise<{ cpuPerMessage: number; window: [number, number] }> {
  const kind = platform === 'slack' ? 'ours_slack' : 'ours';
  const child = await stack.start(kind, options);
  try {
    const text = chatter ? CHATTER : PASTE;
    const doubles = { connector: stack.connector, slack: stack.slack };
    await send(platform!, child.port, doubles, text, Math.ceil(n / 4), !chatter);
    const cpu0 = cpuMs(child.proc.pid);
    const from = nowMicros();
    await send(platform!, child.port, doubles, text, n, !chatter);
    const to = nowMicros();
    return { cpuPerMessage: (cpuMs(child.proc.pid) - cpu0) / n, window: [from, to] };
  } finally {
    await stack.stop(child);
  }
}

async function profile(stack: Stack): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const name = `${platform}-${chatter ? 'chatter' : 'paste'}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const file = path.join(OUT, `${name}.cpuprofile`);
  const r = await measure(stack, {
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', OUT, '--cpu-prof-name', `${name}.cpuprofile`],
  });
  if (!fs.existsSync(file)) throw new Error(`no profile written at ${file}`);
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const text = formatSummary(summarise(prof, ROOT, { from: r.window[0], to: r.window[1] }), r.cpuPerMessage);
  const out = `${platform} ${chatter ? 'chatter' : 'paste'}, ${n} messages, server CPU ${r.cpuPerMessage.toFixed(3)} ms per message (/proc)\n${text}\n`;
  fs.writeFileSync(path.join(OUT, `${name}.txt`), out);
  process.stdout.write(`${out}\nprofile: ${path.relative(ROOT, file)}\n`);
}

async function compare(stack: Stack, before: string): Promise<void> {
  const runs = { before: [] as number[], after: [] as number[] };
  for (let i = 0; i < (QUICK ? 1 : 3); i++) {
    for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
      const dist = side === 'before' ? before : after;
      const r = await measure(stack, dist ? { dist: path.resolve(dist) } : {});
      runs[side].push(r.cpuPerMessage);
    }
  }
  const b = median(runs.before);
  const a = median(runs.after);
  process.stdout.write(
    `${platform} ${chatter ? 'chatter' : 'paste'}: server CPU per message, median of ${runs.after.length} interleaved, ${n} messages each\n` +
      `  before (${before}): ${b.toFixed(3)} ms  [${runs.before.map((x) => x.toFixed(3)).join(', ')}]\n` +
      `  after  (${after ?? 'dist'}): ${a.toFixed(3)} ms  [${runs.after.map((x) => x.toFixed(3)).join(', ')}]\n` +
      `  after/before: ${(a / b).toFixed(3)}\n`,
  );
}

async function main(): Promise<void> {
  if (!platform) throw new Error('usage: npm run profile -- teams|slack [--chatter] [--n 2000] [--against DIR]');
  const stack = await startStack();
  try {
    if (against) await compare(stack, against);
    else await profile(stack);
  } finally {
    await stack.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
