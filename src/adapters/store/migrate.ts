/**
 * Versioned migrations: apply, in order, each migration newer than the database's version, recording each in
 * schema_migrations in the same transaction. Re-running is a no-op. A database newer than this binary is refused.
 */
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';
import { SchemaTooNewError, type Driver, type Sql } from './driver.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export async function currentVersion(sql: Pick<Sql, 'all'>): Promise<number> {
  const rows = await sql.all<{ v: number | string | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}

/** Returns the versions applied now (empty when the database was already current). */
export async function migrate(
  driver: Driver,
  now: Date,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  return driver.migrationTx(async (sql) => {
    await sql.exec(CREATE_TABLE);
    const current = await currentVersion(sql);
    if (current > latest) throw new SchemaTooNewError(current, latest);
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await sql.exec(driver.dialect === 'sqlite' ? m.sqlite : m.postgres);
      await sql.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        now.toISOString(),
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}

export { LATEST_SCHEMA_VERSION };
