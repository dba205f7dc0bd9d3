/**
 * Schema version 3: every posted copy of a request card is its own row. A request's card may sit in one
 * conversation several times (a DM at each step, the card a click was answered on), and every copy must be kept up
 * to date, so a row is keyed by its message, not by its purpose. `viewer` names the person a personal copy is for
 * (a DM, an answer in a 1:1 chat), so it is re-drawn with that person's buttons. Rows without a message id could
 * never be updated and are dropped.
 */
import type { Migration } from './types.js';

const sqlite = `
CREATE TABLE request_cards_v3 (
  request_id TEXT NOT NULL REFERENCES requests(id),
  purpose TEXT NOT NULL,
  platform TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  ref TEXT NOT NULL,
  viewer TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (request_id, platform, conversation_id, message_id)
);
INSERT OR IGNORE INTO request_cards_v3 (request_id, purpose, platform, conversation_id, message_id, ref, viewer, updated_at)
  SELECT request_id, purpose, platform, conversation_id, message_id, ref, NULL, updated_at
  FROM request_cards WHERE message_id IS NOT NULL;
DROP TABLE request_cards;
ALTER TABLE request_cards_v3 RENAME TO request_cards;
`;

const postgres = `
DELETE FROM request_cards WHERE message_id IS NULL;
ALTER TABLE request_cards DROP CONSTRAINT request_cards_pkey;
ALTER TABLE request_cards ALTER COLUMN message_id SET NOT NULL;
ALTER TABLE request_cards ADD COLUMN viewer JSONB;
ALTER TABLE request_cards ADD PRIMARY KEY (request_id, platform, conversation_id, message_id);
`;

export const migration003: Migration = { version: 3, name: 'card-copies', sqlite, postgres };
