/**
 * Reading `endpointProtocol`: the gateway's fresh read uses the api-version whose body carries it, the emulator
 * shows it only at the versions that have it (the SDK's own version does not), and a cloud whose ARM refuses that
 * version is read through the SDK from then on, without the dual-stack fact.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REGISTRY_READ_API_VERSION } from '../../src/adapters/azure/read.js';
import { gatewayFor } from '../support/azure.js';
import { startEmulator, type ArmEmulator } from '../support/emulator.js';

const STATE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/states/tenant.json');
const DUAL =
  '/subscriptions/8d3f1c2a-6b4e-4f7a-9c1d-2e5f8a7b6c40/resourceGroups/rg-wingtip-registry/providers/Microsoft.ContainerRegistry/registries/wingtipdual';

let emu: ArmEmulator;
beforeAll(async () => {
  emu = await startEmulator({ state: STATE });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const gets = () => emu.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/registries/wingtipdual'));

describe('dual-stack registries', () => {
  it('a fresh read uses the version that carries endpointProtocol and sees IPv4AndIPv6', async () => {
    const snap = await gatewayFor(emu).readRegistry(DUAL);
    expect(snap.endpointProtocol).toBe('IPv4AndIPv6');
    expect(gets().map((r) => r.apiVersion)).toEqual([REGISTRY_READ_API_VERSION]);
  });

  it('the SDK version does not show it: a cloud that refuses the newer version is read through the SDK, once asked', async () => {
    emu.faults.add({ method: 'GET', path: '/registries/wingtipdual', status: 400, code: 'NoRegisteredProviderFound' });
    const gw = gatewayFor(emu);
    const first = await gw.readRegistry(DUAL);
    const second = await gw.readRegistry(DUAL);
    for (const snap of [first, second]) {
      expect(snap.name).toBe('wingtipdual');
      expect(snap.endpointProtocol).toBeUndefined();
    }
    const versions = gets().map((r) => r.apiVersion);
    expect(versions[0]).toBe(REGISTRY_READ_API_VERSION);
    expect(versions.slice(1)).toHaveLength(2);
    expect(versions.slice(1).every((v) => v !== REGISTRY_READ_API_VERSION)).toBe(true);
  });
});
