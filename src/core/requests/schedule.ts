/** Scheduled access: is a request's access window open yet? */
import type { AccessRequest } from './types.js';

/** True when the rule may be added now: no start time, or the start has come. */
export function windowOpen(r: Pick<AccessRequest, 'startsAt'>, now: Date): boolean {
  return r.startsAt === null || Date.parse(r.startsAt) <= now.getTime();
}
