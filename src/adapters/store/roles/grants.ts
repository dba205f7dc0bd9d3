/** The grants role: reads of the grant rows the request transitions write (core's grantOf). */
import type { GrantStore } from '../../../app/store.js';
import type { Grant } from '../../../core/requests/index.js';
import { grantFromRow } from '../rows.js';
import type { Shell } from '../shell.js';
import { idKey } from '../../../core/registry-ref.js';

export function grantsRole(shell: Shell): GrantStore {
  const read = async (sql: string, params: readonly unknown[] = []): Promise<Grant[]> =>
    (await shell.driver.read(sql, params)).map(grantFromRow);
  /** ` AND lower(registry_id) = ?` and its parameter when a registry is named (ARM ids are case-insensitive). */
  const ofRegistry = (registryId: string | undefined): [string, unknown[]] =>
    registryId === undefined ? ['', []] : [' AND lower(registry_id) = ?', [idKey(registryId)]];

  return {
    grantsEndingBefore: (t, options = {}) =>
      read(
        `SELECT * FROM grants WHERE status = 'active' AND ends_at IS NOT NULL AND ends_at <= ?${options.unwarnedOnly ? ' AND expiry_warned_at IS NULL' : ''} ORDER BY ends_at, id`,
        [t.toISOString()],
      ),

    activeGrants(registryId) {
      const [and, params] = ofRegistry(registryId);
      return read(`SELECT * FROM grants WHERE status = 'active'${and} ORDER BY starts_at, id`, params);
    },

    async getGrant(id) {
      return (await read('SELECT * FROM grants WHERE id = ?', [id]))[0] ?? null;
    },

    grantsAwaitingRemoval(registryId) {
      const [and, params] = ofRegistry(registryId);
      return read(
        `SELECT * FROM grants WHERE status <> 'active' AND rule_removed_at IS NULL${and} ORDER BY updated_at, id`,
        params,
      );
    },
  };
}
