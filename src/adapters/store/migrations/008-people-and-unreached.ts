/**
 * Schema version 8: the people directory, and who a request could not reach.
 * - `people`: the display name each chat platform last told the bot for a person (Teams AAD object id, lower-case;
 *   Slack user id), so cards name people instead of showing ids, on every instance. A row is written only when a
 *   name is new or changed; `seen_at` is when that was.
 * - A request's record carries `unreached`, the approvers no message about it reached; requests made before it was
 *   kept get null, so every stored record has the field.
 */
import type { Migration } from './types.js';

const sqlite = `
CREATE TABLE people (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (platform, user_id)
);
UPDATE requests SET data = json_set(data, '$.unreached', json('null')) WHERE json_type(data, '$.unreached') IS NULL;
`;

const postgres = `
CREATE TABLE people (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  seen_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (platform, user_id)
);
UPDATE requests SET data = data || '{"unreached": null}'::jsonb WHERE NOT (data ? 'unreached');
`;

export const migration008: Migration = { version: 8, name: 'people-and-unreached', sqlite, postgres };
