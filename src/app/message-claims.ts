/**
 * "Answer a post once", whichever instance it reaches and however often the platform delivers it (Slack retries and
 * sends a mention as both `message` and `app_mention`; Teams retries a slow turn). The chat service claims a post
 * only after the parse found something to answer, so chatter writes nothing.
 *
 * Claims go to the store, which every instance shares (PostgreSQL for several). A repeat that reaches the same
 * instance is refused from this process's memory without a round trip. When the store cannot claim, memory decides
 * (logged): a database blip may then let two instances answer one post, but it never silences the bot.
 */
import type { Logger } from '../log.js';
import type { Store } from './store.js';

/** The part of the store a claim needs. */
export type ClaimStore = Pick<Store, 'claimEvent'>;

export interface MessageClaimOptions {
  /** How long this process remembers a claimed key (platforms stop redelivering after minutes). */
  ttlMs?: number;
  /** Most keys remembered; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export class MessageClaims {
  /** key → until (ms). Map iteration is insertion order, so the oldest entries come first. */
  private readonly seen = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly store: ClaimStore | null,
    private readonly logger: Logger | null = null,
    options: MessageClaimOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60 * 60_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** True the first time `key` is claimed by any instance; false for a repeat. `scope` groups keys in the store. */
  async claim(key: string, scope: string): Promise<boolean> {
    if (!this.claimLocally(key)) return false;
    if (this.store === null) return true;
    try {
      return await this.store.claimEvent(key, scope);
    } catch (err) {
      this.logger?.warn(
        { err: err instanceof Error ? err.message : String(err), scope },
        'store claim failed: answering once per post in this process only',
      );
      return true;
    }
  }

  private claimLocally(key: string): boolean {
    const t = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > t) return false;
    if (until !== undefined) this.seen.delete(key);
    this.seen.set(key, t + this.ttlMs);
    for (const [k, u] of this.seen) {
      if (this.seen.size <= this.maxEntries && u > t) break;
      this.seen.delete(k);
    }
    return true;
  }
}
