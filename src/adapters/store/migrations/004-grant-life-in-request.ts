/**
 * Schema version 4: a request's record carries its grant's rule facts (`ruleAdded`, `ruleRemovedAt`), because the
 * request state machine now decides them (ownership when applied, `adopt_rule`, `remove_rule`) and the grants row
 * is only their projection. Copied from the grants rows; requests that never became grants get nulls.
 */
import type { Migration } from './types.js';

const sqlite = `
UPDATE requests SET data = json_set(data,
  '$.ruleAdded', (SELECT g.rule_added FROM grants g WHERE g.id = requests.id),
  '$.ruleRemovedAt', (SELECT g.rule_removed_at FROM grants g WHERE g.id = requests.id));
`;

const postgres = `
UPDATE requests r SET data = r.data || jsonb_build_object(
  'ruleAdded', g.rule_added,
  'ruleRemovedAt', to_char(g.rule_removed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM grants g WHERE g.id = r.id;
UPDATE requests SET data = data || '{"ruleAdded": null, "ruleRemovedAt": null}'::jsonb WHERE NOT (data ? 'ruleAdded');
`;

export const migration004: Migration = { version: 4, name: 'grant-life-in-request', sqlite, postgres };
