/**
 * People by name: the precedence (policy's name, the record's, the directory's, else email or id), names made inert
 * like every echoed text, and the directory itself on a real SQLite file: a name is written once (not again when told
 * again), an approver never seen is looked up once, and a lookup that fails leaves the id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import { People } from '../../src/app/people.js';
import type { Store } from '../../src/app/store.js';
import { approverName, cleanName, NO_NAMES, partyName } from '../../src/core/people.js';
import { createLogger } from '../../src/log.js';

const AAD = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const clock = { now: () => new Date('2026-03-02T09:00:00Z') };
let dir: string | null = null;
let store: Store | null = null;

afterEach(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  store = null;
  dir = null;
});

async function open(): Promise<Store> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-people-'));
  store = await createStore({ kind: 'sqlite', file: path.join(dir, 'db.sqlite') }, { clock });
  return store;
}

/** The store, counting the directory writes that changed a row. */
function counting(s: Store): { store: Store; writes: () => number } {
  let writes = 0;
  return {
    store: new Proxy(s, {
      get(t, p) {
        if (p !== 'savePersonName') return Reflect.get(t, p) as unknown;
        return async (...a: Parameters<Store['savePersonName']>) => {
          const changed = await t.savePersonName(...a);
          if (changed) writes += 1;
          return changed;
        };
      },
    }),
    writes: () => writes,
  };
}

describe('naming people', () => {
  it('names are inert: no bidi override, no NUL, one line, bounded', () => {
    expect(cleanName('Eve\u202Eexe.txt\u0000  \n Stone')).toBe('Eveexe.txt Stone');
    expect(cleanName('\u202E\u0000 ')).toBeNull();
    expect(cleanName('x'.repeat(500))).toHaveLength(120);
  });

  it("policy's name first, then the directory's, then what the entry says", () => {
    const book = (platform: string, id: string) => (platform === 'teams' && id === AAD ? 'Carol Diaz' : null);
    expect(approverName({ kind: 'teams', value: AAD, name: 'Carol (on call)' }, book)).toBe('Carol (on call)');
    expect(approverName({ kind: 'teams', value: AAD }, book)).toBe('Carol Diaz');
    expect(approverName({ kind: 'teams', value: AAD }, NO_NAMES)).toBe(`Teams user ${AAD}`);
    expect(approverName({ kind: 'slack', value: 'U0NOBODY1' }, book)).toBe('Slack user U0NOBODY1');
    const party = { platform: 'teams' as const, id: AAD, email: null, displayName: null };
    expect(partyName(party, book)).toBe('Carol Diaz');
    expect(partyName({ ...party, displayName: 'Carol D.' }, book)).toBe('Carol D.');
    expect(partyName(party, NO_NAMES)).toBe(`teams user ${AAD}`);
  });

  it('the directory writes a name once, looks up a stranger once, and leaves the id when a lookup fails', async () => {
    const c = counting(await open());
    const asked: string[] = [];
    const people = new People({
      store: c.store,
      clock,
      logger: createLogger('silent'),
      lookup: async (platform, id) => {
        asked.push(`${platform}:${id}`);
        if (id === 'U0BROKEN1') throw new Error('users.info: ratelimited');
        return id === 'U0CAROL01' ? 'Carol \u202EApprover' : null;
      },
    });
    await people.heard({ platform: 'teams', id: AAD.toUpperCase(), displayName: 'Dana Lee' });
    await people.heard({ platform: 'teams', id: AAD, displayName: 'Dana Lee' });
    expect(c.writes()).toBe(1);
    expect(people.names('teams', AAD)).toBe('Dana Lee');

    const strangers = [
      { platform: 'slack' as const, id: 'U0CAROL01' },
      { platform: 'slack' as const, id: 'U0BROKEN1' },
      { platform: 'slack' as const, id: 'U0NOBODY1' },
      { platform: 'teams' as const, id: AAD },
    ];
    await people.prime(strangers, null, 5_000);
    await people.prime(strangers, null, 5_000);
    expect(asked.sort()).toEqual(['slack:U0BROKEN1', 'slack:U0CAROL01', 'slack:U0NOBODY1']);
    expect(people.names('slack', 'U0CAROL01')).toBe('Carol Approver');
    expect(people.names('slack', 'U0BROKEN1')).toBeNull();
    expect(people.names('slack', 'U0NOBODY1')).toBeNull();
    expect(c.writes()).toBe(2);
    // Another instance finds the looked-up name in the store without asking Slack.
    const other = new People({ store: c.store, clock, logger: createLogger('silent'), lookup: null });
    await other.prime([{ platform: 'slack', id: 'U0CAROL01' }], null, 0);
    expect(other.names('slack', 'U0CAROL01')).toBe('Carol Approver');
  });
});
