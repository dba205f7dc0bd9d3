/**
 * "Answer once per message". Slack delivers one user post up to several times: as `message` and as
 * `app_mention` (different event_ids, same channel+ts), and again as retries (`X-Slack-Retry-Num`, same event_id)
 * when it thinks we were too slow. The first claim of a key wins; later claims within the TTL are refused.
 *
 * `StoreOnceGate` keeps the claims in the store's processed-events table, so several bot instances and restarts
 * agree; `MemoryOnceGate` (bounded, one process) is the fallback and the gate for tests and benchmarks.
 */
import type { Logger } from '../../log.js';

export interface OnceGate {
  /** True the first time `key` is claimed within the TTL, false afterwards. Atomic per key. */
  claim(key: string): Promise<boolean>;
}

export class MemoryOnceGate implements OnceGate {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string): Promise<boolean> {
    return this.claimSync(key);
  }

  claimSync(key: string): boolean {
    const t = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > t) return false;
    if (until !== undefined) this.seen.delete(key);
    this.seen.set(key, t + this.ttlMs);
    this.evict(t);
    return true;
  }

  size(): number {
    return this.seen.size;
  }

  /** Map iteration is insertion order, so the oldest entries come first. */
  private evict(t: number): void {
    for (const [k, until] of this.seen) {
      if (this.seen.size <= this.maxEntries && until > t) break;
      this.seen.delete(k);
    }
  }
}

/** Keys for one Slack post: its event id (retries) and its channel + ts (message vs app_mention). */
export function messageKeys(eventId: string | undefined, channel: string, ts: string): string[] {
  return [...(eventId ? [`slack:event:${eventId}`] : []), `slack:msg:${channel}:${ts}`];
}

/** Claims every key; the post is new only if none of them was seen. All keys are claimed either way. */
export async function claimAll(gate: OnceGate, keys: string[]): Promise<boolean> {
  const results = await Promise.all(keys.map((k) => gate.claim(k)));
  return results.every(Boolean);
}

/** The store's idempotency table (Store.claimEvent), as far as this gate needs it. */
export interface EventClaims {
  claimEvent(key: string, scope?: string): Promise<boolean>;
}

/**
 * Claims in the store, shared by every instance. If the store fails, the claim falls back to this process's memory
 * (logged): a database blip may then let two instances answer the same post, but it never silences the bot.
 */
export class StoreOnceGate implements OnceGate {
  private readonly memory = new MemoryOnceGate();

  constructor(
    private readonly store: EventClaims,
    private readonly logger: Logger,
  ) {}

  async claim(key: string): Promise<boolean> {
    const local = this.memory.claimSync(key);
    try {
      return (await this.store.claimEvent(key, 'slack')) && local;
    } catch (err) {
      this.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'store claim failed: deduplicating slack events in memory',
      );
      return local;
    }
  }
}
