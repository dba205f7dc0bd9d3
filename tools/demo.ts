/**
 * `npm run demo`: the whole flow without any Azure or Teams account. Starts the ARM emulator with the sample
 * registries (test/fixtures/states/sample.json), the bot in local anonymous mode pointed at it, and the Microsoft 365
 * Agents Playground, then prints where to open it and what to paste. Ctrl+C stops all three.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBot, type RunningBot } from '../src/main.js';
import { freePort, startPlayground, type Playground } from './playground.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATE = path.join(ROOT, 'test/fixtures/states/sample.json');
/** The sample registries (test/fixtures/states/sample.json): what the demo's ARM emulator serves. */
export const SAMPLE_STATE_FILE = STATE;
/** The demo's approval policy: the Playground's user may request; two other sample users approve (POLICY_FILE overrides). */
export const DEMO_POLICY_FILE = path.join(ROOT, 'tools/demo-policy.yaml');

/** The Playground's own default; it falls back to a random port when this one is taken. */
const PLAYGROUND_PORT = 56150;

export interface Emulator {
  url: string;
  caPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The emulator through its CLI contract: one line `ARM emulator listening on URL (ca: PATH)`. */
export async function startEmulatorProcess(statePath: string, timeoutMs = 60_000): Promise<Emulator> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tools/arm-emulator/cli.ts'), '--state', statePath, '--port', '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };
  const line = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ARM emulator did not start in time:\n${out}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /ARM emulator listening on (https:\/\/\S+) \(ca: (.+)\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ARM emulator exited (${code}):\n${out}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { url: line[1]!, caPath: line[2]!, process: child, stop };
}

export interface DemoStack {
  emulator: Emulator;
  bot: RunningBot;
  playground: Playground;
  /** The bot's DATABASE_URL, so the CLI can read the same requests and audit log. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** The demo's store: ./data/demo.db under the directory it was started from, unless DATABASE_URL says otherwise. */
export function demoDatabaseUrl(env: NodeJS.ProcessEnv, cwd: string): string {
  const url = env.DATABASE_URL?.trim() || 'sqlite:./data/demo.db';
  // Absolute, so the printed command works from any directory.
  return url.startsWith('sqlite:') && url !== 'sqlite::memory:' ? `sqlite:${path.resolve(cwd, url.slice(7))}` : url;
}

/** A database URL fit to print: a password in a postgres:// URL is masked. */
function printable(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    if (u.password) u.password = '***';
    return u.protocol === 'sqlite:' ? databaseUrl : u.toString();
  } catch {
    return databaseUrl;
  }
}

/**
 * Where each part of the demo is, and the environment that points the `acr-access` CLI at it: the emulator's URL
 * and CA (for `diagnose` and `check`) and the bot's store (for `requests` and `audit`).
 */
export function demoBanner(demo: {
  playgroundUrl: string;
  botPort: number;
  emulator: { url: string; caPath: string };
  databaseUrl: string;
}): string[] {
  const cliEnv = `AZURE_RESOURCE_MANAGER_ENDPOINT=${demo.emulator.url} AZURE_EMULATOR_CA=${demo.emulator.caPath} DATABASE_URL=${printable(demo.databaseUrl)}`;
  return [
    `  Open the Agents Playground:  ${demo.playgroundUrl.replace('127.0.0.1', 'localhost')}`,
    `  Bot endpoint:                http://127.0.0.1:${demo.botPort}/api/messages (local anonymous mode)`,
    `  ARM emulator:                ${demo.emulator.url} (sample registries from test/fixtures/states/sample.json)`,
    `  Emulator CA certificate:     ${demo.emulator.caPath}`,
    `  Store:                       ${printable(demo.databaseUrl)}`,
    '',
    '  The CLI against the demo (another terminal, this directory; dist/ is built by npm install):',
    `    ${cliEnv} node dist/cli/main.js check acmeprod`,
    `    ${cliEnv} node dist/cli/main.js audit --json`,
  ];
}

export async function startDemo(options: { playgroundPort?: number; logLevel?: string } = {}): Promise<DemoStack> {
  const emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
  const databaseUrl = demoDatabaseUrl(process.env, process.cwd());
  let bot: RunningBot | undefined;
  try {
    bot = await startBot({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'warn',
      AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url,
      AZURE_EMULATOR_CA: emulator.caPath,
      DATABASE_URL: databaseUrl,
      POLICY_FILE: process.env.POLICY_FILE ?? DEMO_POLICY_FILE,
    });
    const playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${bot.port}/api/messages`,
      ...(options.playgroundPort !== undefined ? { port: options.playgroundPort } : {}),
    });
    const running = bot;
    return {
      emulator,
      bot: running,
      playground,
      databaseUrl,
      stop: async () => {
        await playground.stop();
        await running.stop();
        await emulator.stop();
      },
    };
  } catch (err) {
    await bot?.stop();
    await emulator.stop();
    throw err;
  }
}

const TRY = [
  'Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP \'20.61.14.37\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.',
  'Error response from daemon: Get "https://acmeprivate.azurecr.io/v2/": denied: client with IP \'51.105.77.12\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.',
  'Error response from daemon: Get "https://acmefull.azurecr.io/v2/": denied: client with IP \'4.210.5.9\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.',
  'acmeprod 198.51.100.23   (a command: @mention the bot in a channel, or write it in the personal chat)',
  'help',
];

async function main(): Promise<void> {
  process.stdout.write('Starting the ARM emulator, the bot and the Agents Playground…\n');
  const demo = await startDemo({ playgroundPort: PLAYGROUND_PORT });
  process.stdout.write(
    [
      '',
      ...demoBanner({
        playgroundUrl: demo.playground.url,
        botPort: demo.bot.port,
        emulator: demo.emulator,
        databaseUrl: demo.databaseUrl,
      }),
      '',
      '  Paste one of these in the personal chat (or @mention "Test Bot" in the General channel):',
      ...TRY.map((t) => `    ${t}`),
      '',
      `  Then click Request access: the approval policy is ${path.relative(ROOT, process.env.POLICY_FILE ?? DEMO_POLICY_FILE)}. Its approvers are`,
      '  other sample users, so your own Approve is refused; tick Break-glass on the form to confirm it yourself and see',
      '  the rule added to the emulated registry (Show rules).',
      '  The Playground has one user and runs no Universal Actions refresh: the request card in the chat is the one',
      '  everyone sees (no decision buttons); your own view, with your buttons, is what your click answers. In Teams,',
      '  approvers get their view on the shared card automatically (refresh.userIds) and in a direct message.',
      '',
      '  Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
