import { describe, expect, it } from 'vitest';
import { indexServiceTags, ownerFromServiceTags } from '../../src/adapters/azure/service-tags.js';

const index = indexServiceTags([
  { name: 'AzureCloud', properties: { region: '', addressPrefixes: ['20.0.0.0/8'] } },
  {
    name: 'AzureCloud.westeurope',
    properties: { region: 'westeurope', addressPrefixes: ['20.61.0.0/16', '2603:1020::/48'] },
  },
  {
    name: 'AzureContainerRegistry',
    properties: { region: '', systemService: 'AzureContainerRegistry', addressPrefixes: ['20.61.97.0/24'] },
  },
  {
    name: 'AzureContainerRegistry.WestEurope',
    properties: { region: 'westeurope', systemService: 'AzureContainerRegistry', addressPrefixes: ['20.61.97.128/25'] },
  },
]);

describe('service tags', () => {
  it('prefers a named service over AzureCloud, then the narrowest range', () => {
    expect(ownerFromServiceTags(index, '20.61.97.140')).toEqual({
      kind: 'azure_service',
      name: 'AzureContainerRegistry.WestEurope',
      resourceId: null,
      detail: 'Azure service tag AzureContainerRegistry.WestEurope (20.61.97.128/25)',
      service: 'AzureContainerRegistry',
    });
    expect(ownerFromServiceTags(index, '20.61.97.5')?.name).toBe('AzureContainerRegistry');
  });

  it('an address only AzureCloud covers is an Azure address the bot cannot see, not a service; null outside every range', () => {
    expect(ownerFromServiceTags(index, '20.61.1.1')).toMatchObject({
      kind: 'azure_cloud',
      name: 'AzureCloud.westeurope',
      service: 'AzureCloud',
    });
    expect(ownerFromServiceTags(index, '20.62.1.1')?.name).toBe('AzureCloud');
    expect(ownerFromServiceTags(index, '91.198.174.192')).toBeNull();
    expect(ownerFromServiceTags(index, 'nonsense')).toBeNull();
  });
});
