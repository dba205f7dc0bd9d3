/**
 * The claims role: a chat event's key is claimed once, whoever sees it again. A claim is one INSERT … ON CONFLICT
 * DO NOTHING, atomic by itself: the row it inserted (or not) is the answer, so no transaction is opened around it
 * (every answered paste claims once; on PostgreSQL that is one round trip instead of three).
 */
import type { ClaimStore } from '../../../app/store.js';
import { CLAIM_SQL, type Shell } from '../shell.js';

export function claimsRole(shell: Shell): ClaimStore {
  return {
    claimEvent: async (key, scope = 'chat') =>
      (await shell.driver.write(CLAIM_SQL, [key, scope, shell.clock.now().toISOString()])) === 1,
    pruneEvents: (olderThan) =>
      shell.driver.tx((sql) => sql.run('DELETE FROM processed_events WHERE created_at < ?', [olderThan.toISOString()])),
  };
}
