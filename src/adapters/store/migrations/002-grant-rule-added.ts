/**
 * Schema version 2: `grants.rule_added`, the rule value the bot itself wrote for a grant (or took over from an ended
 * grant that still covered it). Expiry removes only that value, so a rule someone else added (or one that already
 * covered the address when the grant began) is never taken off. Existing grants get NULL: "the bot did not add it",
 * the safe reading.
 */
import type { Migration } from './types.js';

const sqlite = `ALTER TABLE grants ADD COLUMN rule_added TEXT;`;
const postgres = `ALTER TABLE grants ADD COLUMN rule_added TEXT;`;

export const migration002: Migration = { version: 2, name: 'grant-rule-added', sqlite, postgres };
