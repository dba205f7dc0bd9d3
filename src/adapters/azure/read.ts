/**
 * Reading one registry: a plain GET (always fresh) at a preview api-version, mapped from ARM's wire JSON to a
 * snapshot. The SDK's model (api-version 2025-11-01) has no `endpointProtocol`: dual-stack IPv6 is a preview, and
 * only the preview's wire JSON carries it (docs/azure.md, "Dual-stack registries"). The body already lists private
 * endpoint connections with their state; only when an entry comes without it (older data) are they read from
 * `privateEndpointConnections` — one more call, and only for registries that have private endpoints.
 */
import { createRestError } from '@azure-rest/core-client';
import type { RegistryId } from '../../core/registry-ref.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';
import { privateEndpointFromModel, snapshotFromArm } from './snapshot.js';

/** The registries api-version whose GET carries `properties.endpointProtocol`. */
export const DUAL_STACK_API_VERSION = '2025-06-01-preview';

export async function getRegistry(clients: AzureClients, cloud: Cloud, id: RegistryId): Promise<RegistrySnapshot> {
  try {
    const res = await clients
      .rest(cloud)
      .path(
        '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}',
        id.subscriptionId,
        id.resourceGroup,
        id.name,
      )
      .get({ queryParameters: { 'api-version': DUAL_STACK_API_VERSION } });
    // The same RestError the generated SDK operations throw for a non-2xx answer.
    if (!/^2\d\d$/.test(res.status)) throw createRestError(res);
    const snapshot = snapshotFromArm(res.body);
    if (snapshot.privateEndpoints.some((p) => p.status === 'Unknown')) {
      const pecs = [];
      const client = clients.registries(cloud, id.subscriptionId);
      for await (const p of client.privateEndpointConnections.list(id.resourceGroup, id.name))
        pecs.push(privateEndpointFromModel(p));
      snapshot.privateEndpoints = pecs;
    }
    return snapshot;
  } catch (err) {
    throw toAzureError(err, `reading registry ${id.name}`);
  }
}
