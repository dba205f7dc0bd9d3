/**
 * `npm run emulator -- --state FILE [--port N] [--page-size N] [--lro-polls N] [--retry-after S]`
 * Prints exactly one line, `ARM emulator listening on https://127.0.0.1:PORT (ca: PATH)`, then serves until
 * SIGINT/SIGTERM. Point the bot at it with AZURE_RESOURCE_MANAGER_ENDPOINT=<url> AZURE_EMULATOR_CA=<path>.
 */
import { startArmEmulator } from './server.js';

const USAGE =
  'usage: npm run emulator -- --state FILE [--port N] [--page-size N] [--lro-polls N] [--retry-after SECONDS]';

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const v = inline ?? argv[++i];
    if (v === undefined) throw new Error(`--${k} needs a value`);
    out[k] = v;
  }
  return out;
}

function int(args: Record<string, string>, name: string, min: number, max: number): number | undefined {
  if (args[name] === undefined) return undefined;
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

async function main(): Promise<void> {
  let args: Record<string, string>;
  let port: number | undefined;
  let pageSize: number | undefined;
  let polls: number | undefined;
  let retryAfter: number | undefined;
  try {
    args = parseArgs(process.argv.slice(2));
    const known = ['state', 'port', 'page-size', 'lro-polls', 'retry-after'];
    for (const k of Object.keys(args)) if (!known.includes(k)) throw new Error(`unknown option --${k}`);
    if (!args.state) throw new Error('--state FILE is required');
    port = int(args, 'port', 0, 65535);
    pageSize = int(args, 'page-size', 1, 1000);
    polls = int(args, 'lro-polls', 0, 1000);
    retryAfter = int(args, 'retry-after', 0, 3600);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startArmEmulator({
    state: args.state!,
    ...(port !== undefined ? { port } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    lro: {
      ...(polls !== undefined ? { pollsBeforeDone: polls } : {}),
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    },
  });
  process.stdout.write(`ARM emulator listening on ${emulator.url} (ca: ${emulator.caPath})\n`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`ARM emulator: ${(err as Error).message}\n`);
  process.exit(1);
});
