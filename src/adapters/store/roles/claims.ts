/** The claims role: a chat event's key is claimed once, whoever sees it again. */
import type { ClaimStore } from '../../../app/store.js';
import { claimKey, type Shell } from '../shell.js';

export function claimsRole(shell: Shell): ClaimStore {
  return {
    claimEvent: (key, scope = 'chat') =>
      shell.driver.tx(async (sql) => (await claimKey(shell, sql, key, scope)) === null),
    pruneEvents: (olderThan) =>
      shell.driver.tx((sql) => sql.run('DELETE FROM processed_events WHERE created_at < ?', [olderThan.toISOString()])),
  };
}
