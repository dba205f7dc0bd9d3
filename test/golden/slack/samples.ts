/**
 * Renderer inputs: realistic Diagnosis objects built directly (one per cause, one per finding kind for
 * `not_a_firewall_error`), until the diagnosis engine (src/core/diagnose/) lands and its real output replaces them.
 * Registries follow the ARM example `RegistryGet` (api-version 2025-11-01) flattened to RegistrySnapshot.
 */
import type { Cause, Diagnosis, Fix } from '../../../src/core/diagnosis.js';
import type { Finding, FindingKind } from '../../../src/core/finding.js';
import type { RegistrySnapshot } from '../../../src/core/registry.js';
import type { Reply } from '../../../src/core/reply.js';
import { approvalGoldenReplies } from './approval-samples.js';

const SUB = '00000000-0000-0000-0000-000000000000';
export const REGISTRY_ID = `/subscriptions/${SUB}/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myregistry`;

export function registry(overrides: Partial<RegistrySnapshot> = {}): RegistrySnapshot {
  return {
    id: REGISTRY_ID,
    name: 'myregistry',
    subscriptionId: SUB,
    resourceGroup: 'myResourceGroup',
    location: 'westus',
    loginServer: 'myregistry.azurecr.io',
    sku: 'Premium',
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
    defaultAction: 'Deny',
    ipRules: ['40.112.0.0/16', '52.138.231.5', '203.0.113.0/28'],
    trustedServicesBypass: true,
    tasksBypass: false,
    dataEndpointEnabled: false,
    dataEndpointHostNames: [],
    privateEndpoints: [],
    ...overrides,
  };
}

export const DENIED_TEXT =
  'Error response from daemon: Head "https://myregistry.azurecr.io/v2/app/manifests/1.4.2": denied: client with IP \'198.51.100.23\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.';

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    kind: 'firewall_denied',
    loginServer: 'myregistry.azurecr.io',
    registryName: 'myregistry',
    ip: '198.51.100.23',
    repository: 'app',
    reference: '1.4.2',
    tool: 'docker',
    excerpt: DENIED_TEXT,
    ...overrides,
  };
}

const DOCS = 'https://learn.microsoft.com/azure/container-registry';
const TS = 'https://learn.microsoft.com/troubleshoot/azure/azure-container-registry';

export const ADD_RULE: Fix = {
  kind: 'add_ip_rule',
  title: 'Allow this IP address',
  detail: 'Add the smallest rule that admits the client; approvers for this registry are asked first.',
  docsUrl: `${DOCS}/container-registry-access-selected-networks`,
  rule: '198.51.100.23/32',
  command: 'az acr network-rule add --name myregistry --ip-address 198.51.100.23',
  requestable: true,
};

const fix = (kind: Fix['kind'], title: string, detail: string, page: string): Fix => ({
  kind,
  title,
  detail,
  docsUrl: page,
  requestable: false,
});

const PRIVATE_ENDPOINT = fix(
  'use_private_endpoint',
  'Use a private endpoint',
  'Reach the registry over a private endpoint in your virtual network.',
  `${DOCS}/container-registry-private-endpoints`,
);

