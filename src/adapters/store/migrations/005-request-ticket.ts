/**
 * Schema version 5: a request's record carries `ticket`, the change or incident reference policy `requireTicket`
 * asks for. Requests made before it had none: they get null, so every stored record has the field.
 */
import type { Migration } from './types.js';

const sqlite = `
UPDATE requests SET data = json_set(data, '$.ticket', json('null')) WHERE json_type(data, '$.ticket') IS NULL;
`;

const postgres = `
UPDATE requests SET data = data || '{"ticket": null}'::jsonb WHERE NOT (data ? 'ticket');
`;

export const migration005: Migration = { version: 5, name: 'request-ticket', sqlite, postgres };
