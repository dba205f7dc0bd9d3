/**
 * The store contract on a real PostgreSQL on 127.0.0.1:5432 (trust auth, database `test`; CI starts it). Each test
 * gets a schema of its own, dropped afterwards, so parallel runs never share tables. If the server is not reachable
 * this file FAILS with a message saying so: it never skips.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStore, StoreUnavailableError } from '../../src/adapters/store/index.js';
import { migrate } from '../../src/adapters/store/migrate.js';
import { MIGRATIONS } from '../../src/adapters/store/migrations/index.js';
import { advisoryKey, openPostgresDriver } from '../../src/adapters/store/postgres.js';
import {
  GRANT_FACTS_AFTER_V4,
  grantFactsMigrate,
  TICKETS_AFTER_V5,
  ticketMigrate,
  REG,
  storeContract,
  TestClock,
  type StoreDatabase,
} from './store.contract.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function postgresDatabase(): Promise<StoreDatabase & { schema: string }> {
  const schema = `acr_store_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    open: (clock, options) => createStore({ kind: 'postgres', url: URL }, { clock, schema, poolSize: 4, ...options }),
    raw: async (sql) => {
      await admin(async (c) => {
        await c.query(`SET search_path TO ${schema}`);
        await c.query(sql);
      });
    },
    drop: () => admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}

beforeAll(async () => {
  try {
    await admin((c) => c.query('SELECT 1'));
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${URL} (${err instanceof Error ? err.message : String(err)}). ` +
        'The store contract suite needs a real server: start it (.ci/run does: pg_ctlcluster <version> main start) or set TEST_DATABASE_URL.',
    );
  }
});

storeContract('PostgreSQL', postgresDatabase);

describe('PostgreSQL specifics', () => {
  it('the registry lock is released by the server when its connection drops, and the holder is told', async () => {
    const db = await postgresDatabase();
    const clock = new TestClock();
    const [a, b] = [await db.open(clock), await db.open(clock)];
    try {
      let aborted: unknown = null;
      let release!: () => void;
      const stay = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const holder = a.withRegistryLock(REG, async (lock) => {
        lock.signal.addEventListener('abort', () => (aborted = lock.signal.reason));
        entered();
        await stay;
        return lock.signal.aborted;
      });
      await inside;
      // Kill the backend that holds this registry's advisory lock, as a network failure or a failover would. Only
      // that lock: other test files hold advisory locks in the same database at the same time. A bigint key shows
      // in pg_locks as classid (high 32 bits) and objid (low 32 bits).
      const key = BigInt.asUintN(64, BigInt(advisoryKey(`acr-access-bot:${db.schema}:registry:${REG.toLowerCase()}`)));
      const killed = await admin((c) =>
        c.query(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid",
          [String(key >> 32n), String(key & 0xffffffffn)],
        ),
      );
      expect(killed.rowCount).toBe(1);
      // The other instance can take the lock now (bounded wait: fails rather than hangs if it was not released).
      await expect(b.withRegistryLock(REG, async () => 'taken over', { timeoutMs: 10_000 })).resolves.toBe(
        'taken over',
      );
      release();
      await expect(holder).resolves.toBe(true);
      expect(aborted).toBeInstanceOf(Error);
      // And the first instance still works afterwards (the broken connection was discarded, not reused).
      await expect(a.withRegistryLock(REG, async () => 'again', { timeoutMs: 10_000 })).resolves.toBe('again');
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
      await db.drop();
    }
  });

  it('migrations run once, also when several instances migrate at the same moment', async () => {
    const db = await postgresDatabase();
    const drivers = await Promise.all([1, 2, 3].map(() => openPostgresDriver(URL, { schema: db.schema, poolSize: 2 })));
    try {
      const applied = await Promise.all(drivers.map((d) => migrate(d, new Date())));
      expect(applied.filter((a) => a.length > 0)).toEqual([MIGRATIONS.map((m) => m.version)]);
      expect(await migrate(drivers[0]!, new Date())).toEqual([]);
      expect(await drivers[1]!.read('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual(
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
    } finally {
      await Promise.allSettled(drivers.map((d) => d.close()));
      await db.drop();
    }
  });

  it('version 5 gives every stored request a ticket field', async () => {
    const db = await postgresDatabase();
    const driver = await openPostgresDriver(URL, { schema: db.schema, poolSize: 2 });
    try {
      const migrateTo = (v: number) => migrate(driver, new Date(), MIGRATIONS.slice(0, v));
      expect(await ticketMigrate(driver, migrateTo)).toEqual(TICKETS_AFTER_V5);
    } finally {
      await driver.close();
      await db.drop();
    }
  });

  it("version 4 copies each grant's rule facts into its request", async () => {
    const db = await postgresDatabase();
    const driver = await openPostgresDriver(URL, { schema: db.schema, poolSize: 2 });
    try {
      const migrateTo = (v: number) => migrate(driver, new Date(), MIGRATIONS.slice(0, v));
      expect(await grantFactsMigrate(driver, migrateTo)).toEqual(GRANT_FACTS_AFTER_V4);
    } finally {
      await driver.close();
      await db.drop();
    }
  });

  it('an unreachable server is a clear error, not a hang', async () => {
    const err = await createStore({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toMatch(
      /^PostgreSQL \(postgres 127\.0\.0\.1:1\/test\) is not reachable \(ECONNREFUSED\).*Start it, or check DATABASE_URL\.$/,
    );
  });
});
