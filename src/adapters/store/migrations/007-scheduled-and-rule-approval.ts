/**
 * Schema version 7: a request's record carries `startsAt` (scheduled access: when its window opens) and
 * `approvedByRule` (the policy rule that approved it without a person). Requests made before had neither: they get
 * null, so every stored record has both fields.
 */
import type { Migration } from './types.js';

const sqlite = `
UPDATE requests SET data = json_set(data, '$.startsAt', json('null')) WHERE json_type(data, '$.startsAt') IS NULL;
UPDATE requests SET data = json_set(data, '$.approvedByRule', json('null')) WHERE json_type(data, '$.approvedByRule') IS NULL;
`;

const postgres = `
UPDATE requests SET data = data || '{"startsAt": null}'::jsonb WHERE NOT (data ? 'startsAt');
UPDATE requests SET data = data || '{"approvedByRule": null}'::jsonb WHERE NOT (data ? 'approvedByRule');
`;

export const migration007: Migration = { version: 7, name: 'scheduled-and-rule-approval', sqlite, postgres };