/** One diagnosis per cause, with the evidence and fixes that cause carries. */
export const BY_CAUSE: Record<Cause, Diagnosis> = {
  ip_not_allowed: {
    finding: finding(),
    registry: registry(),
    cause: 'ip_not_allowed',
    origin: 'paste',
    summary: "198.51.100.23 is not in myregistry's 3 IP rules and the default action is Deny.",
    evidence: {
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 3,
      ipRuleLimit: 200,
      matchingRule: null,
      nearRules: [],
      privateEndpoints: [],
      trustedServicesBypass: true,
      ipClass: 'public',
      ipOwner: null,
    },
    fixes: [ADD_RULE, PRIVATE_ENDPOINT],
  },
  public_access_disabled: {
    finding: finding(),
    registry: registry({
      publicNetworkAccess: 'Disabled',
      privateEndpoints: [{ name: 'pe-myregistry-hub', status: 'Approved', privateEndpointId: null }],
    }),
    cause: 'public_access_disabled',
    origin: 'paste',
    summary:
      'Public network access is Disabled on myregistry, so no IP rule can admit 198.51.100.23; only its private endpoint can.',
    evidence: {
      sku: 'Premium',
      publicNetworkAccess: 'Disabled',
      defaultAction: 'Deny',
      ipRuleCount: 3,
      ipRuleLimit: 200,
      privateEndpoints: [{ name: 'pe-myregistry-hub', status: 'Approved' }],
      ipClass: 'public',
    },
    fixes: [
      PRIVATE_ENDPOINT,
      fix(
        'fix_private_dns',
        'Check private DNS',
        'Make myregistry.azurecr.io resolve to the private endpoint from where the client runs.',
        `${TS}/cant-resolve-container-registry-fqdn-private-ip-address`,
      ),
    ],
  },
  sku_not_premium: {
    finding: finding(),
    registry: registry({ sku: 'Standard', defaultAction: 'Allow', ipRules: [] }),
    cause: 'sku_not_premium',
    origin: 'paste',
    summary: 'myregistry is Standard: IP rules and private endpoints need Premium.',
    evidence: { sku: 'Standard', publicNetworkAccess: 'Enabled', ipClass: 'public' },
    fixes: [
      fix(
        'upgrade_to_premium',
        'Upgrade to Premium',
        'az acr update --name myregistry --sku Premium; then add an IP rule.',
        `${DOCS}/container-registry-skus`,
      ),
    ],
  },
  rule_quota_full: {
    finding: finding(),
    registry: registry({ ipRules: Array.from({ length: 200 }, (_, i) => `20.${Math.floor(i / 250)}.${i % 250}.0/24`) }),
    cause: 'rule_quota_full',
    origin: 'paste',
    summary:
      'myregistry already has 200 of 200 IP rules; a new rule cannot be added until others are merged or removed.',
    evidence: {
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 200,
      ipRuleLimit: 200,
      matchingRule: null,
      ipClass: 'public',
    },
    fixes: [
      fix(
        'consolidate_rules',
        'Merge rules',
        'Replace neighbouring /32 rules with their covering prefix.',
        `${DOCS}/container-registry-access-selected-networks`,
      ),
      PRIVATE_ENDPOINT,
    ],
  },
  ip_already_allowed: {
    finding: finding(),
    registry: registry({ ipRules: ['198.51.100.0/24'] }),
    cause: 'ip_already_allowed',
    origin: 'paste',
    summary:
      '198.51.100.23 is already allowed by 198.51.100.0/24: a rule added in the last minutes may still be propagating, or the client leaves through another IP.',
    evidence: {
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 1,
      ipRuleLimit: 200,
      matchingRule: '198.51.100.0/24',
      ipClass: 'public',
    },
    fixes: [
      fix(
        'wait_for_propagation',
        'Wait a few minutes',
        'New rules take minutes to apply.',
        `${DOCS}/container-registry-access-selected-networks`,
      ),
      fix(
        'check_egress_ip',
        'Check the egress IP',
        'Compare with `curl -s https://api.ipify.org` from the failing machine.',
        `${TS}/client-ip-address-not-allowed-access`,
      ),
    ],
  },
  firewall_allows_all: {
    finding: finding({
      kind: 'registry_forbidden',
      ip: null,
      excerpt: "Access to registry 'myregistry.azurecr.io' was denied. Response code: 403.",
    }),
    registry: registry({ defaultAction: 'Allow', ipRules: [] }),
    cause: 'firewall_allows_all',
    origin: 'paste',
    summary:
      'The firewall of myregistry allows all networks (default action Allow): the 403 comes from somewhere else.',
    evidence: {
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Allow',
      ipRuleCount: 0,
      ipRuleLimit: 200,
    },
    fixes: [
      fix(
        'grant_pull_role',
        'Check the role assignment',
        'The identity needs AcrPull (or Container Registry Repository Reader) on myregistry.',
        `${DOCS}/container-registry-rbac-built-in-roles-directory-reference`,
      ),
    ],
  },
  azure_service_ip: {
    finding: finding({ ip: '20.42.5.10', tool: 'acr-tasks' }),
    registry: registry(),
    cause: 'azure_service_ip',
    origin: 'paste',
    summary:
      '20.42.5.10 is an ACR Tasks agent address (service tag AzureContainerRegistry.WestUS); allowing the trusted service beats an IP rule that changes with every run.',
    evidence: {
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 3,
      ipRuleLimit: 200,
      trustedServicesBypass: true,
      tasksBypass: false,
      ipClass: 'public',
      ipOwner: {
        kind: 'azure_service',
        name: 'AzureContainerRegistry.WestUS',
        resourceId: null,
        detail: 'service tag range',
        service: 'AzureContainerRegistry',
      },
    },
    fixes: [
      fix(
        'enable_tasks_bypass',
        'Allow ACR Tasks',
        'Set networkRuleBypassAllowedForTasks and give the task a system-assigned identity.',
        `${DOCS}/manage-network-bypass-policy-for-tasks`,
      ),
    ],
  },
  private_ip: {
    finding: finding({ ip: '10.240.0.7', tool: 'kubelet' }),
    registry: registry({ privateEndpoints: [{ name: 'pe-aks', status: 'Approved', privateEndpointId: null }] }),
    cause: 'private_ip',
    origin: 'paste',
    summary:
      '10.240.0.7 is a private address: the request reached a private endpoint or the name resolved wrongly; an IP rule cannot help.',
    evidence: {
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      privateEndpoints: [{ name: 'pe-aks', status: 'Approved' }],
      ipClass: 'private',
    },
    fixes: [
      fix(
        'fix_private_dns',
        'Check private DNS',
        'privatelink.azurecr.io must be linked to the cluster VNet.',
        `${TS}/cant-resolve-container-registry-fqdn-private-ip-address`,
      ),
    ],
  },
  ipv6_client: {
    finding: finding({ ip: '2001:db8::17' }),
    registry: registry(),
    cause: 'ipv6_client',
    origin: 'paste',
    summary: 'The client reached myregistry over IPv6 (2001:db8::17); ACR IP rules are IPv4 only.',
    evidence: { sku: 'Premium', defaultAction: 'Deny', ipClass: 'ipv6' },
    fixes: [
      fix(
        'client_side_network',
        'Use IPv4',
        'Force IPv4 on the client or use a private endpoint.',
        `${DOCS}/container-registry-ipv6-dual-stack`,
      ),
    ],
  },
  registry_not_found: {
    finding: finding({ loginServer: 'contoso.azurecr.io', registryName: 'contoso' }),
    registry: null,
    cause: 'registry_not_found',
    origin: 'paste',
    summary: 'No registry with login server contoso.azurecr.io in the 4 subscriptions I can read.',
    evidence: { searchedSubscriptions: 4 },
    fixes: [
      fix(
        'check_registry_name',
        'Check the name',
        'The registry may be in a subscription I cannot see.',
        `${DOCS}/container-registry-get-started-azure-cli`,
      ),
    ],
  },
  no_access_to_registry: {
    finding: finding(),
    registry: null,
    cause: 'no_access_to_registry',
    origin: 'paste',
    summary: 'myregistry exists but my identity cannot read its network settings.',
    evidence: { notes: ['Resource Graph lists it; ARM answered 403 AuthorizationFailed.'] },
    fixes: [
      fix(
        'grant_bot_reader',
        'Give me read access',
        'Assign Reader on the registry to the bot identity.',
        'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers',
      ),
    ],
  },
  not_a_firewall_error: {
    finding: finding({
      kind: 'unauthorized',
      ip: null,
      excerpt:
        'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": unauthorized: authentication required',
    }),
    registry: registry(),
    cause: 'not_a_firewall_error',
    origin: 'paste',
    summary: 'The registry asked for credentials: the client is not logged in (or its token expired).',
    evidence: {},
    fixes: [fix('authenticate', 'Log in', 'az acr login --name myregistry', `${TS}/authentication-required`)],
  },
};

