import { refOf } from '../support/registry-ref.js';
/**
 * Resolution and reading through the real SDK clients (Resource Graph 4.2, ARM container registry 12, subscriptions
 * 2.1) against the ARM emulator over HTTPS: login servers, DNL and data-endpoint hosts, names, ids; the listing
 * fallback when Resource Graph refuses; subscription restriction; IP owners.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { gatewayFor, target } from '../support/azure.js';

let emu: ArmEmulator;
beforeAll(async () => {
  emu = await startEmulator({ pageSize: 2 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const graphCalls = () => emu.countRequests({ method: 'POST', path: '/providers/Microsoft.ResourceGraph/resources' });

describe('resolving a registry with Resource Graph', () => {
  it.each([
    ['acmeprod.azurecr.io', 'acmeprod'],
    ['ACMEPROD.azurecr.io', 'acmeprod'],
    ['https://acmeprod.azurecr.io/v2/', 'acmeprod'],
    ['acmeprod.privatelink.azurecr.io', 'acmeprod'],
    ['globexapps-e7ggejfuhzhgedc8.azurecr.io', 'globexapps'],
    ['globexapps-e7ggejfuhzhgedc8.westus2.data.azurecr.io', 'globexapps'],
    ['acmeprivate.westeurope.data.azurecr.io', 'acmeprivate'],
    ['acmeprod', 'acmeprod'],
    [SAMPLE.globexapps.toLowerCase(), 'globexapps'],
  ])('finds %s', async (input, name) => {
    const found = await gatewayFor(emu).findRegistry(refOf(input));
    expect(found.status).toBe('found');
    expect(found.status === 'found' && found.registry.name).toBe(name);
  });

  it('does not match a DNL registry by its bare name as a host', async () => {
    const r = await gatewayFor(emu).findRegistry(refOf('globexapps.azurecr.io'));
    expect(r).toEqual({ status: 'not_found', searchedSubscriptions: 2 });
  });

  it('maps every network field of the registry, private endpoints included', async () => {
    const r = await gatewayFor(emu).findRegistry(refOf('acmehybrid.azurecr.io'));
    expect(r.status === 'found' && r.registry).toMatchObject({
      sku: 'Premium',
      defaultAction: 'Deny',
      ipRules: ['203.0.113.10'],
      trustedServicesBypass: false,
      tasksBypass: true,
      dataEndpointEnabled: true,
      privateEndpoints: [
        { name: 'acmehybrid.1f2e-pe-hub', status: 'Approved' },
        { name: 'acmehybrid.77aa-pe-partner', status: 'Pending' },
      ],
    });
    const locked = await gatewayFor(emu).findRegistry(refOf('acmeprivate.azurecr.io'));
    expect(locked.status === 'found' && locked.registry.publicNetworkAccess).toBe('Disabled');
  });

  it('searches only the configured subscriptions (Resource Graph `subscriptions` option)', async () => {
    const gw = gatewayFor(emu, { subscriptionIds: [SAMPLE.subB] });
    expect(await gw.findRegistry(refOf('acmeprod.azurecr.io'))).toEqual({
      status: 'not_found',
      searchedSubscriptions: 1,
    });
    expect((await gw.findRegistry(refOf('acmebasic.azurecr.io'))).status).toBe('found');
    const body = emu.requests({ path: 'ResourceGraph' })[0]?.body as { subscriptions?: string[] };
    expect(body.subscriptions).toEqual([SAMPLE.subB]);
  });

  it('a resource id is read with a GET, not searched', async () => {
    const r = await gatewayFor(emu).findRegistry(refOf(SAMPLE.acmeprod));
    expect(r.status).toBe('found');
    expect(graphCalls()).toBe(0);
    expect(emu.countRequests({ method: 'GET', path: '/registries/acmeprod' })).toBe(1);
    const missing = await gatewayFor(emu).findRegistry(refOf(SAMPLE.acmeprod.replace('acmeprod', 'nosuchregistry')));
    expect(missing).toEqual({ status: 'not_found', searchedSubscriptions: 1 });
  });
});

describe('falling back to listing when Resource Graph refuses', () => {
  it('lists subscriptions and registries (following nextLink) and finds the registry', async () => {
    emu.faults.add({ path: '/providers/Microsoft.ResourceGraph/resources', status: 403, times: null });
    const gw = gatewayFor(emu);
    const r = await gw.findRegistry(refOf('globexapps-e7ggejfuhzhgedc8.eastus.data.azurecr.io'));
    expect(r.status === 'found' && r.registry.name).toBe('globexapps');
    expect(emu.countRequests({ method: 'GET', path: /^\/subscriptions$/ })).toBe(1);
    // Sub A has 5 registries, sub B 3: with 2 per page that is 3 + 2 list pages.
    expect(emu.countRequests({ method: 'GET', path: /providers\/Microsoft.ContainerRegistry\/registries$/ })).toBe(5);
    // Resource Graph is not asked again for a while after a 403.
    await gw.findRegistry(refOf('acmeprod.azurecr.io'));
    expect(graphCalls()).toBe(1);
  });

  it('uses the configured subscriptions without listing them, and reports how many were searched', async () => {
    emu.faults.add({ path: 'ResourceGraph', status: 503, times: null });
    const gw = gatewayFor(emu, { subscriptionIds: [SAMPLE.subA] });
    expect(await gw.findRegistry(refOf('acmebasic.azurecr.io'))).toEqual({
      status: 'not_found',
      searchedSubscriptions: 1,
    });
    expect(emu.countRequests({ path: /^\/subscriptions$/ })).toBe(0);
  });

  it('says forbidden when the identity may list nothing at all', async () => {
    emu.faults.add({ path: 'ResourceGraph', status: 403, times: null });
    emu.faults.add({
      method: 'GET',
      path: '/providers/Microsoft.ContainerRegistry/registries',
      status: 403,
      times: null,
    });
    await expect(gatewayFor(emu).findRegistry(refOf('acmeprod.azurecr.io'))).rejects.toMatchObject({
      name: 'AzureError',
      kind: 'forbidden',
    });
  });
});

describe('IP owners', () => {
  it.each([
    [SAMPLE.aksOutboundIp, 'public_ip', 'outbound IP of AKS cluster aks-prod'],
    [SAMPLE.natGatewayIp, 'public_ip', 'NAT gateway natgw-prod'],
    [SAMPLE.buildVmIp, 'public_ip', 'network interface buildvm01-nic'],
    [SAMPLE.natPrefixIp, 'public_ip_prefix', 'NAT gateway natgw-dev'],
  ])('describes %s', async (ip, kind, words) => {
    const r = await gatewayFor(emu).inspect(target(null, ip));
    expect(r.registry).toBeNull();
    expect(r.ipOwner?.kind).toBe(kind);
    expect(r.ipOwner?.detail).toContain(words);
  });

  it('names Azure services from service tags when no tenant resource has the IP, fetching the tag list once', async () => {
    const gw = gatewayFor(emu);
    expect((await gw.inspect(target(null, '20.61.97.140'))).ipOwner).toMatchObject({
      kind: 'azure_service',
      name: 'AzureContainerRegistry.WestEurope',
      service: 'AzureContainerRegistry',
    });
    expect((await gw.inspect(target(null, '20.50.2.10'))).ipOwner).toMatchObject({
      kind: 'azure_service',
      service: 'AzureAppService',
    });
    // AzureCloud alone: an Azure address the bot cannot see (another subscription's VM, AKS, NAT, a hosted runner).
    expect((await gw.inspect(target(null, '20.61.200.1'))).ipOwner).toMatchObject({
      kind: 'azure_cloud',
      name: 'AzureCloud.westeurope',
    });
    // A tenant resource wins over the platform range that contains it.
    expect((await gw.inspect(target(null, SAMPLE.aksOutboundIp))).ipOwner?.kind).toBe('public_ip');
    expect(emu.countRequests({ path: /serviceTags$/ })).toBe(1);
  });

  it('answers null for a public IP nobody in the tenant owns, and never queries for private or IPv6 addresses', async () => {
    expect((await gatewayFor(emu).inspect(target(null, '91.198.174.192'))).ipOwner).toBeNull();
    expect(graphCalls()).toBe(1);
    for (const ip of ['10.1.2.3', '100.64.0.1', '203.0.113.99', '2001:db8::1', 'not-an-ip'])
      expect(await gatewayFor(emu).inspect(target(null, ip))).toEqual({ registry: null, ipOwner: null });
    expect(graphCalls()).toBe(1);
  });
});
