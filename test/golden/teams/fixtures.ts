/**
 * Realistic inputs for the Teams card renderer: one Diagnosis per cause and one per finding kind, built directly
 * (the shapes of src/core/diagnosis.ts), plus the other Reply variants. Registries look like ARM GET responses
 * flattened by the Azure adapter; pastes are like test/fixtures/errors/real-errors.jsonl (real errors people posted).
 */
import type { Cause, Diagnosis, Evidence, Fix } from '../../../src/core/diagnosis.js';
import type { Finding, FindingKind } from '../../../src/core/finding.js';
import type { RegistrySnapshot } from '../../../src/core/registry.js';
import type { Reply } from '../../../src/core/reply.js';

const SUB = '4f2a9c1e-7d3b-4e8a-9f60-2b1c5d7e8a90';

export function registry(over: Partial<RegistrySnapshot> = {}): RegistrySnapshot {
  const name = over.name ?? 'contosoprod';
  return {
    id: `/subscriptions/${SUB}/resourceGroups/rg-platform/providers/Microsoft.ContainerRegistry/registries/${name}`,
    name,
    subscriptionId: SUB,
    resourceGroup: 'rg-platform',
    location: 'westeurope',
    loginServer: `${name.toLowerCase()}.azurecr.io`,
    sku: 'Premium',
    provisioningState: 'Succeeded',
    publicNetworkAccess: 'Enabled',
    defaultAction: 'Deny',
    ipRules: ['20.61.14.0/28', '52.174.33.12', '198.51.100.24/32', '203.0.113.8'],
    trustedServicesBypass: true,
    tasksBypass: false,
    dataEndpointEnabled: false,
    dataEndpointHostNames: [],
    privateEndpoints: [],
    ...over,
  };
}

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    kind: 'firewall_denied',
    loginServer: 'contosoprod.azurecr.io',
    registryName: 'contosoprod',
    ip: '203.0.113.7',
    repository: 'payments/api',
    reference: '1.42.0',
    tool: 'docker',
    excerpt:
      'Error response from daemon: Head "https://contosoprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP \'203.0.113.7\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.',
    ...over,
  };
}

const FW = 'https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks';
const PL = 'https://learn.microsoft.com/azure/container-registry/container-registry-private-link';

const addRule = (ip: string): Fix => ({
  kind: 'add_ip_rule',
  title: `Allow ${ip}/32 on the registry firewall`,
  detail: 'Adds one IP rule for this address only; it takes a few minutes to apply. Needs approval.',
  docsUrl: FW,
  rule: `${ip}/32`,
  command: `az acr network-rule add --name contosoprod --ip-address ${ip}/32`,
  requestable: true,
});
const privateEndpoint: Fix = {
  kind: 'use_private_endpoint',
  title: 'Reach the registry through a private endpoint',
  detail: 'Connect the client network to the registry over Private Link; IP rules do not apply to private endpoints.',
  docsUrl: PL,
  requestable: false,
};

function d(
  cause: Cause,
  summary: string,
  evidence: Evidence,
  fixes: Fix[],
  over: { finding?: Partial<Finding>; registry?: RegistrySnapshot | null } = {},
): Diagnosis {
  const reg = over.registry === undefined ? registry() : over.registry;
  return { finding: finding(over.finding), registry: reg, cause, summary, evidence, fixes, origin: 'paste' };
}

const base = (r: RegistrySnapshot = registry()): Evidence => ({
  sku: r.sku,
  publicNetworkAccess: r.publicNetworkAccess,
  defaultAction: r.defaultAction,
  ipRuleCount: r.ipRules.length,
  ipRuleLimit: 200,
  privateEndpoints: r.privateEndpoints.map((p) => ({ name: p.name, status: p.status })),
  trustedServicesBypass: r.trustedServicesBypass,
  tasksBypass: r.tasksBypass,
});

