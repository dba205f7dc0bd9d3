/** The CLI's text form of every Reply: complete, and unable to carry terminal control sequences from a paste. */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/diagnose/index.js';
import type { RegistrySnapshot } from '../../src/core/registry.js';
import { renderText, unlistedClients } from '../../src/cli/render-text.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const registry: RegistrySnapshot = {
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acrdenied`,
  name: 'acrdenied',
  subscriptionId: SUB,
  resourceGroup: 'rg',
  location: 'westeurope',
  loginServer: 'acrdenied.azurecr.io',
  sku: 'Premium',
  provisioningState: 'Succeeded',
  publicNetworkAccess: 'Enabled',
  defaultAction: 'Deny',
  ipRules: ['198.51.100.0/24'],
  trustedServicesBypass: true,
  tasksBypass: false,
  dataEndpointEnabled: false,
  dataEndpointHostNames: [],
  privateEndpoints: [{ name: 'pe1', status: 'Approved', privateEndpointId: null }],
};

describe('renderText', () => {
  it('a diagnosis shows cause, summary, evidence and numbered fixes with commands', () => {
    const d = diagnose(
      {
        kind: 'firewall_denied',
        loginServer: 'acrdenied.azurecr.io',
        registryName: 'acrdenied',
        ip: '52.170.1.20',
        repository: 'web',
        reference: 'v1',
        tool: 'docker',
        excerpt: "denied: client with IP '52.170.1.20' \u001b[31mis not allowed\u001b[0m access",
      },
      { registry: { status: 'found', registry }, ipOwner: null },
    );
    const text = renderText({ type: 'diagnoses', diagnoses: [d] });
    expect(text).toMatch(/^ip_not_allowed: /);
    expect(text).toContain('Default action          Deny');
    expect(text).toContain('IP rules used           1/200');
    expect(text).toContain('1. Allow 52.170.1.20/32 in the registry firewall  [can be requested through the bot]');
    expect(text).toContain('$ az acr network-rule add --name acrdenied');
    expect(text).not.toContain('\u001b');
  });

  it('every other variant has a text form', () => {
    expect(renderText({ type: 'firewall', registry })).toContain('Default action Deny: only the 1 listed address');
    expect(renderText({ type: 'help' })).toContain('<registry> <ip>');
    expect(
      renderText({ type: 'notice', tone: 'warning', title: 'Azure is slow', text: 'later', retryable: true }),
    ).toBe('warning: Azure is slow\n  later\n  (temporary: try again)');
    expect(renderText({ type: 'diagnoses', diagnoses: [] })).toMatch(/No Azure Container Registry error/);
  });

  it('unlistedClients says what happens to an address not in the rules', () => {
    expect(unlistedClients(registry)).toBe('denied');
    expect(unlistedClients({ ...registry, defaultAction: 'Allow' })).toBe('allowed');
    expect(unlistedClients({ ...registry, sku: 'Standard' })).toBe('allowed');
    expect(unlistedClients({ ...registry, defaultAction: 'Allow', publicNetworkAccess: 'Disabled' })).toBe('denied');
  });
});
