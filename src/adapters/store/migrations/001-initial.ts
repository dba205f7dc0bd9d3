/**
 * Schema version 1: requests, approvals, grants, the append-only audit log, apply operations (serialized ARM
 * pollers), conversation references and card message ids, and processed chat events.
 *
 * Kept as SQL text in a module (not .sql files) so the TypeScript build ships it in dist/ with nothing to copy.
 * Timestamps: TEXT ISO-8601 UTC in SQLite (sorts and compares as text), timestamptz in PostgreSQL. JSON: TEXT in
 * SQLite, jsonb in PostgreSQL. A request's full record is its `data` document; the other columns mirror the fields
 * that queries filter on, written in the same statement. Registry ids and names keep the case ARM gave them
 * and are compared through lower() (ARM resource ids are case-insensitive), with expression indexes to match.
 */
import type { Migration } from './types.js';

const sqlite = `
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  registry_id TEXT NOT NULL,
  registry_name TEXT NOT NULL,
  ip_rule TEXT NOT NULL,
  requester_platform TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  extends_request_id TEXT REFERENCES requests(id),
  pending_until TEXT NOT NULL,
  next_reminder_at TEXT,
  ends_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX requests_status ON requests (status, created_at);
CREATE INDEX requests_registry ON requests (lower(registry_id), status);
CREATE INDEX requests_registry_name ON requests (lower(registry_name), status);
CREATE INDEX requests_pending_until ON requests (status, pending_until);
CREATE INDEX requests_reminder ON requests (status, next_reminder_at);
CREATE INDEX requests_extends ON requests (extends_request_id);

CREATE TABLE approvals (
  request_id TEXT NOT NULL REFERENCES requests(id),
  approver_platform TEXT NOT NULL,
  approver_id TEXT NOT NULL,
  approver_email TEXT,
  role TEXT NOT NULL,
  approved_at TEXT NOT NULL,
  PRIMARY KEY (request_id, approver_platform, approver_id)
);

CREATE TABLE grants (
  id TEXT PRIMARY KEY REFERENCES requests(id),
  registry_id TEXT NOT NULL,
  registry_name TEXT NOT NULL,
  ip_rule TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT,
  status TEXT NOT NULL,
  expiry_warned_at TEXT,
  rule_removed_at TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX grants_ending ON grants (status, ends_at);
CREATE INDEX grants_registry ON grants (lower(registry_id), status);

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  occurred_at TEXT NOT NULL,
  event_type TEXT NOT NULL,
  request_id TEXT,
  registry_id TEXT,
  registry_name TEXT,
  ip_rule TEXT,
  actor TEXT,
  from_status TEXT,
  to_status TEXT,
  rules_before TEXT,
  rules_after TEXT,
  correlation_id TEXT,
  summary TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX audit_registry ON audit_events (lower(registry_id), occurred_at);
CREATE INDEX audit_registry_name ON audit_events (lower(registry_name), occurred_at);
CREATE INDEX audit_request ON audit_events (request_id);
CREATE INDEX audit_time ON audit_events (occurred_at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE apply_operations (
  id TEXT PRIMARY KEY,
  registry_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  request_ids TEXT NOT NULL,
  status TEXT NOT NULL,
  operation_state TEXT NOT NULL,
  correlation_id TEXT,
  rules_before TEXT NOT NULL,
  rules_target TEXT NOT NULL,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX apply_operations_open ON apply_operations (status, lower(registry_id));

CREATE TABLE conversations (
  conversation_key TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  ref TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE request_cards (
  request_id TEXT NOT NULL REFERENCES requests(id),
  purpose TEXT NOT NULL,
  platform TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  message_id TEXT,
  ref TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (request_id, purpose, platform, conversation_id)
);

CREATE TABLE processed_events (
  event_key TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  result TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX processed_events_age ON processed_events (created_at);
`;

const postgres = `
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  registry_id TEXT NOT NULL,
  registry_name TEXT NOT NULL,
  ip_rule TEXT NOT NULL,
  requester_platform TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  extends_request_id TEXT REFERENCES requests(id),
  pending_until TIMESTAMPTZ NOT NULL,
  next_reminder_at TIMESTAMPTZ,
  ends_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  data JSONB NOT NULL
);
CREATE INDEX requests_status ON requests (status, created_at);
CREATE INDEX requests_registry ON requests (lower(registry_id), status);
CREATE INDEX requests_registry_name ON requests (lower(registry_name), status);
CREATE INDEX requests_pending_until ON requests (status, pending_until);
CREATE INDEX requests_reminder ON requests (status, next_reminder_at);
CREATE INDEX requests_extends ON requests (extends_request_id);

CREATE TABLE approvals (
  request_id TEXT NOT NULL REFERENCES requests(id),
  approver_platform TEXT NOT NULL,
  approver_id TEXT NOT NULL,
  approver_email TEXT,
  role TEXT NOT NULL,
  approved_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (request_id, approver_platform, approver_id)
);

CREATE TABLE grants (
  id TEXT PRIMARY KEY REFERENCES requests(id),
  registry_id TEXT NOT NULL,
  registry_name TEXT NOT NULL,
  ip_rule TEXT NOT NULL,
  starts_at TIMESTAMPTZ NOT NULL,
  ends_at TIMESTAMPTZ,
  status TEXT NOT NULL,
  expiry_warned_at TIMESTAMPTZ,
  rule_removed_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX grants_ending ON grants (status, ends_at);
CREATE INDEX grants_registry ON grants (lower(registry_id), status);

CREATE TABLE audit_events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at TIMESTAMPTZ NOT NULL,
  event_type TEXT NOT NULL,
  request_id TEXT,
  registry_id TEXT,
  registry_name TEXT,
  ip_rule TEXT,
  actor JSONB,
  from_status TEXT,
  to_status TEXT,
  rules_before JSONB,
  rules_after JSONB,
  correlation_id TEXT,
  summary TEXT NOT NULL,
  details JSONB NOT NULL
);
CREATE INDEX audit_registry ON audit_events (lower(registry_id), occurred_at);
CREATE INDEX audit_registry_name ON audit_events (lower(registry_name), occurred_at);
CREATE INDEX audit_request ON audit_events (request_id);
CREATE INDEX audit_time ON audit_events (occurred_at);
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END
$fn$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE apply_operations (
  id TEXT PRIMARY KEY,
  registry_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  request_ids JSONB NOT NULL,
  status TEXT NOT NULL,
  operation_state TEXT NOT NULL,
  correlation_id TEXT,
  rules_before JSONB NOT NULL,
  rules_target JSONB NOT NULL,
  error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX apply_operations_open ON apply_operations (status, lower(registry_id));

CREATE TABLE conversations (
  conversation_key TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  ref JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE request_cards (
  request_id TEXT NOT NULL REFERENCES requests(id),
  purpose TEXT NOT NULL,
  platform TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  message_id TEXT,
  ref JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (request_id, purpose, platform, conversation_id)
);

CREATE TABLE processed_events (
  event_key TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  result JSONB,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX processed_events_age ON processed_events (created_at);
`;

export const migration001: Migration = { version: 1, name: 'initial', sqlite, postgres };