const KIND_EXCERPTS: Record<FindingKind, string> = {
  firewall_denied: DENIED_TEXT,
  registry_forbidden: "Access to registry 'myregistry.azurecr.io' was denied. Response code: 403.",
  unauthorized: 'unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
  access_denied: 'denied: requested access to the resource is denied',
  dns_failure: 'dial tcp: lookup myregistry.azurecr.io on 127.0.0.53:53: no such host',
  network_timeout: 'Get "https://myregistry.azurecr.io/v2/": dial tcp 20.62.128.11:443: i/o timeout',
  data_endpoint_blocked: 'Get "https://myregistry.westus.data.azurecr.io/...": dial tcp: i/o timeout',
  throttled: 'toomanyrequests: too many requests',
  manifest_unknown: 'manifest unknown: manifest tagged by "1.4.3" is not found',
  operation_disallowed: 'denied: The operation is disallowed on this registry, repository or image.',
  identity_pull_failed:
    "Cannot access ACR 'myregistry.azurecr.io' because admin credentials on the ACR are disabled and no managed identity is assigned.",
  tls_error:
    'Get https://myregistry.privatelink.azurecr.io/v2/: x509: certificate is valid for *.azurecr.io, not myregistry.privatelink.azurecr.io',
  upstream_throttled: "toomanyrequests: too many requests to source registry for cache rule 'dotnet-sdk'.",
};

