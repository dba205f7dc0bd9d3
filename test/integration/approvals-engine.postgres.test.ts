/**
 * The approval engine suite on PostgreSQL (127.0.0.1:5432, database `test`): each test gets a schema of its own,
 * dropped afterwards. Fails (never skips) when the server is not reachable.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { approvalsSuite } from './approvals.suite.js';

const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  try {
    await admin('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${URL} (${err instanceof Error ? err.message : String(err)}); start it (.ci/run does) or set TEST_DATABASE_URL.`,
    );
  }
});

approvalsSuite('PostgreSQL', {
  fresh: async () => {
    const schema = `acr_approvals_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE SCHEMA ${schema}`);
    return {
      open: (clock) => createStore({ kind: 'postgres', url: URL }, { clock, schema, poolSize: 6 }),
      drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
    };
  },
});
