/** The store contract on SQLite: a real file in a temp directory per test (WAL files included), removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore, LATEST_SCHEMA_VERSION } from '../../src/adapters/store/index.js';
import { migrate } from '../../src/adapters/store/migrate.js';
import { MIGRATIONS } from '../../src/adapters/store/migrations/index.js';
import { openSqliteDriver } from '../../src/adapters/store/sqlite.js';
import {
  GRANT_FACTS_AFTER_V4,
  grantFactsMigrate,
  TICKETS_AFTER_V5,
  ticketMigrate,
  storeContract,
  TestClock,
  type StoreDatabase,
} from './store.contract.js';

async function sqliteDatabase(): Promise<StoreDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-store-'));
  // A directory that does not exist yet: the store must create it (as it does for ./data).
  const file = path.join(dir, 'data', 'acr-access.db');
  return {
    open: (clock, options) => createStore({ kind: 'sqlite', file }, { clock, ...options }),
    raw: async (sql) => {
      const db = new Database(file);
      try {
        db.pragma('busy_timeout = 5000');
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

storeContract('SQLite', sqliteDatabase);

describe('SQLite specifics', () => {
  it('creates the directory and uses WAL', async () => {
    const db = await sqliteDatabase();
    const store = await db.open(new TestClock());
    try {
      expect((await store.health()).detail).toMatch(
        new RegExp(`^sqlite .*acr-access\\.db, schema v${LATEST_SCHEMA_VERSION}$`),
      );
      const raw = new Database((await store.health()).detail.replace(/^sqlite (.*), schema v\d+$/, '$1'), {
        readonly: true,
      });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('migrations run once: a second run applies nothing and records each version once', async () => {
    const db = await sqliteDatabase();
    const file = (await (await db.open(new TestClock())).health()).detail.replace(/^sqlite (.*), schema v\d+$/, '$1');
    const driver = openSqliteDriver(file);
    try {
      expect(await migrate(driver, new Date())).toEqual([]);
      expect(await driver.read('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
      const fresh = openSqliteDriver(path.join(path.dirname(file), 'fresh.db'));
      expect(await migrate(fresh, new Date())).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(fresh, new Date())).toEqual([]);
      await fresh.close();
    } finally {
      await driver.close();
      await db.drop();
    }
  });

  it('version 3 keeps the card copies of a version 2 database, one row per message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-store-'));
    const driver = openSqliteDriver(path.join(dir, 'v2.db'));
    try {
      await migrate(driver, new Date(), MIGRATIONS.slice(0, 2));
      const at = '2026-01-05T10:00:00.000Z';
      await driver.tx(async (sql) => {
        await sql.run(
          "INSERT INTO requests (id, version, kind, status, registry_id, registry_name, ip_rule, requester_platform, requester_id, pending_until, created_at, updated_at, data) VALUES ('r1', 1, 'grant', 'pending', '/x', 'x', '1.2.3.4/32', 'slack', 'U1', ?, ?, ?, '{}')",
          [at, at, at],
        );
        const card =
          'INSERT INTO request_cards (request_id, purpose, platform, conversation_id, message_id, ref, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
        await sql.run(card, ['r1', 'thread', 'slack', 'C1', '1.1', '{"platform":"slack"}', at]);
        await sql.run(card, ['r1', 'requester_dm', 'slack', 'D1', null, '{"platform":"slack"}', at]);
      });
      expect(await migrate(driver, new Date())).toEqual(MIGRATIONS.slice(2).map((m) => m.version));
      expect(await driver.read('SELECT purpose, message_id, viewer FROM request_cards')).toEqual([
        { purpose: 'thread', message_id: '1.1', viewer: null },
      ]);
    } finally {
      await driver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('version 5 gives every stored request a ticket field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-store-'));
    const driver = openSqliteDriver(path.join(dir, 'v4.db'));
    try {
      const migrateTo = (v: number) => migrate(driver, new Date(), MIGRATIONS.slice(0, v));
      expect(await ticketMigrate(driver, migrateTo)).toEqual(TICKETS_AFTER_V5);
    } finally {
      await driver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("version 4 copies each grant's rule facts into its request", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-store-'));
    const driver = openSqliteDriver(path.join(dir, 'v3.db'));
    try {
      const migrateTo = (v: number) => migrate(driver, new Date(), MIGRATIONS.slice(0, v));
      expect(await grantFactsMigrate(driver, migrateTo)).toEqual(GRANT_FACTS_AFTER_V4);
    } finally {
      await driver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot create, naming it', async () => {
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acr-store-')), 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    await expect(createStore({ kind: 'sqlite', file: path.join(blocker, 'db.sqlite') })).rejects.toThrow(
      /SQLite database .*not-a-dir.* cannot be opened/,
    );
    fs.rmSync(path.dirname(blocker), { recursive: true, force: true });
  });
});
