import { describe, expect, it } from 'vitest';
import {
  candidateLoginServers,
  isRegistryId,
  parseRegistryId,
  refKey,
  refLabel,
  normaliseHost,
  parseRegistryRef,
  registryServesHost,
} from '../../src/core/registry-ref.js';

const ID =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-registry-prod/providers/Microsoft.ContainerRegistry/registries/contosoprod';

describe('registry references', () => {
  it('reads a resource id in any case, with or without a trailing slash', () => {
    expect(parseRegistryRef(ID)).toMatchObject({ kind: 'id', name: 'contosoprod', resourceGroup: 'rg-registry-prod' });
    expect(parseRegistryRef(`${ID.toLowerCase()}/`)).toMatchObject({ kind: 'id', name: 'contosoprod' });
    expect(
      parseRegistryId('/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/publicIPAddresses/z'),
    ).toBeNull();
  });

  it("holds untrusted ids to ARM's shapes: GUID subscription, no dot-only group, 5–50 character name", () => {
    const sub = '0b1f6471-1bf0-4dda-aec3-111122223333';
    const id = (rg: string, name = 'contosoprod') =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${name}`;
    expect(parseRegistryId(id('rg.prod(eu)_1'))).toMatchObject({ subscriptionId: sub, resourceGroup: 'rg.prod(eu)_1' });
    for (const bad of [id('..'), id('rg.'), id('rg/x'), id('rg', 'abc'), id('rg', 'con-toso'), `${id('rg')}/x`])
      expect(parseRegistryId(bad)).toBeNull();
    expect(parseRegistryId(id('rg').replace(sub, 'x'))).toBeNull();
    expect(isRegistryId(id('rg'))).toBe(true);
    expect(isRegistryId(42)).toBe(false);
  });

  it('reads a login server given as a URL, and keys references case-insensitively', () => {
    expect(parseRegistryRef('https://ContosoProd.azurecr.io/v2/')).toMatchObject({
      kind: 'host',
      host: 'contosoprod.azurecr.io',
    });
    expect(refKey(parseRegistryRef('ContosoProd')!)).toBe(refKey(parseRegistryRef('contosoprod')!));
    expect(refKey(parseRegistryRef(ID)!)).toBe(
      refKey(parseRegistryRef(ID.toUpperCase().replace('/SUBSCRIPTIONS', '/subscriptions'))!),
    );
    expect(refLabel(parseRegistryRef(ID)!)).toBe('contosoprod');
  });

  it('treats 5–50 letters and digits as a registry name, anything with dots as a host', () => {
    expect(parseRegistryRef('contosoprod')).toEqual({ kind: 'name', name: 'contosoprod' });
    expect(parseRegistryRef('acr')).toBeNull();
    expect(parseRegistryRef('ContosoProd.azurecr.io')).toMatchObject({ kind: 'host', host: 'contosoprod.azurecr.io' });
  });

  it('strips scheme, credentials, port, path and trailing dot from a pasted host', () => {
    expect(normaliseHost('https://contosoprod.azurecr.io/v2/app/manifests/1.0')).toBe('contosoprod.azurecr.io');
    expect(normaliseHost('user@contosoprod.azurecr.io:443')).toBe('contosoprod.azurecr.io');
    expect(normaliseHost('contosoprod.azurecr.io.')).toBe('contosoprod.azurecr.io');
    expect(normaliseHost('not a host')).toBeNull();
  });

  it('maps data, geo and private-link hosts to the login server they belong to', () => {
    expect(candidateLoginServers('contosoprod.westeurope.data.azurecr.io')).toEqual([
      'contosoprod.westeurope.data.azurecr.io',
      'contosoprod.azurecr.io',
    ]);
    expect(candidateLoginServers('contosoprod.westeurope.geo.azurecr.io')).toContain('contosoprod.azurecr.io');
    expect(candidateLoginServers('contosoprod.privatelink.azurecr.io')).toContain('contosoprod.azurecr.io');
    expect(candidateLoginServers('contosoprod.westeurope.data.privatelink.azurecr.io')).toContain(
      'contosoprod.azurecr.io',
    );
    expect(candidateLoginServers('fabrikamapps-e7ggejfuhzhgedc8.eastus.data.azurecr.cn')).toContain(
      'fabrikamapps-e7ggejfuhzhgedc8.azurecr.cn',
    );
    expect(candidateLoginServers('contosoprod.azurecr.io')).toEqual(['contosoprod.azurecr.io']);
  });

  it('matches a host on the login server or a data endpoint, never on the registry name', () => {
    const reg = {
      loginServer: 'fabrikamapps-e7ggejfuhzhgedc8.azurecr.io',
      dataEndpointHostNames: ['fabrikamapps-e7ggejfuhzhgedc8.eastus.data.azurecr.io'],
    };
    const ref = (h: string) => parseRegistryRef(h) as { host: string; loginServers: string[] };
    expect(registryServesHost(reg, ref('fabrikamapps-e7ggejfuhzhgedc8.azurecr.io'))).toBe(true);
    expect(registryServesHost(reg, ref('fabrikamapps-e7ggejfuhzhgedc8.eastus.data.azurecr.io'))).toBe(true);
    expect(registryServesHost(reg, ref('fabrikamapps.azurecr.io'))).toBe(false);
  });
});
