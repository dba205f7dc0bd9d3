import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ownerFromRows } from '../../src/adapters/azure/ip-owner.js';
import { SAMPLE_STATE } from '../support/emulator.js';

const state = JSON.parse(fs.readFileSync(SAMPLE_STATE, 'utf8')) as {
  publicIPAddresses: Record<string, unknown>[];
  publicIPPrefixes: Record<string, unknown>[];
};
const pip = (name: string) =>
  state.publicIPAddresses.find((p) => p.name === name || (p.properties as { ipAddress: string }).ipAddress === name)!;
// Resource Graph lower-cases `type`.
const row = (r: Record<string, unknown>) => ({ ...r, type: String(r.type).toLowerCase() });

describe('IP owner descriptions', () => {
  it('names the AKS cluster behind the kubernetes load balancer in an MC_ group', () => {
    expect(ownerFromRows([row(pip('20.61.14.37'))])).toMatchObject({
      kind: 'public_ip',
      detail: 'outbound IP of AKS cluster aks-prod (load balancer kubernetes in MC_rg-aks-prod_aks-prod_westeurope)',
    });
    // Without AKS's tags the cluster name comes from MC_<rg>_<cluster>_<location>.
    const untagged = { ...row(pip('20.61.14.37')), tags: {} };
    expect(ownerFromRows([untagged])?.detail).toContain('AKS cluster aks-prod');
  });

  it('describes NAT gateways, VM network interfaces and unattached IPs', () => {
    expect(ownerFromRows([row(pip('4.210.5.9'))])?.detail).toBe(
      'NAT gateway natgw-prod (resource group rg-network-prod)',
    );
    expect(ownerFromRows([row(pip('51.105.77.12'))])?.detail).toContain('network interface buildvm01-nic');
    const lone = { ...row(pip('51.105.77.12')), properties: { ipAddress: '51.105.77.12' } };
    expect(ownerFromRows([lone])?.detail).toBe('public IP pip-buildvm01, not attached to anything');
  });

  it('describes a prefix and prefers a public IP over its prefix', () => {
    const prefix = row(state.publicIPPrefixes[0]!);
    expect(ownerFromRows([prefix])).toMatchObject({
      kind: 'public_ip_prefix',
      name: 'ippre-natgw-dev',
      detail:
        'public IP prefix ippre-natgw-dev (52.232.64.16/28), used by NAT gateway natgw-dev (resource group rg-network-dev)',
    });
    expect(ownerFromRows([prefix, row(pip('4.210.5.9'))])?.kind).toBe('public_ip');
    expect(ownerFromRows([])).toBeNull();
  });
});
