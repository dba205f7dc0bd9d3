/** /readyz reports the store (200 only when the store and configuration are usable). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { LATEST_SCHEMA_VERSION, SchemaTooNewError, StoreUnavailableError } from '../../src/adapters/store/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-ready-'));
const running: RunningBot[] = [];
afterAll(async () => {
  for (const b of running) await b.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (databaseUrl: string) => ({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl });

describe('store readiness', () => {
  it('creates the SQLite file under its directory and reports it ready; not ready once it breaks', async () => {
    const file = path.join(dir, 'data', 'acr-access.db');
    const bot = await startBot(env(`sqlite:${file}`), createLogger('silent'));
    running.push(bot);
    expect(fs.existsSync(file)).toBe(true);
    const ok = await fetch(`http://127.0.0.1:${bot.port}/readyz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: 'ready',
      checks: { store: { ok: true, detail: expect.stringContaining(`schema v${LATEST_SCHEMA_VERSION}`) } },
    });

    // Another (newer) release migrates the same database: this one must stop claiming to be ready.
    const raw = new Database(file);
    raw.exec(
      `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${LATEST_SCHEMA_VERSION + 1}, 'newer', '2030-01-01T00:00:00.000Z')`,
    );
    raw.close();
    const bad = await fetch(`http://127.0.0.1:${bot.port}/readyz`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toMatchObject({
      checks: {
        store: {
          ok: false,
          detail: expect.stringContaining(
            `schema v${LATEST_SCHEMA_VERSION + 1}, this bot needs v${LATEST_SCHEMA_VERSION}`,
          ),
        },
      },
    });
    // And a fresh start on it is refused.
    await expect(startBot(env(`sqlite:${file}`), createLogger('silent'))).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('refuses to start when PostgreSQL is unreachable, saying so', async () => {
    await expect(startBot(env('postgres://postgres@127.0.0.1:1/test'), createLogger('silent'))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});
