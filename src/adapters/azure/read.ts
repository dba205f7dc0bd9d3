/**
 * Reading one registry, always fresh: a plain GET at REGISTRY_READ_API_VERSION, mapped from ARM's wire JSON to a
 * snapshot. The SDK's model (`@azure/arm-containerregistry` 12, api-version 2025-11-01) has no `endpointProtocol`;
 * the newer version's body carries it, so a dual-stack registry is recognised (docs/azure.md, "Dual-stack
 * registries"). A cloud whose ARM does not serve that version yet (sovereign clouds get new versions later) is read
 * through the SDK instead, remembered per cloud so it costs one refused call, once.
 * The body already lists private endpoint connections with their state; only when an entry comes without it (older
 * data) are they read from `privateEndpointConnections`: one more call, only for registries that have them.
 */
import { createRestError } from '@azure-rest/core-client';
import { AzureError } from '../../app/azure-error.js';
import type { RegistryId } from '../../core/registry-ref.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';
import { privateEndpointFromModel, snapshotFromArm, snapshotFromModel } from './snapshot.js';

/**
 * The first GA registries api-version whose body carries `properties.endpointProtocol` (the Java management SDK
 * 2.57.0 moved to it and added EndpointProtocol; docs/azure.md has the sources).
 */
export const REGISTRY_READ_API_VERSION = '2026-11-01';

/** ARM's answers for an api-version it does not serve for the type in this cloud. */
const VERSION_REFUSED = new Set(['NoRegisteredProviderFound', 'InvalidApiVersionParameter', 'InvalidResourceType']);

export class RegistryReader {
  /** Clouds (ARM endpoints) that refused REGISTRY_READ_API_VERSION: read them through the SDK. */
  private readonly sdkOnly = new Set<string>();

  constructor(private readonly clients: AzureClients) {}

  async get(cloud: Cloud, id: RegistryId): Promise<RegistrySnapshot> {
    try {
      const snapshot = this.sdkOnly.has(cloud.armEndpoint)
        ? await this.viaSdk(cloud, id)
        : await this.viaRest(cloud, id);
      if (snapshot.privateEndpoints.some((p) => p.status === 'Unknown')) {
        const pecs = [];
        const client = this.clients.registries(cloud, id.subscriptionId);
        for await (const p of client.privateEndpointConnections.list(id.resourceGroup, id.name))
          pecs.push(privateEndpointFromModel(p));
        snapshot.privateEndpoints = pecs;
      }
      return snapshot;
    } catch (err) {
      throw toAzureError(err, `reading registry ${id.name}`);
    }
  }

  private async viaRest(cloud: Cloud, id: RegistryId): Promise<RegistrySnapshot> {
    const res = await this.clients
      .rest(cloud)
      .path(
        '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/{registryName}',
        id.subscriptionId,
        id.resourceGroup,
        id.name,
      )
      .get({ queryParameters: { 'api-version': REGISTRY_READ_API_VERSION } });
    if (/^2\d\d$/.test(res.status)) return snapshotFromArm(res.body);
    // The same RestError the generated SDK operations throw for a non-2xx answer.
    const refused = toAzureError(createRestError(res), `reading registry ${id.name}`);
    if (
      !(refused instanceof AzureError) ||
      refused.kind !== 'bad_request' ||
      !VERSION_REFUSED.has(refused.details.code ?? '')
    )
      throw refused;
    this.sdkOnly.add(cloud.armEndpoint);
    return this.viaSdk(cloud, id);
  }

  private async viaSdk(cloud: Cloud, id: RegistryId): Promise<RegistrySnapshot> {
    return snapshotFromModel(
      await this.clients.registries(cloud, id.subscriptionId).registries.get(id.resourceGroup, id.name),
    );
  }
}
