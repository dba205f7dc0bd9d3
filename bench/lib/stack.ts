/**
 * The world our bot runs in during a bench: the ARM emulator (its own process, HTTPS, the sample registries), a Bot
 * Connector double and a Slack Web API double (both here, loopback). `start(kind)` spawns our bot (`node dist/main.js`
 * after building dist/ when src/ changed, SQLite file store, log level info, as `npm start` runs it) or one of the
 * bare baselines, each in its own process on 127.0.0.1 port 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_STATE_FILE, startEmulatorProcess, type Emulator } from '../../tools/demo.js';
import { startSlackApi, type SlackApiDouble } from '../../test/support/slack-api.js';
import { BARE_BOLT, ECHO_BOT, ECHO_CARD_BOT, IGNORING_BOT } from './baselines.js';
import { startConnector, type Connector } from './connector.js';
import { SLACK_SECRET, SLACK_TOKEN } from './messages.js';
import { startChild, stopChild, type Child } from './proc.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** ours: Teams only; ours_slack: Teams and Slack (HTTP mode) on the same server. */
export type Kind = 'ours' | 'ours_slack' | 'echo' | 'echo_card' | 'ignoring' | 'bolt';

const SOURCES: Partial<Record<Kind, string>> = {
  echo: ECHO_BOT,
  echo_card: ECHO_CARD_BOT,
  ignoring: IGNORING_BOT,
  bolt: BARE_BOLT,
};

export interface StartOptions {
  port?: number;
  /** Extra node flags for our bot (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Another build of the bot to run instead of ROOT/dist (the profiler's before/after comparison). */
  dist?: string;
  extraEnv?: Record<string, string>;
}

export interface Stack {
  emulator: Emulator;
  connector: Connector;
  slack: SlackApiDouble;
  /** Files the baselines read (the card for echo_card, the answers for bolt); set by the sections. */
  files: { card?: string; answers?: string };
  tmp: string;
  command(kind: Kind, options?: StartOptions): { cmd: string; args: string[]; env: NodeJS.ProcessEnv };
  start(kind: Kind, options?: StartOptions): Promise<Child>;
  stop(child: Child): Promise<void>;
  close(): Promise<void>;
}

/** Compile src/ into dist/ when it changed (the same check `npm start` makes). */
export function buildIfStale(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'tools/build-if-stale.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}

export async function startStack(): Promise<Stack> {
  buildIfStale();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-bench-'));
  const connector = await startConnector();
  const slack = await startSlackApi({ users: { U0DEV01: { name: 'dev', email: 'dev@contoso.com' } } });
  const emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
  const files: Stack['files'] = {};
  let dbs = 0;

  function command(kind: Kind, options: StartOptions = {}) {
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
    };
    const source = SOURCES[kind];
    if (source !== undefined) {
      const env = {
        ...base,
        ...(files.card ? { ECHO_CARD_FILE: files.card } : {}),
        ...(files.answers ? { BARE_ANSWER_FILE: files.answers } : {}),
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_API_URL: slack.url,
        ...options.extraEnv,
      };
      return { cmd: process.execPath, args: ['-e', source], env };
    }
    dbs += 1;
    const env: NodeJS.ProcessEnv = {
      ...base,
      LOG_LEVEL: 'info',
      // As `npm start` runs: a SQLite file (WAL) holds the once-per-post claims.
      DATABASE_URL: `sqlite:${path.join(tmp, `bench-${dbs}.db`)}`,
      AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url,
      AZURE_EMULATOR_CA: emulator.caPath,
      ...(kind === 'ours_slack'
        ? { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.url }
        : {}),
      ...options.extraEnv,
    };
    const main = path.join(options.dist ?? path.join(ROOT, 'dist'), 'main.js');
    return { cmd: process.execPath, args: [...(options.nodeFlags ?? []), main], env };
  }

  return {
    emulator,
    connector,
    slack,
    files,
    tmp,
    command,
    start: (kind, options) => {
      const c = command(kind, options);
      return startChild(c.cmd, c.args, { cwd: ROOT, env: c.env, ready: /listening on port (\d+)/, name: kind });
    },
    stop: (child) => stopChild(child.proc),
    close: async () => {
      await Promise.allSettled([connector.close(), slack.close(), emulator.stop()]);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
