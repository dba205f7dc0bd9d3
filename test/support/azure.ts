/** A gateway pointed at an in-process ARM emulator, with test-sized timings and a clock the test can move. */
import { createAzureGateway, type AzureGatewayOptions } from '../../src/adapters/azure/index.js';
import type { RegistryGateway } from '../../src/app/ports.js';
import { azureConfigFor, type ArmEmulator } from './emulator.js';

export interface TestClock {
  t: number;
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2026-01-05T09:00:00Z')): TestClock {
  const c: TestClock = {
    t: start,
    now: () => new Date(c.t),
    advance: (ms) => {
      c.t += ms;
    },
  };
  return c;
}

export function gatewayFor(
  emu: ArmEmulator,
  options: Partial<AzureGatewayOptions> & { subscriptionIds?: string[] | null } = {},
): RegistryGateway {
  const { subscriptionIds = null, ...rest } = options;
  return createAzureGateway({
    azure: azureConfigFor(emu, subscriptionIds),
    pollIntervalMs: 10,
    updateTimeoutMs: 10_000,
    requestTimeoutMs: 5_000,
    ...rest,
    retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_500, ...rest.retry },
  });
}

export const target = (loginServer: string | null, ip: string | null = null, registryName: string | null = null) => ({
  loginServer,
  registryName,
  ip,
});