/** One realistic Diagnosis per cause. */
export const BY_CAUSE: Record<Cause, Diagnosis> = {
  ip_not_allowed: d(
    'ip_not_allowed',
    "203.0.113.7 is not in contosoprod's IP rules and the default action is Deny.",
    { ...base(), ipClass: 'documentation', matchingRule: null, nearRules: ['203.0.113.8'], ipOwner: null },
    [addRule('203.0.113.7'), privateEndpoint],
  ),
  public_access_disabled: d(
    'public_access_disabled',
    'contosoprod has public network access disabled, so no IP rule can admit 203.0.113.7: use a private endpoint.',
    {
      ...base(
        registry({
          publicNetworkAccess: 'Disabled',
          privateEndpoints: [{ name: 'pe-contosoprod-hub', status: 'Approved', privateEndpointId: null }],
        }),
      ),
      ipClass: 'public',
    },
    [
      privateEndpoint,
      {
        kind: 'fix_private_dns',
        title: 'Check private DNS for privatelink.azurecr.io',
        detail: 'The client must resolve contosoprod.azurecr.io to the private endpoint address.',
        docsUrl: PL,
        requestable: false,
      },
    ],
    {
      registry: registry({
        publicNetworkAccess: 'Disabled',
        privateEndpoints: [{ name: 'pe-contosoprod-hub', status: 'Approved', privateEndpointId: null }],
      }),
    },
  ),
  sku_not_premium: d(
    'sku_not_premium',
    'contosodev is a Standard registry: IP rules need Premium, so the firewall cannot admit 203.0.113.7.',
    {
      sku: 'Standard',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 0,
      ipRuleLimit: 200,
      ipClass: 'public',
    },
    [
      {
        kind: 'upgrade_to_premium',
        title: 'Upgrade contosodev to Premium',
        detail: 'IP rules, private endpoints and dedicated data endpoints are Premium features.',
        docsUrl: 'https://learn.microsoft.com/azure/container-registry/container-registry-skus',
        command: 'az acr update --name contosodev --sku Premium',
        requestable: false,
      },
    ],
    {
      registry: registry({ name: 'contosodev', sku: 'Standard', ipRules: [] }),
      finding: { loginServer: 'contosodev.azurecr.io', registryName: 'contosodev' },
    },
  ),
  rule_quota_full: d(
    'rule_quota_full',
    'contosoprod already has 200 of 200 IP rules, so a rule for 203.0.113.7 cannot be added until rules are consolidated.',
    {
      ...base(registry({ ipRules: Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 50)}.${i % 50}`) })),
      ipClass: 'public',
      matchingRule: null,
    },
    [
      {
        kind: 'consolidate_rules',
        title: 'Consolidate adjacent rules into CIDR ranges',
        detail: '200 single addresses in 198.18.0.0/24 to 198.18.3.0/24 fit in 4 ranges.',
        docsUrl: FW,
        requestable: false,
      },
      privateEndpoint,
    ],
    {
      registry: registry({ ipRules: Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 50)}.${i % 50}`) }),
    },
  ),
  ip_already_allowed: d(
    'ip_already_allowed',
    '203.0.113.7 is already admitted by the rule 203.0.113.0/28: the rule may still be propagating, or the client leaves through another IP.',
    { ...base(registry({ ipRules: ['203.0.113.0/28'] })), ipClass: 'public', matchingRule: '203.0.113.0/28' },
    [
      {
        kind: 'wait_for_propagation',
        title: 'Wait a few minutes',
        detail: 'New rules take a few minutes to apply.',
        docsUrl: FW,
        requestable: false,
      },
      {
        kind: 'check_egress_ip',
        title: 'Check the egress IP',
        detail: 'Run curl -s https://ifconfig.me from the client; a NAT or proxy may use another address.',
        docsUrl: FW,
        command: 'curl -s https://ifconfig.me',
        requestable: false,
      },
    ],
    { registry: registry({ ipRules: ['203.0.113.0/28'] }) },
  ),
  firewall_allows_all: d(
    'firewall_allows_all',
    "contosoprod's firewall allows every address (default action Allow), so the firewall is not what refused this request.",
    { ...base(registry({ defaultAction: 'Allow', ipRules: [] })), ipClass: 'public' },
    [
      {
        kind: 'authenticate',
        title: 'Check credentials and roles',
        detail: 'A 403 from an open registry is usually a token or role problem.',
        docsUrl: 'https://aka.ms/acr/authorization',
        requestable: false,
      },
    ],
    { registry: registry({ defaultAction: 'Allow', ipRules: [] }) },
  ),
  azure_service_ip: d(
    'azure_service_ip',
    '20.61.99.4 belongs to ACR Tasks in West Europe: allow trusted services or the Tasks bypass rather than an IP rule that changes.',
    {
      ...base(),
      ipClass: 'public',
      ipOwner: {
        kind: 'azure_service',
        name: 'AzureContainerRegistry.WestEurope',
        resourceId: null,
        detail: 'service tag AzureContainerRegistry.WestEurope',
        service: 'AzureContainerRegistry',
      },
    },
    [
      {
        kind: 'enable_tasks_bypass',
        title: 'Allow ACR Tasks through the firewall',
        detail: 'Set networkRuleBypassAllowedForTasks so tasks with a managed identity pass the firewall.',
        docsUrl: FW,
        command: 'az acr update --name contosoprod --allow-trusted-services true',
        requestable: false,
      },
    ],
    {
      finding: {
        ip: '20.61.99.4',
        tool: 'acr-tasks',
        repository: null,
        reference: null,
        excerpt: "failed to login, ran out of retries: denied: client with IP '20.61.99.4' is not allowed access",
      },
    },
  ),
  private_ip: d(
    'private_ip',
    '10.240.0.17 is a private address: the request reached the public endpoint from inside a network, which points at DNS or a private endpoint problem.',
    {
      ...base(
        registry({ privateEndpoints: [{ name: 'pe_contosoprod_aks', status: 'Pending', privateEndpointId: null }] }),
      ),
      ipClass: 'private',
    },
    [
      {
        kind: 'fix_private_dns',
        title: 'Resolve the registry to its private endpoint',
        detail: 'Link the privatelink.azurecr.io zone to the client VNet.',
        docsUrl: PL,
        requestable: false,
      },
      privateEndpoint,
    ],
    {
      finding: { ip: '10.240.0.17', tool: 'kubelet' },
      registry: registry({
        privateEndpoints: [{ name: 'pe_contosoprod_aks', status: 'Pending', privateEndpointId: null }],
      }),
    },
  ),
  ipv6_client: d(
    'ipv6_client',
    'The client reached contosoprod over IPv6 (2001:db8::7); ACR IP rules are IPv4 only.',
    { ...base(), ipClass: 'ipv6' },
    [
      {
        kind: 'client_side_network',
        title: 'Use IPv4 for the registry',
        detail: 'Disable IPv6 egress for this client or route it through an IPv4 NAT.',
        docsUrl: FW,
        requestable: false,
      },
    ],
    { finding: { ip: '2001:db8::7' } },
  ),
  registry_not_found: d(
    'registry_not_found',
    'No registry with login server contosoqa.azurecr.io is visible in the 3 subscriptions the bot can read.',
    { searchedSubscriptions: 3, ipClass: 'public' },
    [
      {
        kind: 'check_registry_name',
        title: 'Check the registry name',
        detail: 'The login server may be mistyped, or the registry lives in a subscription the bot cannot read.',
        docsUrl: 'https://learn.microsoft.com/azure/container-registry/',
        requestable: false,
      },
    ],
    { registry: null, finding: { loginServer: 'contosoqa.azurecr.io', registryName: 'contosoqa' } },
  ),
  no_access_to_registry: d(
    'no_access_to_registry',
    "The bot's identity cannot read contosofin, so it cannot tell why 203.0.113.7 was refused.",
    { notes: ['Resource Graph lists the registry, but reading it returned 403 AuthorizationFailed.'] },
    [
      {
        kind: 'grant_bot_reader',
        title: 'Give the bot Reader on the registry',
        detail: 'Assign Reader (or the bot role) on contosofin to the bot identity.',
        docsUrl: 'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers',
        requestable: false,
      },
    ],
    { registry: null, finding: { loginServer: 'contosofin.azurecr.io', registryName: 'contosofin' } },
  ),
  not_a_firewall_error: d(
    'not_a_firewall_error',
    'This is an authentication error: the client sent no valid credentials; the firewall is not involved.',
    {},
    [
      {
        kind: 'authenticate',
        title: 'Log in to the registry',
        detail: 'Run az acr login or configure an image pull secret / managed identity.',
        docsUrl: 'https://aka.ms/acr/authorization',
        command: 'az acr login --name contosoprod',
        requestable: false,
      },
    ],
    {
      finding: {
        kind: 'unauthorized',
        ip: null,
        excerpt: 'unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
      },
    },
  ),
};

