import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotFromArm } from '../../src/adapters/azure/snapshot.js';

const fixture = (f: string) =>
  JSON.parse(fs.readFileSync(path.resolve('test/fixtures/arm', f), 'utf8')) as {
    responses: Record<string, { body: unknown }>;
  };

describe('snapshot from ARM JSON', () => {
  it('maps the official RegistryGet example', () => {
    expect(snapshotFromArm(fixture('RegistryGet.json').responses['200']!.body)).toEqual({
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry',
      name: 'myRegistry',
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroup: 'myResourceGroup',
      location: 'westus',
      loginServer: 'myregistry.azurecr.io',
      sku: 'Standard',
      provisioningState: 'Succeeded',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Allow',
      ipRules: [],
      trustedServicesBypass: true,
      tasksBypass: false,
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpoints: [],
    });
  });

  it("applies ARM's defaults when properties are absent and reads rule values and private endpoints", () => {
    const s = snapshotFromArm({
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r1',
      name: 'r1',
      sku: { name: 'Premium' },
      properties: {
        loginServer: 'r1.azurecr.io',
        networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '1.2.3.0/24' }] },
        privateEndpointConnections: [
          {
            name: 'pe1',
            properties: { privateEndpoint: { id: '/pe/1' }, privateLinkServiceConnectionState: { status: 'Pending' } },
          },
        ],
      },
    });
    expect(s).toMatchObject({
      defaultAction: 'Deny',
      ipRules: ['1.2.3.0/24'],
      publicNetworkAccess: 'Enabled',
      trustedServicesBypass: true,
      privateEndpoints: [{ name: 'pe1', status: 'Pending', privateEndpointId: '/pe/1' }],
    });
    expect(snapshotFromArm({ id: 'x', name: 'x', properties: { networkRuleBypassOptions: 'None' } })).toMatchObject({
      defaultAction: 'Allow',
      trustedServicesBypass: false,
    });
  });
});
