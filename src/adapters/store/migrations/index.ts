/**
 * Every migration, in order. To change the schema, add `NNN-name.ts` with the next version and append it here;
 * never edit a released one (databases in the field already ran it).
 */
import { migration001 } from './001-initial.js';
import { migration002 } from './002-grant-rule-added.js';
import { migration003 } from './003-card-copies.js';
import { migration004 } from './004-grant-life-in-request.js';
import { migration005 } from './005-request-ticket.js';
import { migration006 } from './006-audit-outbox.js';
import { migration007 } from './007-scheduled-and-rule-approval.js';
import { migration008 } from './008-people-and-unreached.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];

/** The schema version this binary writes and understands. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length === 0 ? 0 : MIGRATIONS[MIGRATIONS.length - 1]!.version;
