import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/adapters/azure/cache.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => new Date(c.t) };
  return c;
}

describe('TtlCache', () => {
  it('shares one load among concurrent callers and keeps the value for its TTL', async () => {
    const c = clock();
    const cache = new TtlCache<string, number>(c);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 5));
      return 42;
    };
    const all = await Promise.all(Array.from({ length: 100 }, () => cache.get('k', 1000, load)));
    expect(new Set(all)).toEqual(new Set([42]));
    expect(loads).toBe(1);
    c.t += 999;
    await cache.get('k', 1000, load);
    expect(loads).toBe(1);
    c.t += 2;
    await cache.get('k', 1000, load);
    expect(loads).toBe(2);
  });

  it('does not cache failures', async () => {
    const cache = new TtlCache<string, number>(clock());
    let n = 0;
    await expect(cache.get('k', 1000, async () => Promise.reject(new Error(`fail ${++n}`)))).rejects.toThrow('fail 1');
    await expect(cache.get('k', 1000, async () => 7)).resolves.toBe(7);
  });

  it('evicts the oldest entries beyond its bound', () => {
    const cache = new TtlCache<number, number>(clock(), 3);
    for (let i = 0; i < 5; i++) cache.set(i, i, 1000);
    expect([0, 1, 2, 3, 4].map((i) => cache.peek(i))).toEqual([undefined, undefined, 2, 3, 4]);
  });
});
