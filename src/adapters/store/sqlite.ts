/**
 * SQLite driver (better-sqlite3): the default store, a file under ./data in WAL mode.
 *
 * SQLite means ONE bot instance. better-sqlite3 is synchronous, and a write transaction here spans awaits, so all
 * transactions on a file in this process take turns through a mutex (two connections in one process would
 * otherwise block the event loop waiting on each other's lock). Other processes on the same file are kept out by
 * SQLite's own write lock (BEGIN IMMEDIATE + busy_timeout), but the per-registry apply lock is in-process only:
 * run several instances on PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RegistryLock, RegistryLockOptions } from '../../app/store.js';
import { RegistryLockTimeoutError } from '../../app/store.js';
import { StoreUnavailableError, type Driver, type Sql } from './driver.js';
import { KeyedMutex, LockWaitTimeout } from './mutex.js';

/** Shared by every SQLite store in the process, keyed by the resolved file: the unit SQLite locks is the file. */
const fileTurns = new KeyedMutex();
const registryLocks = new KeyedMutex();
/** How long a writer waits for another process's write lock before SQLite reports SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** A transaction queued behind others in this process gives up after this long (it means something is stuck). */
const TURN_TIMEOUT_MS = 30_000;

export function openSqliteDriver(file: string): Driver {
  const memory = file === ':memory:';
  const resolved = memory ? `:memory:${Math.random()}` : path.resolve(file);
  let db: Database.Database;
  try {
    if (!memory) fs.mkdirSync(path.dirname(resolved), { recursive: true });
    db = new Database(memory ? ':memory:' : resolved);
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    // WAL + NORMAL: durable across application crashes; a power loss may drop the last commits, never corrupt.
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new StoreUnavailableError(
      `SQLite database ${resolved} cannot be opened: ${err instanceof Error ? err.message : String(err)}. Check DATABASE_URL and that the directory is writable.`,
    );
  }

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };
  const norm = (params: readonly unknown[]): unknown[] =>
    params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const sql: Sql = {
    all: async <T>(text: string, params: readonly unknown[] = []) => {
      const s = prepare(text);
      if (s.reader) return s.all(...norm(params)) as T[];
      s.run(...norm(params));
      return [];
    },
    run: async (text, params = []) => prepare(text).run(...norm(params)).changes,
    exec: async (text) => void db.exec(text),
  };

  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => fileTurns.run(resolved, fn, TURN_TIMEOUT_MS);
  const writeTx = <T>(fn: (s: Sql) => Promise<T>): Promise<T> =>
    inTurn(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(sql);
        db.exec('COMMIT');
        return out;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    });

  return {
    dialect: 'sqlite',
    description: `sqlite ${memory ? ':memory:' : resolved}`,
    forUpdate: '',
    tx: writeTx,
    migrationTx: writeTx,
    // A lone statement still takes a turn: on the shared connection it would otherwise join another's transaction.
    write: (text: string, params: readonly unknown[] = []) => inTurn(() => sql.run(text, params)),
    // Reads take a turn too, so they never see another transaction's uncommitted rows on this connection.
    read: <T>(text: string, params: readonly unknown[] = []) => inTurn(() => sql.all<T>(text, params)),
    withRegistryLock: async <T>(
      registryId: string,
      fn: (lock: RegistryLock) => Promise<T>,
      options: RegistryLockOptions = {},
    ): Promise<T> => {
      const timeoutMs = options.timeoutMs ?? 60_000;
      let release: () => void;
      try {
        release = await registryLocks.lock(`${resolved}\u0000${registryId}`, timeoutMs);
      } catch (err) {
        if (err instanceof LockWaitTimeout) throw new RegistryLockTimeoutError(registryId, timeoutMs);
        throw err;
      }
      try {
        // The signal never fires: an in-process lock cannot be lost while the process lives.
        return await fn({ signal: new AbortController().signal });
      } finally {
        release();
      }
    },
    close: async () => {
      await inTurn(async () => {
        if (db.open) db.close();
      });
    },
  };
}
