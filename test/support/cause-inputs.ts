/**
 * One diagnosis input per cause (CAUSES in src/core/diagnosis.ts), for tests that render real `diagnose()` output on
 * each platform. Each platform passes its own fixture builders (finding, registry) so its golden samples stay its own.
 */
import type { InspectionResult } from '../../src/core/diagnose/index.js';
import type { Cause, IpOwner } from '../../src/core/diagnosis.js';
import type { Finding } from '../../src/core/finding.js';
import type { RegistrySnapshot } from '../../src/core/registry.js';

export const CAUSE_INPUT_IP = '20.50.60.70';

export function causeInputs(make: {
  finding: (over?: Partial<Finding>) => Finding;
  registry: (over?: Partial<RegistrySnapshot>) => RegistrySnapshot;
}): Record<Cause, [Finding, InspectionResult | null]> {
  const IP = CAUSE_INPUT_IP;
  const { registry } = make;
  const found = (r: RegistrySnapshot, ipOwner: IpOwner | null = null): InspectionResult => ({
    registry: { status: 'found', registry: r },
    ipOwner,
  });
  const f = (over: Partial<Finding> = {}): Finding =>
    make.finding({ ip: IP, excerpt: `denied: client with IP '${IP}' is not allowed access`, ...over });
  return {
    ip_not_allowed: [f(), found(registry())],
    public_access_disabled: [f(), found(registry({ publicNetworkAccess: 'Disabled' }))],
    sku_not_premium: [f(), found(registry({ sku: 'Standard', ipRules: [] }))],
    rule_quota_full: [
      f(),
      found(registry({ ipRules: Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 50)}.${i % 50}`) })),
    ],
    ip_already_allowed: [f(), found(registry({ ipRules: ['20.50.60.0/24'] }))],
    firewall_allows_all: [f(), found(registry({ defaultAction: 'Allow', ipRules: [] }))],
    azure_service_ip: [
      f({ tool: 'acr-tasks' }),
      found(registry(), {
        kind: 'azure_service',
        name: 'AzureContainerRegistry.WestEurope',
        resourceId: null,
        detail: 'service tag AzureContainerRegistry.WestEurope',
        service: 'AzureContainerRegistry',
      }),
    ],
    private_ip: [
      f({ ip: '10.240.0.17', excerpt: "denied: client with IP '10.240.0.17' is not allowed access" }),
      found(registry()),
    ],
    ipv6_client: [
      f({ ip: '2001:db8::7', excerpt: "denied: client with IP '2001:db8::7' is not allowed access" }),
      found(registry()),
    ],
    registry_not_found: [
      f({ loginServer: 'contosoqa.azurecr.io', registryName: 'contosoqa' }),
      { registry: { status: 'not_found', searchedSubscriptions: 3 }, ipOwner: null },
    ],
    no_access_to_registry: [
      f(),
      { registry: { status: 'no_access', registryId: registry().id, message: 'AuthorizationFailed' }, ipOwner: null },
    ],
    not_a_firewall_error: [
      f({ kind: 'unauthorized', ip: null, excerpt: 'unauthorized: authentication required' }),
      null,
    ],
  };
}
