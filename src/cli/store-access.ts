/**
 * The store for CLI commands, from the same DATABASE_URL as the bot. A SQLite file that does not exist yet means
 * the bot has never run with it: say so instead of creating an empty database as a side effect of reading.
 */
import fs from 'node:fs';
import { createStore } from '../adapters/store/index.js';
import type { Store } from '../app/store.js';
import { cliConfig, UsageError, type CliIO } from './io.js';

export async function openStoreForCli(io: CliIO, command: string): Promise<Store | null> {
  const config = cliConfig(io);
  const db = config.database;
  if (db.kind === 'sqlite' && db.file !== ':memory:' && !fs.existsSync(db.file)) {
    io.stderr(
      `acr-access ${command}: no database at ${db.file} yet (the bot has not stored anything there); nothing to show. Set DATABASE_URL to the bot's database.\n`,
    );
    return null;
  }
  return createStore(db);
}

/** `--name value` or `--name=value`; returns the value and how many args it used. */
export function optionValue(args: readonly string[], i: number, name: string): { value: string; used: number } | null {
  const a = args[i]!;
  if (a === name) {
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return { value: v, used: 2 };
  }
  if (a.startsWith(`${name}=`)) return { value: a.slice(name.length + 1), used: 1 };
  return null;
}