const KIND_EXCERPT: Record<FindingKind, string> = {
  firewall_denied:
    "denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
  registry_forbidden:
    'Error response from daemon: Get "https://contosoprod.azurecr.io/v2/": denied: CONNECTIVITY_FORBIDDEN_ERROR',
  unauthorized: 'unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
  access_denied: 'denied: requested access to the resource is denied',
  dns_failure: 'dial tcp: lookup contosoprod.azurecr.io on 168.63.129.16:53: no such host',
  network_timeout:
    'Get "https://contosoprod.azurecr.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
  data_endpoint_blocked:
    'Get "https://contosoprod.westeurope.data.azurecr.io/...": dial tcp 20.50.2.5:443: i/o timeout',
  throttled: 'toomanyrequests: too many requests, retry after 30 seconds',
  manifest_unknown: 'manifest unknown: manifest tagged by "1.42.1" is not found',
  operation_disallowed: 'The operation is disallowed on this registry, repository or image.',
  identity_pull_failed:
    "Cannot access ACR 'contosoprod.azurecr.io' because admin credentials on the ACR are disabled and no managed identity is assigned.",
  tls_error:
    'Get https://contosoprod.privatelink.azurecr.io/v2/: x509: certificate is valid for *.azurecr.io, not contosoprod.privatelink.azurecr.io',
  upstream_throttled: "toomanyrequests: too many requests to source registry for cache rule 'dotnet-sdk'.",
};

