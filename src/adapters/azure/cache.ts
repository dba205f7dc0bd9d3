/**
 * A small TTL cache with single-flight: concurrent `get`s of a missing key share one load, so a burst of identical
 * inspections makes one ARM call. Failures are not cached. Time comes from the injected Clock so tests can move it.
 */
import type { Clock } from '../../app/ports.js';

interface Entry<V> {
  value: V;
  expires: number;
}

export class TtlCache<K, V> {
  private values = new Map<K, Entry<V>>();
  private inflight = new Map<K, Promise<V>>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 5000,
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  /** The cached value if still fresh. */
  peek(key: K): V | undefined {
    const e = this.values.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.values.delete(key);
    this.values.set(key, { value, expires: this.now() + ttlMs });
    // Oldest first in a Map's iteration order: evict those beyond the bound.
    while (this.values.size > this.maxEntries) this.values.delete(this.values.keys().next().value as K);
  }

  delete(key: K): void {
    this.values.delete(key);
  }

  clear(): void {
    this.values.clear();
  }

  /** The fresh value, the load already running for this key, or a new load whose result is kept for `ttl`. */
  get(key: K, ttl: number | ((value: V) => number), load: () => Promise<V>): Promise<V> {
    const hit = this.peek(key);
    if (hit !== undefined) return Promise.resolve(hit);
    return this.singleFlight(key, async () => {
      const value = await load();
      this.set(key, value, typeof ttl === 'number' ? ttl : ttl(value));
      return value;
    });
  }

  /** Share one running `load` among concurrent callers for `key`, without caching its result. */
  singleFlight(key: K, load: () => Promise<V>): Promise<V> {
    const running = this.inflight.get(key);
    if (running) return running;
    const p = load().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}
