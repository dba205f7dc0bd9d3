/** The Azure adapter's one entry point: `createAzureGateway({ azure, logger?, clock?, ttl? })`. */
import type { RegistryGateway } from '../../app/ports.js';
import { AzureGateway, type AzureGatewayOptions } from './gateway.js';

export type { AzureGatewayOptions } from './gateway.js';
export { DEFAULT_TTLS } from './ttls.js';

export function createAzureGateway(options: AzureGatewayOptions): RegistryGateway {
  return new AzureGateway(options);
}
