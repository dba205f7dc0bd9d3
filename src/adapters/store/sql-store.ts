/**
 * The Store over a Driver (sqlite.ts, postgres.ts): the role modules (roles/) on one SQL shell (shell.ts), plus the
 * registry lock and health. Nothing here decides anything; core's transitions do.
 */
import type { Clock } from '../../app/ports.js';
import type { Store } from '../../app/store.js';
import type { Driver } from './driver.js';
import { currentVersion, LATEST_SCHEMA_VERSION } from './migrate.js';
import { auditRole } from './roles/audit.js';
import { cardsRole } from './roles/cards.js';
import { claimsRole } from './roles/claims.js';
import { grantsRole } from './roles/grants.js';
import { operationsRole } from './roles/operations.js';
import { outboxRole } from './roles/outbox.js';
import { peopleRole } from './roles/people.js';
import { requestsRole } from './roles/requests.js';
import type { Shell } from './shell.js';
import { idKey } from '../../core/registry-ref.js';

export function sqlStore(driver: Driver, clock: Clock, auditSinks: readonly string[] = []): Store {
  const shell: Shell = { driver, clock, auditSinks: [...auditSinks] };
  const schemaVersion = (): Promise<number> => currentVersion({ all: (s, p) => driver.read(s, p) });
  return {
    kind: driver.dialect,
    ...requestsRole(shell),
    ...grantsRole(shell),
    ...operationsRole(shell),
    ...auditRole(shell),
    ...outboxRole(shell),
    ...cardsRole(shell),
    ...claimsRole(shell),
    ...peopleRole(shell),
    // ARM ids are case-insensitive: one registry, one lock, however a caller spells its id.
    withRegistryLock: (registryId, fn, options) => driver.withRegistryLock(idKey(registryId), fn, options),
    schemaVersion,
    async health() {
      try {
        const v = await schemaVersion();
        if (v !== LATEST_SCHEMA_VERSION)
          return { ok: false, detail: `${driver.description}: schema v${v}, this bot needs v${LATEST_SCHEMA_VERSION}` };
        return { ok: true, detail: `${driver.description}, schema v${v}` };
      } catch (err) {
        return { ok: false, detail: `${driver.description}: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
    close: () => driver.close(),
  };
}
