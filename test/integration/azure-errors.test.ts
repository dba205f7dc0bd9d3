import { refOf } from '../support/registry-ref.js';
/**
 * Every ARM failure reaches the use cases as a typed AzureError, in bounded time: faults injected in the emulator,
 * the real SDK pipeline (bearer policy, bounded retry, timeout) in between.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AzureError } from '../../src/app/azure-error.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { gatewayFor, target } from '../support/azure.js';

let emu: ArmEmulator;
beforeAll(async () => {
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const REG = '/registries/acmeprod';
const getsOf = () => emu.countRequests({ method: 'GET', path: REG });

async function failure(p: Promise<unknown>): Promise<AzureError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AzureError);
  return err as AzureError;
}

describe('ARM errors → AzureError', () => {
  it('403 AuthorizationFailed → forbidden, with the correlation id', async () => {
    emu.faults.add({ method: 'GET', path: REG, status: 403 });
    const e = await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod));
    expect(e).toMatchObject({ kind: 'forbidden', details: { statusCode: 403, code: 'AuthorizationFailed' } });
    expect(e.message).toContain(
      "does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/read'",
    );
    expect(e.details.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('403 on a resolved registry is a "no access" lookup, not an exception', async () => {
    emu.faults.add({ method: 'GET', path: REG, status: 403 });
    expect(await gatewayFor(emu).findRegistry(refOf(SAMPLE.acmeprod))).toMatchObject({
      status: 'no_access',
      registryId: SAMPLE.acmeprod,
    });
  });

  it('404 → not_found', async () => {
    const e = await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod.replace('acmeprod', 'gonegone')));
    expect(e).toMatchObject({ kind: 'not_found', details: { statusCode: 404, code: 'ResourceNotFound' } });
    const rg = await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod.replace('rg-registry-prod', 'rg-nope')));
    expect(rg.details.code).toBe('ResourceGroupNotFound');
  });

  it('429 with a long Retry-After → throttled at once, carrying the Retry-After', async () => {
    emu.faults.add({ method: 'GET', path: REG, status: 429, retryAfterSeconds: 30 });
    const e = await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod));
    expect(e).toMatchObject({
      kind: 'throttled',
      retryable: true,
      details: { statusCode: 429, retryAfterSeconds: 30 },
    });
    expect(getsOf()).toBe(1);
  });

  it('429 with a short Retry-After is retried once and succeeds', async () => {
    emu.faults.add({ method: 'GET', path: REG, status: 429, retryAfterSeconds: 1 });
    const r = await gatewayFor(emu).readRegistry(SAMPLE.acmeprod);
    expect(r.name).toBe('acmeprod');
    expect(emu.requests({ method: 'GET', path: REG }).map((x) => x.status)).toEqual([429, 200]);
  });

  it('a throttled Resource Graph query surfaces as throttled too (no silent fallback)', async () => {
    emu.faults.add({ path: 'ResourceGraph', status: 429, retryAfterSeconds: 60 });
    const e = await failure(gatewayFor(emu).inspect(target('acmeprod.azurecr.io', SAMPLE.aksOutboundIp)));
    expect(e).toMatchObject({ kind: 'throttled', details: { retryAfterSeconds: 60 } });
  });

  it('a refused service-tag list never fails the inspection', async () => {
    emu.faults.add({ path: '/serviceTags', status: 403, times: null });
    const gw = gatewayFor(emu);
    expect(await gw.inspect(target('acmeprod.azurecr.io', '20.61.97.140'))).toMatchObject({
      registry: { status: 'found' },
      ipOwner: null,
    });
  });

  it('5xx → retried (bounded), then unavailable', async () => {
    emu.faults.add({ method: 'GET', path: REG, status: 500, times: null });
    const e = await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod));
    expect(e).toMatchObject({ kind: 'unavailable', retryable: true, details: { statusCode: 500 } });
    expect(getsOf()).toBe(3);
    emu.faults.clear();
    emu.faults.add({ method: 'GET', path: REG, status: 503 });
    expect((await gatewayFor(emu).readRegistry(SAMPLE.acmeprod)).name).toBe('acmeprod');
  });

  it('a hung ARM → unavailable after the request timeout', async () => {
    emu.faults.add({ method: 'GET', path: REG, delayMs: 3_000 });
    const e = await failure(gatewayFor(emu, { requestTimeoutMs: 200 }).readRegistry(SAMPLE.acmeprod));
    expect(e).toMatchObject({ kind: 'unavailable', details: { code: 'Timeout' } });
  });

  it('a reset connection and a refused connection → unavailable', async () => {
    emu.faults.add({ method: 'GET', path: REG, reset: true, times: null });
    expect(await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod))).toMatchObject({ kind: 'unavailable' });
    const closed = await startEmulator();
    const gw = gatewayFor(closed);
    await closed.close();
    const e = await failure(gw.readRegistry(SAMPLE.acmeprod));
    expect(e).toMatchObject({ kind: 'unavailable', details: { code: 'ECONNREFUSED' } });
  });

  it('401 from ARM → unauthenticated', async () => {
    emu.faults.add({ method: 'GET', path: REG, status: 401 });
    expect(await failure(gatewayFor(emu).readRegistry(SAMPLE.acmeprod))).toMatchObject({
      kind: 'unauthenticated',
      details: { statusCode: 401 },
    });
  });

  it("400 on PATCH → bad_request with ARM's message (quota, SKU, invalid rule)", async () => {
    const gw = gatewayFor(emu);
    const quota = await failure(
      gw.submitNetworkRules(SAMPLE.acmeprod, {
        defaultAction: 'Deny',
        ipRules: Array.from({ length: 201 }, (_, i) => `20.1.${Math.floor(i / 200)}.${i % 200}`),
      }),
    );
    expect(quota).toMatchObject({ kind: 'bad_request', details: { statusCode: 400, code: 'QuotaExceeded' } });
    expect(quota.message).toContain('exceeds allowed quota 200');
    const basic = SAMPLE.acmeprod
      .replace(SAMPLE.subA, SAMPLE.subB)
      .replace('rg-registry-prod', 'rg-dev')
      .replace('acmeprod', 'acmebasic');
    expect(await failure(gw.submitNetworkRules(basic, { defaultAction: 'Deny', ipRules: [] }))).toMatchObject({
      kind: 'bad_request',
      details: { code: 'NetworkRuleSetNotSupported' },
    });
    expect(
      await failure(gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: ['2001:db8::/64'] })),
    ).toMatchObject({ kind: 'bad_request', details: { code: 'InvalidIpRule' } });
  });

  it('409 when another operation is in progress → conflict', async () => {
    emu.operations.hold();
    const gw = gatewayFor(emu);
    await gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: ['1.2.3.4'] });
    const e = await failure(
      gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: ['1.2.3.4', '5.6.7.8'] }),
    );
    expect(e).toMatchObject({
      kind: 'conflict',
      retryable: true,
      details: { statusCode: 409, code: 'AnotherOperationInProgress' },
    });
    expect(e.details.correlationId).toBeTruthy();
  });

  it('an operation that ends Failed → operation_failed with the code', async () => {
    emu.operations.failNext({ code: 'InternalError', message: 'The registry update failed.' });
    const gw = gatewayFor(emu);
    const sub = await gw.submitNetworkRules(SAMPLE.acmeprod, { defaultAction: 'Deny', ipRules: ['1.2.3.4'] });
    const e = await failure(gw.waitForUpdate(sub));
    expect(e).toMatchObject({ kind: 'operation_failed', details: { code: 'InternalError' } });
    expect(e.message).toContain('The registry update failed.');
    // The emulator rolled the rule set back, as the RP would.
    expect((await gw.readRegistry(SAMPLE.acmeprod)).ipRules).not.toEqual(['1.2.3.4']);
  });
});