const KIND_FIX: Record<FindingKind, Fix> = {
  firewall_denied: addRule('203.0.113.7'),
  registry_forbidden: privateEndpoint,
  unauthorized: {
    kind: 'authenticate',
    title: 'Log in to the registry',
    detail: 'az acr login, an image pull secret, or a managed identity with AcrPull.',
    docsUrl: 'https://aka.ms/acr/authorization',
    requestable: false,
  },
  access_denied: {
    kind: 'grant_pull_role',
    title: 'Grant AcrPull to the identity',
    detail: 'The identity authenticated but has no pull role on the registry.',
    docsUrl: 'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers',
    requestable: false,
  },
  dns_failure: {
    kind: 'fix_private_dns',
    title: 'Fix name resolution for the registry',
    detail: 'Check the private DNS zone link or the spelling of the login server.',
    docsUrl: PL,
    requestable: false,
  },
  network_timeout: {
    kind: 'client_side_network',
    title: 'Check the path to the registry',
    detail: 'A proxy, NSG or firewall on the client side drops the connection.',
    docsUrl: FW,
    requestable: false,
  },
  data_endpoint_blocked: {
    kind: 'allow_data_endpoint',
    title: 'Allow the data endpoint',
    detail: 'Client firewalls must allow contosoprod.westeurope.data.azurecr.io as well as the login server.',
    docsUrl: FW,
    requestable: false,
  },
  throttled: {
    kind: 'back_off',
    title: 'Back off and retry',
    detail: 'Reduce parallel pulls or move to a higher SKU.',
    docsUrl: 'https://learn.microsoft.com/azure/container-registry/container-registry-skus',
    requestable: false,
  },
  manifest_unknown: {
    kind: 'fix_image_reference',
    title: 'Check the tag',
    detail: 'The tag 1.42.1 does not exist in payments/api.',
    docsUrl: 'https://learn.microsoft.com/azure/container-registry/',
    requestable: false,
  },
  operation_disallowed: {
    kind: 'unlock_image',
    title: 'Unlock the image or free quota',
    detail: 'The image is write- or delete-locked, or the registry is over its storage quota.',
    docsUrl: 'https://learn.microsoft.com/azure/container-registry/',
    requestable: false,
  },
  identity_pull_failed: {
    kind: 'assign_pull_identity',
    title: 'Pull with a managed identity that has AcrPull',
    detail: 'Assign an identity to the app, give it AcrPull on the registry, and set it as the registry identity.',
    docsUrl: 'https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull',
    requestable: false,
  },
  tls_error: {
    kind: 'use_login_server',
    title: 'Pull by the login server, not the privatelink name',
    detail: 'Use contosoprod.azurecr.io; DNS sends it to the private endpoint.',
    docsUrl: 'https://learn.microsoft.com/azure/container-registry/container-registry-private-link',
    requestable: false,
  },
  upstream_throttled: {
    kind: 'authenticate_upstream',
    title: 'Give the cache rule a credential set',
    detail: 'Docker Hub limits anonymous pulls; authenticated pulls get a higher limit.',
    docsUrl: 'https://learn.microsoft.com/azure/container-registry/container-registry-artifact-cache',
    requestable: false,
  },
};

