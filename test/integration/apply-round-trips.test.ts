/**
 * Store round trips between taking a registry's lock and sending its PATCH. Every call made while the lock is held
 * delays every other apply to that registry (and on PostgreSQL each is a network round trip), so the worker's
 * plan is to read what it needs in a fixed number of queries, whatever the size of the batch. The store is a real
 * SQLite file wrapped in a recording proxy; the PATCH is seen at the ARM emulator.
 *
 * Card refreshes ("applying shortly" on every copy) run in the background while the lock is held and never delay
 * the PATCH, so the count leaves out the cards role; a test below shows they are there and off the critical path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { Store } from '../../src/app/store.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { CAROL, DANA, startEngine, type Engine } from './approvals-harness.js';

interface Call {
  method: string;
  /** PATCHes the emulator had answered when the call was made. */
  patchesBefore: number;
  inLock: boolean;
}

/** A store that records each call, whether it was made inside withRegistryLock, and how many PATCHes preceded it. */
function recording(store: Store, emu: ArmEmulator, calls: Call[]): Store {
  let lockDepth = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = String(prop);
      return (...args: unknown[]) => {
        calls.push({ method, patchesBefore: emu.countRequests({ method: 'PATCH' }), inLock: lockDepth > 0 });
        if (method !== 'withRegistryLock') return value.apply(target, args);
        const [id, fn, options] = args as Parameters<Store['withRegistryLock']>;
        return target.withRegistryLock(
          id,
          async (lock) => {
            lockDepth++;
            try {
              return await fn(lock);
            } finally {
              lockDepth--;
            }
          },
          options,
        );
      };
    },
  });
}

describe('store round trips between the registry lock and the PATCH', () => {
  let emu: ArmEmulator;
  let e: Engine;
  let dir: string;
  const calls: Call[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(async () => {
    emu.reset();
    calls.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-round-trips-'));
    const file = path.join(dir, 'acr-access.db');
    // A long debounce gathers every approval below into one batch.
    e = await startEngine({
      emu,
      openStore: async (clock) => recording(await createStore({ kind: 'sqlite', file }, { clock }), emu, calls),
      settings: { debounceMs: 2_000 },
    });
  });
  afterEach(async () => {
    await e.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A submitted request, pending approval. */
  async function submit(ip: string): Promise<{ id: string; version: number }> {
    const opened = await e.act('request_access', { registryId: SAMPLE.acmeprod, rule: `${ip}/32`, ip }, DANA);
    if (opened.reply.type !== 'request_form') throw new Error(JSON.stringify(opened.reply));
    const submitted = await e.act(
      'submit_request',
      { ...opened.reply.form.submitData, reason: 'nodes pull images', duration: '2h' },
      DANA,
    );
    if (submitted.reply.type !== 'request') throw new Error(JSON.stringify(submitted.reply));
    return submitted.reply.view.request;
  }

  const CARD_ROLE = new Set(['saveConversation', 'getConversation', 'saveCard', 'listCards']);

  /** The worker's store calls inside the lock before the first PATCH reached ARM (card refreshes left out). */
  function beforeFirstPatch(): string[] {
    return calls.filter((c) => c.inLock && c.patchesBefore === 0 && !CARD_ROLE.has(c.method)).map((c) => c.method);
  }

  async function batchOf(ips: string[]): Promise<string[]> {
    const pending = [];
    for (const ip of ips) pending.push(await submit(ip));
    // Approved together, well inside the debounce, so they share one run and one PATCH.
    await Promise.all(pending.map((r) => e.act('approve', { requestId: r.id, version: r.version }, CAROL)));
    await e.approvals.idle(30_000);
    expect(emu.countRequests({ method: 'PATCH' })).toBe(1);
    return beforeFirstPatch();
  }

  it('one approved request: a fixed handful of store calls inside the lock before the PATCH', async () => {
    const one = await batchOf(['20.61.14.37']);
    // Open operations to resume, the batch to apply, its start in one transaction, the PATCH on record.
    expect(one).toEqual(['openOperations', 'requestsToApply', 'transitionAll', 'recordOperation']);
  });

  it('three approved requests in one batch: the same number of store calls as one', async () => {
    const three = await batchOf(['20.61.14.37', '20.61.14.40', '20.61.14.41']);
    expect(three).toEqual(['openOperations', 'requestsToApply', 'transitionAll', 'recordOperation']);
    // Every copy of the three cards was refreshed to "applying" meanwhile, in the background.
    const cardReads = calls.filter((c) => c.inLock && c.method === 'listCards');
    expect(cardReads.length).toBeGreaterThanOrEqual(3);
    const rules = (
      (emu.state.registry('acmeprod')?.properties?.networkRuleSet as { ipRules?: { value: string }[] } | undefined)
        ?.ipRules ?? []
    ).map((r) => r.value);
    expect(rules).toEqual(expect.arrayContaining(['20.61.14.37/32', '20.61.14.40/32', '20.61.14.41/32']));
  });
});
