/**
 * A bot process for the multi-process tests (test code, never a product entry point): `startBot` from the
 * composition root, configured by the environment like production, plus three test-only knobs read here:
 *
 *   TEST_PG_SCHEMA         the PostgreSQL schema to use (each test file has its own)
 *   TEST_CLOCK_FILE        a file holding a time offset in ms; the bot's clock is wall time + that offset, re-read on
 *                          every call, so a test moves time forward in every process by writing one number
 *   TEST_APPROVAL_SETTINGS JSON Partial<ApprovalSettings> (a faster scheduler tick)
 *
 * Prints `BOT_READY <port>` on stdout once listening; logs go to stderr. SIGTERM stops it gracefully; tests also
 * SIGKILL it to simulate a crash.
 */
import fs from 'node:fs';
import { createAzureGateway } from '../../src/adapters/azure/index.js';
import { createStore } from '../../src/adapters/store/index.js';
import type { ApprovalSettings } from '../../src/app/approvals/index.js';
import type { Clock } from '../../src/app/ports.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot } from '../../src/main.js';

function offsetFrom(file: string | undefined): () => number {
  if (!file) return () => 0;
  return () => {
    try {
      const n = Number(fs.readFileSync(file, 'utf8').trim());
      return Number.isFinite(n) ? n : 0;
    } catch {
      return 0;
    }
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const offset = offsetFrom(env.TEST_CLOCK_FILE);
  const clock: Clock = { now: () => new Date(Date.now() + offset()) };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, process.stderr);
  const store =
    config.database.kind === 'postgres'
      ? await createStore(config.database, {
          clock,
          ...(env.TEST_PG_SCHEMA ? { schema: env.TEST_PG_SCHEMA } : {}),
          poolSize: 8,
        })
      : await createStore(config.database, { clock });
  // The emulator answers LRO polls without Retry-After; poll it briskly instead of the SDK's 2 s.
  const gateway = createAzureGateway({ azure: config.azure, logger, pollIntervalMs: 50 });
  const settings = env.TEST_APPROVAL_SETTINGS
    ? (JSON.parse(env.TEST_APPROVAL_SETTINGS) as Partial<ApprovalSettings>)
    : undefined;
  const bot = await startBot(env, logger, { store, gateway, clock, ...(settings ? { approvals: settings } : {}) });
  process.stdout.write(`BOT_READY ${bot.port}\n`);
  const stop = (): void => {
    bot
      .stop()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bot-process failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
