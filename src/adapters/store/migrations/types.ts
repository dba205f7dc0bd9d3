/** One schema change, as SQL for each dialect. Versions are consecutive from 1 and never edited once released. */
export interface Migration {
  version: number;
  /** Short name, recorded in schema_migrations. */
  name: string;
  sqlite: string;
  postgres: string;
}