/** One `not_a_firewall_error` diagnosis per finding kind. */
export const BY_KIND: Record<FindingKind, Diagnosis> = Object.fromEntries(
  (Object.keys(KIND_EXCERPTS) as FindingKind[]).map((kind) => [
    kind,
    {
      finding: finding({ kind, ip: kind === 'firewall_denied' ? '198.51.100.23' : null, excerpt: KIND_EXCERPTS[kind] }),
      registry: registry(),
      cause: 'not_a_firewall_error' as const,
      origin: 'paste',
      summary: `The error is ${kind.replace(/_/g, ' ')}; the registry firewall is not involved.`,
      evidence: { sku: 'Premium', publicNetworkAccess: 'Enabled', defaultAction: 'Deny' },
      fixes: [
        fix(
          'authenticate',
          'See the documented fix',
          'Follow the steps for this error.',
          `${TS}/acr-authentication-errors`,
        ),
      ],
    },
  ]),
) as Record<FindingKind, Diagnosis>;

/** Every Reply variant worth a golden file, by file name. */
export function goldenReplies(): Record<string, Reply> {
  const out: Record<string, Reply> = {};
  for (const [cause, d] of Object.entries(BY_CAUSE))
    out[`diagnosis-cause-${cause}`] = { type: 'diagnoses', diagnoses: [d] };
  for (const [kind, d] of Object.entries(BY_KIND))
    out[`diagnosis-kind-${kind}`] = { type: 'diagnoses', diagnoses: [d] };
  out['diagnoses-two'] = { type: 'diagnoses', diagnoses: [BY_CAUSE.ip_not_allowed, BY_CAUSE.azure_service_ip] };
  // The answer to Details: everything at once, with no Details button.
  out['diagnosis-expanded-ip_not_allowed'] = {
    type: 'diagnoses',
    diagnoses: [BY_CAUSE.ip_not_allowed],
    expanded: true,
  };
  out['diagnosis-expanded-rule_quota_full'] = {
    type: 'diagnoses',
    diagnoses: [BY_CAUSE.rule_quota_full],
    expanded: true,
  };
  out['diagnoses-none'] = { type: 'diagnoses', diagnoses: [] };
  out.firewall = {
    type: 'firewall',
    registry: registry({
      privateEndpoints: [{ name: 'pe-myregistry-hub', status: 'Approved', privateEndpointId: null }],
    }),
  };
  out['firewall-200-rules'] = { type: 'firewall', registry: BY_CAUSE.rule_quota_full.registry! };
  out['firewall-public-access-disabled'] = {
    type: 'firewall',
    registry: registry({ publicNetworkAccess: 'Disabled' }),
  };
  out.help = { type: 'help' };
  out['notice-info'] = {
    type: 'notice',
    tone: 'info',
    title: 'No registry named contoso',
    text: 'I looked in 4 subscriptions.',
  };
  out['notice-warning-retryable'] = {
    type: 'notice',
    tone: 'warning',
    title: 'Azure is throttling me',
    text: 'ARM answered 429; try again in 30 seconds.',
    retryable: true,
  };
  out['notice-error'] = {
    type: 'notice',
    tone: 'error',
    title: 'Azure is unreachable',
    text: 'The management endpoint did not answer.',
  };
  Object.assign(out, approvalGoldenReplies());
  return out;
}
