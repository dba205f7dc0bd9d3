/**
 * The grants role of the store port: the read side of applied grant requests (core's grantOf), which the request
 * transitions keep in step in their own transaction.
 */
import type { Grant } from '../../core/requests/index.js';

export interface GrantStore {
  /** Active grants ending at or before `t`: expire them (t = now) or warn their requesters (t = now + lead time, unwarnedOnly). */
  grantsEndingBefore(t: Date, options?: { unwarnedOnly?: boolean }): Promise<Grant[]>;
  /** Active grants, optionally of one registry (by resource id, any case): what the bot's rules on it must still cover. */
  activeGrants(registryId?: string): Promise<Grant[]>;
  getGrant(id: string): Promise<Grant | null>;
  /** Ended grants whose rule removal is not recorded yet, optionally of one registry (resume after a restart). */
  grantsAwaitingRemoval(registryId?: string): Promise<Grant[]>;
}
