/**
 * Starts the ARM emulator in-process for a test (port 0, certificate made now) and gives back its handle:
 * `{ url, caPath, requests(), faults, edits, operations, state, close() }`. Use `azureConfigFor(emu)` to point an
 * Azure gateway at it exactly as the bot would be (AZURE_RESOURCE_MANAGER_ENDPOINT + AZURE_EMULATOR_CA).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AzureConfig } from '../../src/config.js';
import { startArmEmulator, type ArmEmulator, type EmulatorOptions } from '../../tools/arm-emulator/server.js';
import type { StateFile } from '../../tools/arm-emulator/state.js';

export type { ArmEmulator } from '../../tools/arm-emulator/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SAMPLE_STATE = path.resolve(here, '../fixtures/states/sample.json');

/** Subscriptions and well-known resources of test/fixtures/states/sample.json. */
export const SAMPLE = {
  subA: '0b1f6471-1bf0-4dda-aec3-111122223333',
  subB: '5c7e2a10-8d1e-4a3b-9f00-444455556666',
  acmeprod:
    '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-registry-prod/providers/Microsoft.ContainerRegistry/registries/acmeprod',
  globexapps:
    '/subscriptions/5c7e2a10-8d1e-4a3b-9f00-444455556666/resourceGroups/rg-globex/providers/Microsoft.ContainerRegistry/registries/globexapps',
  aksOutboundIp: '20.61.14.37',
  buildVmIp: '51.105.77.12',
  natGatewayIp: '4.210.5.9',
  natPrefixIp: '52.232.64.20',
} as const;

export async function startEmulator(
  options: Partial<EmulatorOptions> & { state?: StateFile | string } = {},
): Promise<ArmEmulator> {
  return startArmEmulator({ port: 0, ...options, state: options.state ?? SAMPLE_STATE });
}

export function azureConfigFor(
  emulator: Pick<ArmEmulator, 'url' | 'caPath'>,
  subscriptionIds: string[] | null = null,
): AzureConfig {
  return { subscriptionIds, resourceManagerEndpoint: emulator.url, emulatorCaPath: emulator.caPath };
}
