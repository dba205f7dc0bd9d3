import { describe, expect, it } from 'vitest';
import { cloudForHost, cloudForUrl, defaultCloud } from '../../src/adapters/azure/cloud.js';

describe('cloud selection', () => {
  it('picks the ARM endpoint and a single-slash scope from the login-server suffix', () => {
    expect(cloudForHost('contoso.azurecr.io', null).cloud).toMatchObject({
      armEndpoint: 'https://management.azure.com',
      scope: 'https://management.azure.com/.default',
    });
    expect(cloudForHost('contoso.azurecr.cn', null).cloud).toMatchObject({
      name: 'AzureChinaCloud',
      scope: 'https://management.chinacloudapi.cn/.default',
      authorityHost: 'https://login.chinacloudapi.cn',
    });
    expect(cloudForHost('contoso.azurecr.us', null).cloud.armEndpoint).toBe('https://management.usgovcloudapi.net');
    expect(cloudForHost('contoso.azurecr.eaglex.ic.gov', null).cloud.name).toBe('USNat');
    expect(cloudForHost('contoso.azurecr.microsoft.scloud', null).cloud.name).toBe('USSec');
    expect(cloudForHost('contoso.westus.data.azurecr.us', null).cloud.name).toBe('AzureUSGovernment');
  });

  it('lets AZURE_RESOURCE_MANAGER_ENDPOINT override the suffix', () => {
    const c = cloudForHost('contoso.azurecr.cn', 'https://127.0.0.1:8443/');
    expect(c.cloud).toMatchObject({
      name: 'configured',
      armEndpoint: 'https://127.0.0.1:8443',
      scope: 'https://127.0.0.1:8443/.default',
    });
  });

  it('resolves unknown suffixes (custom domains) against the default cloud and says so', () => {
    expect(cloudForHost('registry.contoso.com', null)).toMatchObject({
      knownSuffix: false,
      cloud: { name: 'AzureCloud' },
    });
    expect(cloudForHost('registry.contoso.com', 'https://arm.example')).toMatchObject({
      knownSuffix: false,
      cloud: { name: 'configured' },
    });
    expect(cloudForHost(null, null).knownSuffix).toBe(true);
  });

  it('finds the cloud that serves a saved operation URL', () => {
    expect(cloudForUrl('https://management.chinacloudapi.cn/subscriptions/x/op?api-version=1', null).name).toBe(
      'AzureChinaCloud',
    );
    expect(cloudForUrl('https://127.0.0.1:9/x', 'https://127.0.0.1:9').name).toBe('configured');
    expect(cloudForUrl('not a url', null)).toEqual(defaultCloud(null));
  });
});
