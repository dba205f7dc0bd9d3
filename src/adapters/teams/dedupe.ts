/**
 * Recently handled activity ids, so a redelivered activity (Teams retries when the bot is slow, and RSC can deliver
 * a message that also mentions the bot once per subscription) is answered once. Bounded in size and age; one
 * process only (several instances behind a load balancer each keep their own).
 */
export class RecentIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly options: { maxEntries: number; ttlMs: number; now?: () => number } = {
      maxEntries: 10_000,
      ttlMs: 60 * 60_000,
    },
  ) {}

  /** True the first time `key` is claimed (within the TTL); false for a repeat. */
  claim(key: string): boolean {
    const now = (this.options.now ?? Date.now)();
    this.evict(now);
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.options.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    return true;
  }

  /** Forget a claim (the turn failed before answering, so a redelivery may try again). */
  release(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    // Map iterates in insertion order, which is claim order: stop at the first entry still fresh.
    for (const [key, at] of this.seen) {
      if (this.seen.size <= this.options.maxEntries && now - at < this.options.ttlMs) break;
      this.seen.delete(key);
    }
  }
}
