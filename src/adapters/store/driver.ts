/**
 * What the shared store logic (engine.ts) needs from a database: statements inside a serialised write
 * transaction, plain reads, and the dialect's few differences. sqlite.ts and postgres.ts implement it.
 */
import type { RegistryLock, RegistryLockOptions } from '../../app/store.js';

/** Statements inside one connection/transaction. SQL uses `?` placeholders; drivers translate as needed. */
export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Driver {
  readonly dialect: 'sqlite' | 'postgres';
  /** "sqlite /path/file.db" or "postgres 127.0.0.1:5432/db" (no credentials), for health and logs. */
  readonly description: string;
  /** ` FOR UPDATE` where row locks exist (PostgreSQL); SQLite's write transaction already excludes other writers. */
  readonly forUpdate: string;
  /**
   * A write transaction: commits when `fn` resolves, rolls back when it throws. Concurrent transactions that touch
   * the same rows are serialised (SQLite: one writer; PostgreSQL: row locks via forUpdate).
   */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * One statement that is atomic on its own, outside any transaction: no BEGIN/COMMIT around it (PostgreSQL: one
   * round trip instead of three). Resolves with the number of rows it changed.
   */
  write(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Reads outside a transaction. */
  read<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The transaction migrations run in: also excludes other instances migrating the same database at once. */
  migrationTx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  withRegistryLock<T>(
    registryId: string,
    fn: (lock: RegistryLock) => Promise<T>,
    options?: RegistryLockOptions,
  ): Promise<T>;
  close(): Promise<void>;
}

/** The database was written by a newer acr-access-bot than this one. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `The database schema is at version ${databaseVersion}, but this acr-access-bot only knows versions up to ${knownVersion}: ` +
        'a newer release has upgraded it. Run that release (or a newer one), or point DATABASE_URL at another database. ' +
        'Refusing to start rather than write data in a shape this version does not understand.',
    );
  }
}

/** The database cannot be opened or reached; the message says which and how to fix it. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
