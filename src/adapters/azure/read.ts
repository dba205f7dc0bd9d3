/**
 * Reading one registry: a GET (always fresh) mapped to a snapshot. The GET body already lists private endpoint
 * connections with their state; only when an entry comes without its connection state (older data) are they read
 * from `privateEndpointConnections` — one more call, and only for registries that have private endpoints.
 */
import type { RegistrySnapshot } from '../../core/registry.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';
import type { RegistryId } from '../../core/registry-ref.js';
import { privateEndpointFromModel, snapshotFromModel } from './snapshot.js';

export async function getRegistry(clients: AzureClients, cloud: Cloud, id: RegistryId): Promise<RegistrySnapshot> {
  const client = clients.registries(cloud, id.subscriptionId);
  try {
    const snapshot = snapshotFromModel(await client.registries.get(id.resourceGroup, id.name));
    if (snapshot.privateEndpoints.some((p) => p.status === 'Unknown')) {
      const pecs = [];
      for await (const p of client.privateEndpointConnections.list(id.resourceGroup, id.name))
        pecs.push(privateEndpointFromModel(p));
      snapshot.privateEndpoints = pecs;
    }
    return snapshot;
  } catch (err) {
    throw toAzureError(err, `reading registry ${id.name}`);
  }
}
