/**
 * Schema version 6: the audit outbox. Every audit event bound for an outside sink (the audit webhook, an audit
 * channel) gets one row per sink here, inserted in the transaction that appends the event, so an event is either
 * in the log and queued for every sink or in neither. A row is deleted once its sink has taken the event; until then
 * it counts its attempts and when the next one is due (retry with back-off survives a restart).
 */
import type { Migration } from './types.js';

const sqlite = `
CREATE TABLE audit_outbox (
  sink TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES audit_events(seq),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  PRIMARY KEY (sink, seq)
);
`;

const postgres = `
CREATE TABLE audit_outbox (
  sink TEXT NOT NULL,
  seq BIGINT NOT NULL REFERENCES audit_events(seq),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_error TEXT,
  PRIMARY KEY (sink, seq)
);
`;

export const migration006: Migration = { version: 6, name: 'audit-outbox', sqlite, postgres };