/** One Diagnosis per finding kind (the firewall kind via ip_not_allowed, the rest not_a_firewall_error or as diagnosed). */
export const BY_KIND: Record<FindingKind, Diagnosis> = Object.fromEntries(
  (Object.keys(KIND_EXCERPT) as FindingKind[]).map((kind) => {
    const network = kind === 'firewall_denied' || kind === 'registry_forbidden';
    const dg: Diagnosis = {
      finding: finding({
        kind,
        excerpt: KIND_EXCERPT[kind],
        ip: kind === 'firewall_denied' ? '203.0.113.7' : null,
        tool: kind === 'dns_failure' ? 'kubelet' : 'docker',
      }),
      registry: registry(),
      cause:
        kind === 'firewall_denied' ? 'ip_not_allowed' : network ? 'public_access_disabled' : 'not_a_firewall_error',
      summary: `${KIND_FIX[kind].title}: ${KIND_FIX[kind].detail}`,
      evidence: { ...base(), ...(kind === 'data_endpoint_blocked' ? { dataEndpointEnabled: true } : {}) },
      fixes: [KIND_FIX[kind]],
      origin: 'paste',
    };
    return [kind, dg];
  }),
) as Record<FindingKind, Diagnosis>;

/** Text designed to break out of a card: Markdown, links, mentions, entities, HTML. */
export const HOSTILE =
  '**bold** _it_ [click](https://evil.example) <https://evil.example> <at>Everyone</at> &lt;b&gt; # h1\n- list';

export const REPLIES: Record<string, Reply> = {
  help: { type: 'help' },
  firewall: {
    type: 'firewall',
    registry: registry({
      privateEndpoints: [{ name: 'pe-contosoprod-hub', status: 'Approved', privateEndpointId: null }],
    }),
  },
  'firewall-empty': { type: 'firewall', registry: registry({ ipRules: [], defaultAction: 'Deny' }) },
  'firewall-full': {
    type: 'firewall',
    registry: registry({ ipRules: Array.from({ length: 200 }, (_, i) => `198.18.${Math.floor(i / 50)}.${i % 50}`) }),
  },
  'firewall-disabled': { type: 'firewall', registry: registry({ publicNetworkAccess: 'Disabled' }) },
  'notice-info': {
    type: 'notice',
    tone: 'info',
    title: 'Request access is coming',
    text: 'Approvals are not set up yet: Request access will ask the approvers for contosoprod to allow 203.0.113.7/32.',
  },
  'notice-warning': {
    type: 'notice',
    tone: 'warning',
    title: 'Azure is throttling the bot',
    text: 'ARM answered 429; try again in 30 seconds.',
    retryable: true,
  },
  'notice-error': {
    type: 'notice',
    tone: 'error',
    title: 'Azure is unreachable',
    text: 'The bot could not reach Azure Resource Manager.',
    retryable: true,
  },
  'diagnoses-several': {
    type: 'diagnoses',
    diagnoses: [
      BY_CAUSE.ip_not_allowed,
      BY_CAUSE.public_access_disabled,
      BY_KIND.unauthorized,
      BY_KIND.dns_failure,
      BY_KIND.throttled,
    ],
  },
  'diagnoses-none': { type: 'diagnoses', diagnoses: [] },
  'diagnoses-hostile': {
    type: 'diagnoses',
    diagnoses: [
      {
        ...BY_CAUSE.ip_not_allowed,
        summary: HOSTILE,
        finding: finding({ excerpt: HOSTILE, repository: '**repo**', reference: '<at>x</at>' }),
      },
    ],
  },
  ...Object.fromEntries(
    Object.entries(BY_CAUSE).map(([cause, dg]) => [`cause-${cause}`, { type: 'diagnoses', diagnoses: [dg] } as Reply]),
  ),
  ...Object.fromEntries(
    Object.entries(BY_KIND).map(([kind, dg]) => [`kind-${kind}`, { type: 'diagnoses', diagnoses: [dg] } as Reply]),
  ),
};
