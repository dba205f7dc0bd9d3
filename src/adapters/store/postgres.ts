/**
 * PostgreSQL driver (pg): for one or many bot instances sharing a database.
 *
 * Transitions lock the request row (`SELECT … FOR UPDATE`) under READ COMMITTED, so the second of two concurrent
 * clicks waits, then reads the row the first one wrote and is refused by the state machine ("already decided").
 * The per-registry apply lock is a session advisory lock held on a dedicated connection: it excludes every instance,
 * is released explicitly on success and on error, and by the server if that connection drops (the holder is told
 * through the lock's AbortSignal).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { RegistryLock, RegistryLockOptions } from '../../app/store.js';
import { RegistryLockTimeoutError } from '../../app/store.js';
import { StoreUnavailableError, type Driver, type Sql } from './driver.js';
import { KeyedMutex, LockWaitTimeout } from './mutex.js';

export interface PostgresOptions {
  /** Use this schema (search_path) instead of the connection's default; tests give each file its own. */
  schema?: string;
  /** Connections for queries and transactions (default 10). */
  poolSize?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** Connections that may hold registry locks at once per instance; kept apart so lock waiters never starve queries. */
const LOCK_POOL_SIZE = 4;
const LOCK_NOT_AVAILABLE = '55P03';

/** A signed 64-bit advisory-lock key from a name (advisory locks are keyed by bigint). */
export function advisoryKey(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

/** `postgres://user:secret@host:5432/db` → `postgres host:5432/db` (never the password). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres ${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'postgres (unparseable DATABASE_URL)';
  }
}

const converted = new Map<string, string>();
/** `?` placeholders → `$1…` (our SQL never has `?` anywhere else). */
function toPg(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    converted.set(sql, out);
  }
  return out;
}

function sqlFor(client: pg.PoolClient): Sql {
  return {
    all: async <T>(text: string, params: readonly unknown[] = []) =>
      (await client.query(toPg(text), [...params])).rows as T[],
    run: async (text, params = []) => (await client.query(toPg(text), [...params])).rowCount ?? 0,
    exec: async (text) => void (await client.query(text)),
  };
}

export async function openPostgresDriver(url: string, options: PostgresOptions = {}): Promise<Driver> {
  const description = describeUrl(url) + (options.schema ? ` (schema ${options.schema})` : '');
  const config: pg.PoolConfig = {
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
  const lockPool = new pg.Pool({ ...config, max: LOCK_POOL_SIZE });
  // An idle connection that dies is dropped by the pool; without a listener the 'error' event would crash the bot.
  pool.on('error', () => undefined);
  lockPool.on('error', () => undefined);
  const namespace = `acr-access-bot:${options.schema ?? ''}:`;
  const localLocks = new KeyedMutex();

  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await Promise.allSettled([pool.end(), lockPool.end()]);
    const code = (err as NodeJS.ErrnoException).code;
    throw new StoreUnavailableError(
      `PostgreSQL (${description}) is not reachable${code ? ` (${code})` : ''}: ${err instanceof Error ? err.message : String(err)}. Start it, or check DATABASE_URL.`,
    );
  }

  const tx = async <T>(fn: (s: Sql) => Promise<T>, first?: (c: pg.PoolClient) => Promise<unknown>): Promise<T> => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      if (first) await first(client);
      const out = await fn(sqlFor(client));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection itself failed: do not return it to the pool
      });
      throw err;
    } finally {
      client.release(broken ? true : undefined);
    }
  };

  const withRegistryLock = async <T>(
    registryId: string,
    fn: (lock: RegistryLock) => Promise<T>,
    opts: RegistryLockOptions = {},
  ): Promise<T> => {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    // One waiter per registry per process reaches the database; the rest queue here without holding connections.
    let releaseLocal: () => void;
    try {
      releaseLocal = await localLocks.lock(registryId, timeoutMs);
    } catch (err) {
      if (err instanceof LockWaitTimeout) throw new RegistryLockTimeoutError(registryId, timeoutMs);
      throw err;
    }
    try {
      const key = advisoryKey(`${namespace}registry:${registryId}`);
      const client = await lockPool.connect();
      const lost = new AbortController();
      const onError = (err: Error): void => lost.abort(err);
      client.on('error', onError);
      try {
        await client.query(`SET lock_timeout = ${Math.max(1, deadline - Date.now())}`);
        try {
          await client.query('SELECT pg_advisory_lock($1)', [key]);
        } catch (err) {
          if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE)
            throw new RegistryLockTimeoutError(registryId, timeoutMs);
          throw err;
        } finally {
          await client.query('RESET lock_timeout').catch(() => undefined);
        }
        try {
          return await fn({ signal: lost.signal });
        } finally {
          if (!lost.signal.aborted) {
            await client.query('SELECT pg_advisory_unlock($1)', [key]).catch((err: Error) => lost.abort(err));
          }
        }
      } finally {
        client.off('error', onError);
        // A connection that failed is destroyed; the server has released its locks with it.
        client.release(lost.signal.aborted ? true : undefined);
      }
    } finally {
      releaseLocal();
    }
  };

  return {
    dialect: 'postgres',
    description,
    forUpdate: ' FOR UPDATE',
    tx: (fn) => tx(fn),
    // Instances starting together migrate one at a time: the lock lasts until this transaction ends.
    migrationTx: (fn) =>
      tx(fn, (c) => c.query('SELECT pg_advisory_xact_lock($1)', [advisoryKey(`${namespace}migrate`)])),
    write: async (text: string, params: readonly unknown[] = []) =>
      (await pool.query(toPg(text), [...params])).rowCount ?? 0,
    read: async <T>(text: string, params: readonly unknown[] = []) =>
      (await pool.query(toPg(text), [...params])).rows as T[],
    withRegistryLock,
    close: async () => {
      await Promise.allSettled([pool.end(), lockPool.end()]);
    },
  };
}
