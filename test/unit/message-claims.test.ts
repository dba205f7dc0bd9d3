import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { MessageClaims, type ClaimStore } from '../../src/app/message-claims.js';
import type { Store } from '../../src/app/store.js';
import { createLogger } from '../../src/log.js';

let store: Store;
beforeAll(async () => {
  store = await createStore({ kind: 'sqlite', file: ':memory:' });
});
afterAll(async () => {
  await store?.close();
});

/** The real store, with its claims counted. */
function counting(): { claims: ClaimStore; calls: () => number } {
  let n = 0;
  return {
    claims: {
      claimEvent: (key, scope) => {
        n += 1;
        return store.claimEvent(key, scope);
      },
    },
    calls: () => n,
  };
}

describe('MessageClaims', () => {
  it('two instances on one store: the first claim of a key wins', async () => {
    const a = new MessageClaims(store);
    const b = new MessageClaims(store);
    const results = await Promise.all([a.claim('slack:C1:1.1', 'slack'), b.claim('slack:C1:1.1', 'slack')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await b.claim('slack:C1:1.2', 'slack')).toBe(true);
  });

  it('a repeat on the same instance is refused from memory, without a store round trip', async () => {
    const counted = counting();
    const claims = new MessageClaims(counted.claims);
    expect(await claims.claim('teams:19:c:1', 'teams')).toBe(true);
    expect(await claims.claim('teams:19:c:1', 'teams')).toBe(false);
    expect(counted.calls()).toBe(1);
  });

  it('a store that fails: memory decides, the failure is logged, the bot still answers once', async () => {
    const logs: string[] = [];
    const broken: ClaimStore = {
      claimEvent: async () => {
        throw new Error('database is locked');
      },
    };
    const claims = new MessageClaims(broken, createLogger('warn', { write: (l: string) => void logs.push(l) }));
    expect(await claims.claim('k', 'slack')).toBe(true);
    expect(await claims.claim('k', 'slack')).toBe(false);
    expect(logs.join('')).toContain('store claim failed');
  });

  it('memory forgets after its TTL and stays bounded', async () => {
    let now = 0;
    const claims = new MessageClaims(null, null, { ttlMs: 1000, maxEntries: 3, now: () => now });
    expect(await claims.claim('a', 's')).toBe(true);
    expect(await claims.claim('a', 's')).toBe(false);
    now = 1001;
    expect(await claims.claim('a', 's')).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) await claims.claim(k, 's');
    // 'a' was pushed out by the bound, so it may be claimed again.
    expect(await claims.claim('a', 's')).toBe(true);
  });
});
