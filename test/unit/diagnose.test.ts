/**
 * The pure diagnosis: one cause per finding, in the documented precedence, with its evidence and fixes. Findings
 * and registries are built here (the parser and the gateway have their own tests); the IP math is the real core/ip.
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type InspectionResult } from '../../src/core/diagnose/index.js';
import type { Diagnosis, IpOwner } from '../../src/core/diagnosis.js';
import type { Finding, FindingKind } from '../../src/core/finding.js';
import type { RegistrySnapshot } from '../../src/core/registry.js';

const SUB = '00000000-0000-0000-0000-000000000000';

function registry(over: Partial<RegistrySnapshot> = {}): RegistrySnapshot {
  const name = over.name ?? 'contosoacr';
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/${name}`,
    name,
    subscriptionId: SUB,
    resourceGroup: 'rg-acr',
    location: 'westeurope',
    loginServer: `${name.toLowerCase()}.azurecr.io`,
    sku: 'Premium',
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
    defaultAction: 'Deny',
    ipRules: ['198.51.100.0/24', '192.0.2.10'],
    trustedServicesBypass: true,
    tasksBypass: false,
    dataEndpointEnabled: false,
    dataEndpointHostNames: [],
    privateEndpoints: [],
    ...over,
  };
}

function finding(over: Partial<Finding> = {}): Finding {
  return {
    kind: 'firewall_denied',
    loginServer: 'contosoacr.azurecr.io',
    registryName: 'contosoacr',
    ip: '203.0.113.7',
    repository: 'web',
    reference: 'v1',
    tool: 'docker',
    excerpt: "denied: client with IP '203.0.113.7' is not allowed access",
    ...over,
  };
}

function found(r: RegistrySnapshot, ipOwner: IpOwner | null = null): InspectionResult {
  return { registry: { status: 'found', registry: r }, ipOwner };
}

function run(f: Partial<Finding>, r: Partial<RegistrySnapshot> | InspectionResult | null = {}): Diagnosis {
  const inspection =
    r === null ? null : 'ipOwner' in r ? (r as InspectionResult) : found(registry(r as Partial<RegistrySnapshot>));
  return diagnose(finding(f), inspection);
}

const requestable = (d: Diagnosis) => d.fixes.filter((x) => x.requestable);

describe('ip_not_allowed', () => {
  it('offers exactly one requestable /32 rule, first, with the az command', () => {
    const d = run({ ip: '52.170.1.20' });
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.fixes[0]).toMatchObject({ kind: 'add_ip_rule', rule: '52.170.1.20/32', requestable: true });
    expect(requestable(d)).toHaveLength(1);
    expect(d.fixes[0]!.command).toBe(
      `az acr network-rule add --name contosoacr --resource-group rg-acr --subscription ${SUB} --ip-address 52.170.1.20/32`,
    );
    expect(d.summary).toContain('52.170.1.20');
    expect(d.summary).toContain('contosoacr');
    expect(d.evidence).toMatchObject({
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 2,
      ipRuleLimit: 200,
      matchingRule: null,
      ipClass: 'public',
      trustedServicesBypass: true,
      privateEndpoints: [],
    });
  });

  it('allows a documentation-range address (the demo uses one) but flags it', () => {
    const d = run({ ip: '203.0.113.7' });
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.evidence.ipClass).toBe('documentation');
    expect(requestable(d)[0]?.rule).toBe('203.0.113.7/32');
    expect(d.evidence.notes?.join(' ')).toMatch(/documentation-range/);
  });

  it('names near rules in the same /24 that do not match', () => {
    const d = run({ ip: '52.170.1.21' }, { ipRules: ['52.170.1.20', '52.170.1.128/25', '10.0.0.0/8'] });
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.evidence.nearRules).toEqual(['52.170.1.20', '52.170.1.128/25']);
    expect(d.summary).toContain('52.170.1.20');
  });

  it('names the owner of the address (an AKS egress IP) and offers a fixed-egress alternative', () => {
    const owner: IpOwner = {
      kind: 'public_ip',
      name: 'kubernetes-a1b2',
      resourceId: `/subscriptions/${SUB}/resourceGroups/mc_rg/providers/Microsoft.Network/publicIPAddresses/kubernetes-a1b2`,
      detail: 'outbound IP of AKS cluster aks-prod',
    };
    const d = run({ ip: '52.170.1.20', tool: 'kubelet' }, found(registry(), owner));
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.summary).toContain('outbound IP of AKS cluster aks-prod');
    expect(d.evidence.ipOwner).toEqual(owner);
    expect(d.fixes.map((f) => f.kind)).toEqual(['add_ip_rule', 'use_nat_gateway', 'use_private_endpoint']);
  });

  it('says the address is missing from the paste when it was redacted, and offers no rule', () => {
    const d = run({ ip: null });
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.summary).toMatch(/missing from the paste/);
    expect(requestable(d)).toEqual([]);
    expect(d.fixes[0]!.kind).toBe('check_egress_ip');
    expect(d.evidence.ipClass).toBeUndefined();
    expect(d.evidence.matchingRule).toBeUndefined();
  });

  it('treats a 403 without an address like a denial whose address is unknown, pointing at private DNS when endpoints exist', () => {
    const d = run(
      { kind: 'registry_forbidden', ip: null, tool: 'containerd' },
      { privateEndpoints: [{ name: 'pe-acr', status: 'Approved', privateEndpointId: null }] },
    );
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.summary).toMatch(/403/);
    expect(d.fixes.map((f) => f.kind)).toContain('fix_private_dns');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 client it carries', () => {
    const d = run({ ip: '::ffff:52.170.1.20' });
    expect(d.cause).toBe('ip_not_allowed');
    expect(requestable(d)[0]?.rule).toBe('52.170.1.20/32');
  });
});

describe('public_access_disabled', () => {
  it('overrides everything: an IP rule cannot help, nothing is requestable', () => {
    for (const ip of ['52.170.1.20', '10.1.2.3', '2001:db8::1', null]) {
      const d = run(
        { ip },
        { publicNetworkAccess: 'Disabled', ipRules: Array.from({ length: 200 }, (_, i) => `20.0.${i}.1`) },
      );
      expect(d.cause).toBe('public_access_disabled');
      expect(requestable(d)).toEqual([]);
    }
  });

  it('puts private DNS first when the registry already has approved private endpoints, and public access last', () => {
    const d = run(
      {},
      {
        publicNetworkAccess: 'Disabled',
        privateEndpoints: [{ name: 'pe1', status: 'Approved', privateEndpointId: null }],
      },
    );
    expect(d.fixes[0]!.kind).toBe('fix_private_dns');
    expect(d.fixes.at(-1)!.kind).toBe('enable_public_access');
    expect(d.summary).toMatch(/no IP rule can help/);
  });

  it('without private endpoints leads with adding one', () => {
    const d = run({}, { publicNetworkAccess: 'Disabled' });
    expect(d.fixes[0]!.kind).toBe('use_private_endpoint');
    expect(d.fixes[0]!.command).toContain('--group-ids registry');
  });

  it('points ACR Tasks at an agent pool (tasks cannot use a disabled public endpoint)', () => {
    const d = run({ tool: 'acr-tasks' }, { publicNetworkAccess: 'Disabled' });
    expect(d.cause).toBe('public_access_disabled');
    expect(d.fixes.map((f) => f.kind)).toContain('use_agent_pool');
  });
});

describe('SKU below Premium', () => {
  it('is sku_not_premium when the rule set denies: IP rules cannot be added', () => {
    const d = run({ ip: '52.170.1.20' }, { sku: 'Standard', defaultAction: 'Deny', ipRules: [] });
    expect(d.cause).toBe('sku_not_premium');
    expect(d.fixes[0]!.kind).toBe('upgrade_to_premium');
    expect(d.fixes[0]!.command).toContain('--sku Premium');
    expect(requestable(d)).toEqual([]);
  });

  it('is sku_not_premium when it allows too: a Basic/Standard registry has no IP firewall to blame, and no rule to add', () => {
    const d = run({ ip: '52.170.1.20' }, { sku: 'Basic', defaultAction: 'Allow', ipRules: [] });
    expect(d.cause).toBe('sku_not_premium');
    expect(d.summary).toMatch(/Basic SKU, which has no IP firewall/);
    expect(d.summary).toMatch(/did not refuse/);
    // The refusal came from elsewhere: check the host and the path first; Premium only if IP rules are wanted.
    expect(d.fixes.map((f) => f.kind)).toEqual(['check_registry_name', 'client_side_network', 'upgrade_to_premium']);
    expect(requestable(d)).toEqual([]);
  });

  it('still yields to public access Disabled', () => {
    expect(run({}, { sku: 'Standard', publicNetworkAccess: 'Disabled' }).cause).toBe('public_access_disabled');
  });
});

describe('firewall_allows_all', () => {
  it('says the firewall is not the cause and points at the client side, DNS, the name and propagation', () => {
    const d = run({ ip: '52.170.1.20' }, { defaultAction: 'Allow' });
    expect(d.cause).toBe('firewall_allows_all');
    expect(d.summary).toMatch(/did not refuse/);
    expect(d.fixes.map((f) => f.kind)).toEqual([
      'client_side_network',
      'fix_private_dns',
      'check_registry_name',
      'wait_for_propagation',
    ]);
    expect(requestable(d)).toEqual([]);
  });

  it('wins over address facts: an IPv6, private or Azure-service client is let in anyway', () => {
    expect(run({ ip: '2001:db8::1' }, { defaultAction: 'Allow' }).cause).toBe('firewall_allows_all');
    expect(run({ ip: '10.0.0.4' }, { defaultAction: 'Allow' }).cause).toBe('firewall_allows_all');
    expect(run({ tool: 'acr-tasks' }, { defaultAction: 'Allow' }).cause).toBe('firewall_allows_all');
  });
});

describe('ip_already_allowed', () => {
  it('finds the covering rule with or without /32 and explains propagation or another egress', () => {
    for (const rule of ['52.170.1.20', '52.170.1.20/32', '52.170.0.0/16']) {
      const d = run({ ip: '52.170.1.20' }, { ipRules: [rule] });
      expect(d.cause).toBe('ip_already_allowed');
      expect(d.evidence.matchingRule).toBe(rule);
      expect(d.summary).toMatch(/few minutes/);
      expect(d.fixes.map((f) => f.kind).slice(0, 2)).toEqual(['wait_for_propagation', 'check_egress_ip']);
      expect(requestable(d)).toEqual([]);
    }
  });

  it('beats a full quota (the rule is there; adding one would not help)', () => {
    const rules = Array.from({ length: 200 }, (_, i) => `20.1.${i}.0/24`);
    expect(run({ ip: '20.1.7.9' }, { ipRules: rules }).cause).toBe('ip_already_allowed');
  });
});

describe('rule_quota_full', () => {
  const full = Array.from({ length: 200 }, (_, i) => `20.1.${i}.1`);

  it('is decided at 200 rules, offers consolidation and no requestable rule', () => {
    const d = run({ ip: '52.170.1.20' }, { ipRules: full });
    expect(d.cause).toBe('rule_quota_full');
    expect(d.summary).toContain('200 of 200');
    expect(d.fixes[0]!.kind).toBe('consolidate_rules');
    expect(requestable(d)).toEqual([]);
    expect(d.evidence.ipRuleCount).toBe(200);
  });

  it('applies when the address is unknown too (no rule could be added anyway)', () => {
    expect(run({ ip: null }, { ipRules: full }).cause).toBe('rule_quota_full');
  });

  it('at 199 rules one more still fits', () => {
    expect(run({ ip: '52.170.1.20' }, { ipRules: full.slice(1) }).cause).toBe('ip_not_allowed');
  });
});

describe('azure_service_ip', () => {
  it('ACR Tasks (by tool): networkRuleBypassAllowedForTasks first, then an agent pool; no IP rule', () => {
    for (const tool of ['acr-tasks', 'az-acr-build', 'az-acr-run']) {
      const d = run({ ip: '20.42.1.5', tool });
      expect(d.cause).toBe('azure_service_ip');
      expect(d.fixes.map((f) => f.kind)).toEqual(['enable_tasks_bypass', 'use_agent_pool']);
      expect(d.fixes[0]!.command).toContain('networkRuleBypassAllowedForTasks=true');
      expect(d.fixes[0]!.docsUrl).toContain('manage-network-bypass-policy-for-tasks');
      expect(requestable(d)).toEqual([]);
    }
  });

  it('ACR Tasks with the bypass already on explains the system-assigned identity condition', () => {
    const d = run({ tool: 'acr-tasks' }, { tasksBypass: true });
    expect(d.fixes[0]!.detail).toMatch(/system-assigned/);
    expect(d.evidence.tasksBypass).toBe(true);
  });

  it('by the owner of the address (a service tag), even when the tool says nothing', () => {
    const owner: IpOwner = {
      kind: 'azure_service',
      name: 'AppService.WestEurope',
      resourceId: null,
      detail: 'service tag AppService.WestEurope',
      service: 'AppService',
    };
    const d = run({ ip: '20.50.2.3', tool: null }, found(registry(), owner));
    expect(d.cause).toBe('azure_service_ip');
    expect(d.fixes[0]!.kind).toBe('use_private_endpoint');
    expect(d.fixes[0]!.detail).toMatch(/not a trusted service/);
  });

  it('Container Instances: trusted services (with a managed identity) first', () => {
    const d = run({ tool: 'aci' }, { trustedServicesBypass: false });
    expect(d.cause).toBe('azure_service_ip');
    expect(d.fixes[0]).toMatchObject({ kind: 'enable_trusted_services' });
    expect(d.fixes[0]!.command).toContain('--allow-trusted-services true');
  });

  it('Container Apps: private endpoint, then a fixed egress address', () => {
    const d = run({ tool: 'container-apps' });
    expect(d.fixes.map((f) => f.kind)).toEqual(['use_private_endpoint', 'use_nat_gateway']);
  });

  it('is decided from the address alone when the paste names no registry', () => {
    const d = diagnose(finding({ loginServer: null, registryName: null, tool: 'az-acr-build', ip: null }), {
      registry: null,
      ipOwner: null,
    });
    expect(d.cause).toBe('azure_service_ip');
    expect(d.registry).toBeNull();
  });
});

describe('private_ip', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.20.0.9', 'private'],
    ['192.168.1.10', 'private'],
    ['100.64.3.4', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['169.254.1.1', 'link_local'],
  ])('%s is %s: no rule, the private-endpoint path', (ip, cls) => {
    const d = run({ ip });
    expect(d.cause).toBe('private_ip');
    expect(d.evidence.ipClass).toBe(cls);
    expect(requestable(d)).toEqual([]);
    expect(d.fixes[0]!.kind).toBe('use_private_endpoint');
  });

  it('with approved private endpoints, DNS comes first', () => {
    const d = run(
      { ip: '10.1.2.3' },
      { privateEndpoints: [{ name: 'pe', status: 'Approved', privateEndpointId: null }] },
    );
    expect(d.fixes[0]!.kind).toBe('fix_private_dns');
    expect(d.fixes[0]!.detail).toContain('privatelink.azurecr.io');
  });

  it('beats a covering rule (rules never apply on a private path)', () => {
    expect(run({ ip: '10.1.2.3' }, { ipRules: ['10.0.0.0/8'] }).cause).toBe('private_ip');
  });
});

describe('ipv6_client', () => {
  it('IPv6 addresses can never be in an IPv4-only rule set', () => {
    const d = run({ ip: '2001:db8:85a3::8a2e:370:7334' });
    expect(d.cause).toBe('ipv6_client');
    expect(d.evidence.ipClass).toBe('ipv6');
    expect(requestable(d)).toEqual([]);
    expect(d.summary).toMatch(/IPv4-only/);
  });

  it('beats a full quota and is decided without a registry too', () => {
    const full = Array.from({ length: 200 }, (_, i) => `20.1.${i}.1`);
    expect(run({ ip: '2001:db8::7' }, { ipRules: full }).cause).toBe('ipv6_client');
    expect(
      diagnose(finding({ loginServer: null, registryName: null, ip: '2001:db8::7' }), { registry: null, ipOwner: null })
        .cause,
    ).toBe('ipv6_client');
  });
});

describe('registry_not_found / no_access_to_registry', () => {
  it('says how many subscriptions were searched', () => {
    const d = diagnose(finding(), { registry: { status: 'not_found', searchedSubscriptions: 3 }, ipOwner: null });
    expect(d.cause).toBe('registry_not_found');
    expect(d.summary).toContain('3 subscriptions');
    expect(d.evidence.searchedSubscriptions).toBe(3);
    expect(d.registry).toBeNull();
    expect(requestable(d)).toEqual([]);
  });

  it('hints at a custom domain when the host is not an ACR login server', () => {
    const d = diagnose(finding({ loginServer: 'cr.contoso.example', registryName: null }), {
      registry: { status: 'not_found', searchedSubscriptions: 1 },
      ipOwner: null,
    });
    expect(d.summary).toMatch(/custom domain/);
    expect(d.summary).toContain('1 subscription ');
  });

  it('the paste names no registry and the address says nothing special', () => {
    const d = diagnose(finding({ loginServer: null, registryName: null }), { registry: null, ipOwner: null });
    expect(d.cause).toBe('registry_not_found');
    expect(d.summary).toMatch(/does not name the registry/);
  });

  it('a registry the bot may not read asks for Reader on it', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/locked1`;
    const d = diagnose(finding(), {
      registry: { status: 'no_access', registryId: id, message: 'AuthorizationFailed' },
      ipOwner: null,
    });
    expect(d.cause).toBe('no_access_to_registry');
    expect(d.summary).toContain('locked1');
    expect(d.fixes).toHaveLength(1);
    expect(d.fixes[0]).toMatchObject({ kind: 'grant_bot_reader', requestable: false });
    expect(d.fixes[0]!.command).toContain(`--scope ${id}`);
  });

  it('a DNS failure for a registry that does not exist is registry_not_found', () => {
    const d = diagnose(finding({ kind: 'dns_failure', ip: null }), {
      registry: { status: 'not_found', searchedSubscriptions: 2 },
      ipOwner: null,
    });
    expect(d.cause).toBe('registry_not_found');
  });
});

describe('not_a_firewall_error', () => {
  const cases: Array<[FindingKind, string]> = [
    ['unauthorized', 'authenticate'],
    ['access_denied', 'grant_pull_role'],
    ['throttled', 'back_off'],
    ['manifest_unknown', 'fix_image_reference'],
    ['operation_disallowed', 'unlock_image'],
    ['dns_failure', 'check_registry_name'],
    ['network_timeout', 'client_side_network'],
    ['data_endpoint_blocked', 'allow_data_endpoint'],
  ];
  it.each(cases)('%s is explained by its kind, first fix %s', (kind, fix) => {
    const inspection = ['dns_failure', 'network_timeout', 'data_endpoint_blocked'].includes(kind)
      ? found(registry())
      : null;
    const d = diagnose(finding({ kind, ip: null }), inspection);
    expect(d.cause).toBe('not_a_firewall_error');
    expect(d.fixes[0]!.kind).toBe(fix);
    expect(d.fixes.every((f) => f.docsUrl.startsWith('https://learn.microsoft.com/'))).toBe(true);
    expect(requestable(d)).toEqual([]);
  });

  it("the data endpoint fix names the registry's dedicated data endpoints when enabled", () => {
    const r = registry({ dataEndpointEnabled: true, dataEndpointHostNames: ['contosoacr.westeurope.data.azurecr.io'] });
    const d = diagnose(finding({ kind: 'data_endpoint_blocked', ip: null }), found(r));
    expect(d.fixes[0]!.detail).toContain('contosoacr.westeurope.data.azurecr.io');
  });

  it('a DNS failure for a registry with private endpoints leads with private DNS', () => {
    const r = registry({ privateEndpoints: [{ name: 'pe', status: 'Approved', privateEndpointId: null }] });
    const d = diagnose(finding({ kind: 'dns_failure', ip: null }), found(r));
    expect(d.fixes[0]!.kind).toBe('fix_private_dns');
  });

  it('keeps pasted values out of commands unless they are plain names', () => {
    const d = diagnose(
      finding({ kind: 'manifest_unknown', repository: 'web$(rm -rf ~)', registryName: 'contosoacr' }),
      null,
    );
    expect(d.fixes[0]!.command).toContain('--repository <repository>');
    const e = diagnose(finding({ kind: 'unauthorized', registryName: 'a;b', loginServer: null }), null);
    expect(e.fixes[0]!.command).toBe('az acr login --name <registry>');
  });
});

describe('every diagnosis', () => {
  it('summaries are one sentence and never carry the raw paste', () => {
    const hostile = finding({ excerpt: '<script>alert(1)</script> **bold** <!here>', tool: '<b>x</b>' });
    const inspections: Array<InspectionResult | null> = [
      found(registry()),
      found(registry({ defaultAction: 'Allow' })),
      found(registry({ publicNetworkAccess: 'Disabled' })),
      { registry: { status: 'not_found', searchedSubscriptions: 2 }, ipOwner: null },
      null,
    ];
    for (const i of inspections) {
      const d = diagnose(hostile, i);
      expect(d.summary).not.toMatch(/[<>*]/);
      expect(d.summary.trim().split(/(?<=[.!?])\s+(?=[A-Z])/)).toHaveLength(1);
      expect(d.finding).toBe(hostile);
    }
  });

  it('the requestable rule appears only for Premium + Enabled + Deny + free quota + public IPv4 not covered', () => {
    const yes = run({ ip: '52.170.1.20' });
    expect(requestable(yes)).toHaveLength(1);
    const no = [
      run({ ip: '52.170.1.20' }, { sku: 'Standard' }),
      run({ ip: '52.170.1.20' }, { publicNetworkAccess: 'Disabled' }),
      run({ ip: '52.170.1.20' }, { defaultAction: 'Allow' }),
      run({ ip: '52.170.1.20' }, { ipRules: Array.from({ length: 200 }, (_, i) => `20.1.${i}.1`) }),
      run({ ip: '52.170.1.20' }, { ipRules: ['52.170.1.20'] }),
      run({ ip: '10.0.0.1' }),
      run({ ip: '2001:db8::1' }),
      run({ ip: null }),
    ];
    for (const d of no) expect(requestable(d)).toEqual([]);
  });

  it('notes a registry whose provisioning is in progress', () => {
    const d = run({}, { provisioningState: 'Updating' });
    expect(d.evidence.notes?.join(' ')).toMatch(/Updating/);
  });
});
