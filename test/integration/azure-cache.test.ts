import { refOf } from '../support/registry-ref.js';
/**
 * The gateway's call budget, counted in the emulator's request log: cold inspect = one Resource Graph query,
 * warm = at most one GET, and concurrency never multiplies calls (single-flight + short snapshot TTL).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TTLS } from '../../src/adapters/azure/index.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { gatewayFor, target, testClock } from '../support/azure.js';

let emu: ArmEmulator;
let original: ReturnType<ArmEmulator['state']['get']>;
beforeAll(async () => {
  emu = await startEmulator();
  original = emu.state.get();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const calls = () => emu.requests().map((r) => `${r.method} ${r.path.replace(/^.*\/providers\//, '…/')}`);
const paste = target('acmeprod.azurecr.io', SAMPLE.aksOutboundIp);

describe('inspect call budget', () => {
  it('cold: one Resource Graph query for registry and IP owner together, no GET', async () => {
    const r = await gatewayFor(emu).inspect(paste);
    expect(r.registry?.status).toBe('found');
    expect(r.ipOwner?.detail).toContain('aks-prod');
    expect(calls()).toEqual(['POST …/Microsoft.ResourceGraph/resources']);
  });

  it('warm: the id and owner are cached; one fresh GET once the snapshot TTL has passed, none within it', async () => {
    const clock = testClock();
    const gw = gatewayFor(emu, { clock });
    await gw.inspect(paste);
    emu.clearRequests();
    await gw.inspect(paste);
    expect(calls()).toEqual([]);
    clock.advance(DEFAULT_TTLS.snapshotMs + 1);
    const r = await gw.inspect(paste);
    expect(calls()).toEqual(['GET …/Microsoft.ContainerRegistry/registries/acmeprod']);
    expect(r.ipOwner?.name).toBe('2d9b5a3e-4f21-4c57-9e0a-6b1c8d7f0e21');
  });

  it('100 identical concurrent inspections: one query cold, one GET warm', async () => {
    const clock = testClock();
    const gw = gatewayFor(emu, { clock });
    const cold = await Promise.all(Array.from({ length: 100 }, () => gw.inspect(paste)));
    expect(cold.every((r) => r.registry?.status === 'found')).toBe(true);
    expect(calls()).toEqual(['POST …/Microsoft.ResourceGraph/resources']);
    emu.clearRequests();
    clock.advance(DEFAULT_TTLS.snapshotMs + 1);
    await Promise.all(Array.from({ length: 100 }, () => gw.inspect(paste)));
    expect(calls()).toEqual(['GET …/Microsoft.ContainerRegistry/registries/acmeprod']);
  });

  it('a new IP for a known registry costs one query for the owner only', async () => {
    const gw = gatewayFor(emu);
    await gw.inspect(paste);
    emu.clearRequests();
    const r = await gw.inspect(target('acmeprod.azurecr.io', SAMPLE.natGatewayIp));
    expect(r.ipOwner?.detail).toContain('natgw-prod');
    expect(calls()).toEqual(['POST …/Microsoft.ResourceGraph/resources']);
    expect(String((emu.requests()[0]!.body as { query: string }).query)).not.toContain('containerregistry');
  });

  it('caches "not found" briefly and re-resolves after the TTL', async () => {
    const clock = testClock();
    const gw = gatewayFor(emu, { clock });
    expect((await gw.findRegistry(refOf('newregistry.azurecr.io'))).status).toBe('not_found');
    expect((await gw.findRegistry(refOf('newregistry.azurecr.io'))).status).toBe('not_found');
    expect(emu.countRequests({ path: 'ResourceGraph' })).toBe(1);
    clock.advance(DEFAULT_TTLS.notFoundMs + 1);
    await gw.findRegistry(refOf('newregistry.azurecr.io'));
    expect(emu.countRequests({ path: 'ResourceGraph' })).toBe(2);
  });

  it('readRegistry always reads fresh', async () => {
    const gw = gatewayFor(emu);
    await gw.readRegistry(SAMPLE.acmeprod);
    await gw.readRegistry(SAMPLE.acmeprod);
    expect(emu.countRequests({ method: 'GET', path: '/registries/acmeprod' })).toBe(2);
  });

  it('shown reads (Show rules) share a GET already on its way; a fresh read for a write never joins one', async () => {
    emu.faults.add({ method: 'GET', path: '/registries/acmeprod', delayMs: 500, times: null });
    const gw = gatewayFor(emu);
    const shown = Promise.all(
      Array.from({ length: 20 }, () => gw.readRegistry(SAMPLE.acmeprod, { shareInFlight: true })),
    );
    const forWrite = gw.readRegistry(SAMPLE.acmeprod);
    const [clicks, fresh] = await Promise.all([shown, forWrite]);
    expect(clicks.every((r) => r.name === 'acmeprod')).toBe(true);
    expect(fresh.name).toBe('acmeprod');
    expect(emu.countRequests({ method: 'GET', path: '/registries/acmeprod' })).toBe(2);
    // Nothing is kept once the read is done: the next shown read goes to ARM again.
    await gw.readRegistry(SAMPLE.acmeprod, { shareInFlight: true });
    expect(emu.countRequests({ method: 'GET', path: '/registries/acmeprod' })).toBe(3);
  });

  it('the sharers of one shown read resume one per event-loop turn, not all at once', async () => {
    emu.faults.add({ method: 'GET', path: '/registries/acmeprod', delayMs: 200, times: 1 });
    const gw = gatewayFor(emu);
    // Counts event-loop turns: one setImmediate per turn while the sharers resume.
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const resumedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () =>
        gw.readRegistry(SAMPLE.acmeprod, { shareInFlight: true }).then(() => resumedAt.push(turns)),
      ),
    );
    counting = false;
    expect(emu.countRequests({ method: 'GET', path: '/registries/acmeprod' })).toBe(1);
    // Each sharer saw a later turn than the one before it: new requests (and their acks) run in between.
    for (let i = 1; i < resumedAt.length; i++) expect(resumedAt[i]).toBeGreaterThan(resumedAt[i - 1]!);
  });

  it('re-resolves a registry that was deleted and recreated elsewhere since its id was cached', async () => {
    const clock = testClock();
    const gw = gatewayFor(emu, { clock });
    await gw.inspect(paste);
    const moved = emu.state.get();
    const reg = moved.registries.find((r) => r.name === 'acmeprod')!;
    reg.id = reg.id.replace('rg-registry-prod', 'rg-moved');
    emu.state.replace(moved);
    try {
      clock.advance(DEFAULT_TTLS.snapshotMs + 1);
      const r = await gw.inspect(paste);
      expect(r.registry?.status === 'found' && r.registry.registry.resourceGroup).toBe('rg-moved');
      expect(calls()).toContain('GET …/Microsoft.ContainerRegistry/registries/acmeprod');
    } finally {
      emu.state.replace(original);
    }
  });

  it('sees an out-of-band edit on the next warm read', async () => {
    const clock = testClock();
    const gw = gatewayFor(emu, { clock });
    await gw.inspect(paste);
    emu.edits.add({ registry: 'acmeprod', addIpRules: [SAMPLE.aksOutboundIp] });
    clock.advance(DEFAULT_TTLS.snapshotMs + 1);
    const r = await gw.inspect(paste);
    expect(r.registry?.status === 'found' && r.registry.registry.ipRules).toContain(SAMPLE.aksOutboundIp);
  });
});
