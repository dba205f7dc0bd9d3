/**
 * The firewall change as a long-running operation: PATCH → 201 + Azure-AsyncOperation → serialize → restore in a
 * fresh gateway (as after a restart) → poll → final GET. Also: hold/release, a synchronous 200, Retry-After, and the
 * out-of-band edit between read and write that makes the re-read necessary.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureError } from '../../src/app/azure-error.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { gatewayFor } from '../support/azure.js';

let emu: ArmEmulator;
beforeAll(async () => {
  emu = await startEmulator({ lro: { pollsBeforeDone: 2, retryAfterSeconds: 0 } });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  Object.assign(emu.operations.settings, { pollsBeforeDone: 2, retryAfterSeconds: 0, mode: 'async' });
});

const REG = '/registries/acmeprod';
const RULES = ['203.0.113.10', '198.51.100.0/24', '52.174.20.0/28', '20.61.14.36'];

describe('submitNetworkRules → waitForUpdate', () => {
  it('PATCHes only networkRuleSet, returns once accepted, and a fresh gateway finishes the wait from the saved state', async () => {
    const submitted = await gatewayFor(emu).submitNetworkRules(SAMPLE.acmeprod, {
      defaultAction: 'Deny',
      ipRules: [...RULES, SAMPLE.aksOutboundIp],
    });
    const patch = emu.requests({ method: 'PATCH', path: REG });
    expect(patch).toHaveLength(1);
    expect(patch[0]!.status).toBe(201);
    expect(patch[0]!.body).toEqual({
      properties: {
        networkRuleSet: {
          defaultAction: 'Deny',
          ipRules: [...RULES, SAMPLE.aksOutboundIp].map((value) => ({ action: 'Allow', value })),
        },
      },
    });
    expect(emu.countRequests({ path: 'operationStatuses' })).toBe(0);
    expect(submitted.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(submitted.operationState)).toMatchObject({
      state: {
        status: 'running',
        config: {
          requestMethod: 'PATCH',
          operationLocation: expect.stringContaining('/operationStatuses/registries-'),
        },
      },
    });

    // Meanwhile a GET shows the change under way.
    const during = await gatewayFor(emu).readRegistry(SAMPLE.acmeprod);
    expect(during).toMatchObject({ provisioningState: 'Updating', ipRules: [...RULES, SAMPLE.aksOutboundIp] });

    const done = await gatewayFor(emu).waitForUpdate(JSON.parse(JSON.stringify(submitted)));
    expect(done).toMatchObject({ provisioningState: 'Succeeded', ipRules: [...RULES, SAMPLE.aksOutboundIp] });
    expect(emu.requests({ path: 'operationStatuses' }).length).toBe(3);
    // The last call is the final GET of the registry (final-state-via azure-async-operation).
    expect(emu.requests().at(-1)).toMatchObject({
      method: 'GET',
      path: expect.stringMatching(/registries\/acmeprod$/),
    });
  });

  it('an operation held InProgress outlives a bounded wait; after release the saved state still completes', async () => {
    emu.operations.hold();
    const submitted = await gatewayFor(emu).submitNetworkRules(SAMPLE.acmeprod, {
      defaultAction: 'Deny',
      ipRules: ['1.2.3.4'],
    });
    const op = await emu.operations.nextStarted({ includeRunning: true });
    expect(op).toMatchObject({ status: 'InProgress', held: true });
    const timedOut = await gatewayFor(emu, { updateTimeoutMs: 300 })
      .waitForUpdate(submitted)
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(AzureError);
    expect(timedOut).toMatchObject({ kind: 'unavailable', details: { code: 'OperationTimeout' } });
    emu.operations.release();
    expect(await gatewayFor(emu).waitForUpdate(submitted)).toMatchObject({
      provisioningState: 'Succeeded',
      ipRules: ['1.2.3.4'],
    });
  });

  it("honours the status URL's Retry-After over the default poll interval", async () => {
    Object.assign(emu.operations.settings, { pollsBeforeDone: 1, retryAfterSeconds: 1 });
    const gw = gatewayFor(emu, { pollIntervalMs: 60_000, updateTimeoutMs: 15_000 });
    const submitted = await gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: ['1.2.3.4'] });
    // With a 60 s interval and a 15 s bound this only completes if the 1 s Retry-After is used.
    expect((await gw.waitForUpdate(submitted)).provisioningState).toBe('Succeeded');
  });

  it('a synchronous 200 completes without polling', async () => {
    emu.operations.settings.mode = 'sync';
    const gw = gatewayFor(emu);
    const submitted = await gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Allow', ipRules: [] });
    expect(emu.requests({ method: 'PATCH' })[0]!.status).toBe(200);
    expect(await gatewayFor(emu).waitForUpdate(submitted)).toMatchObject({ defaultAction: 'Allow', ipRules: [] });
    expect(emu.countRequests({ path: 'operationStatuses' })).toBe(0);
  });

  it('refuses a saved state that is not one', async () => {
    await expect(
      gatewayFor(emu).waitForUpdate({ registryId: SAMPLE.acmeprod, operationState: 'nonsense', correlationId: null }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
  });
});

describe('an out-of-band edit between read and write', () => {
  it('is lost by a PATCH built from the stale read, and kept when the rule set is re-read first', async () => {
    const gw = gatewayFor(emu);
    // "After the 1st GET of acmeprod, someone adds 9.9.9.9 in the portal."
    emu.edits.add({ registry: 'acmeprod', afterGets: 1, addIpRules: ['9.9.9.9'] });
    const stale = await gw.readRegistry(SAMPLE.acmeprod);
    expect(stale.ipRules).not.toContain('9.9.9.9');
    const fresh = await gw.readRegistry(SAMPLE.acmeprod);
    expect(fresh.ipRules).toContain('9.9.9.9');

    const lost = await gw.waitForUpdate(
      await gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: [...stale.ipRules, '1.2.3.4'] }),
    );
    expect(lost.ipRules).not.toContain('9.9.9.9');

    emu.reset();
    emu.edits.add({ registry: 'acmeprod', afterGets: 1, addIpRules: ['9.9.9.9'] });
    await gw.readRegistry(SAMPLE.acmeprod);
    const reread = await gw.readRegistry(SAMPLE.acmeprod);
    const kept = await gw.waitForUpdate(
      await gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: [...reread.ipRules, '1.2.3.4'] }),
    );
    expect(kept.ipRules).toEqual(expect.arrayContaining(['9.9.9.9', '1.2.3.4']));
  });
});
