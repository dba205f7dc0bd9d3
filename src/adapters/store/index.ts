/**
 * createStore(config.database): the Store for DATABASE_URL, migrated to this binary's schema version. SQLite
 * (`sqlite:./data/acr-access.db`, the default) is for a single bot instance; PostgreSQL (`postgres://…`) for one
 * or more. Throws StoreUnavailableError (cannot open/reach) or SchemaTooNewError (written by a newer release).
 */
import type { Config } from '../../config.js';
import type { Clock } from '../../app/ports.js';
import { systemClock } from '../../app/ports.js';
import type { Store } from '../../app/store.js';
import type { Driver } from './driver.js';
import { sqlStore } from './sql-store.js';
import { migrate } from './migrate.js';
import type { PostgresOptions } from './postgres.js';

export { SchemaTooNewError, StoreUnavailableError } from './driver.js';
export { LATEST_SCHEMA_VERSION } from './migrate.js';

export interface StoreOptions {
  clock?: Clock;
  /** PostgreSQL only: the schema to use (search_path). */
  schema?: PostgresOptions['schema'];
  /** PostgreSQL only: query pool size. */
  poolSize?: number;
  /** Outside sinks (audit webhook, audit channels) every new audit event is queued for, in its own transaction. */
  auditSinks?: readonly string[];
}

export async function createStore(database: Config['database'], options: StoreOptions = {}): Promise<Store> {
  // Only the configured database's driver is loaded: no pg in a SQLite bot, no native SQLite module with PostgreSQL.
  const driver: Driver =
    database.kind === 'sqlite'
      ? (await import('./sqlite.js')).openSqliteDriver(database.file)
      : await (await import('./postgres.js')).openPostgresDriver(database.url, {
          ...(options.schema ? { schema: options.schema } : {}),
          ...(options.poolSize ? { poolSize: options.poolSize } : {}),
        });
  const clock = options.clock ?? systemClock;
  try {
    await migrate(driver, clock.now());
  } catch (err) {
    await driver.close();
    throw err;
  }
  return sqlStore(driver, clock, options.auditSinks ?? []);
}
