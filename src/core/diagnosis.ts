import type { Finding } from './finding.js';
import type { HygieneView } from './quota/view-types.js';
import type { RegistrySnapshot } from './registry.js';

/** `acr-access diagnose --json` causes (the README's "Diagnosing"). One per diagnosis. */
export const CAUSES = [
  'ip_not_allowed',
  'public_access_disabled',
  'sku_not_premium',
  'rule_quota_full',
  'ip_already_allowed',
  'firewall_allows_all',
  'azure_service_ip',
  'private_ip',
  'ipv6_client',
  'registry_not_found',
  'no_access_to_registry',
  'not_a_firewall_error',
] as const;
export type Cause = (typeof CAUSES)[number];

/** Address classes that matter for an IP rule (see core/ip). */
export type IpClass =
  | 'public'
  | 'private' // RFC 1918
  | 'cgnat' // 100.64.0.0/10
  | 'loopback'
  | 'link_local'
  | 'documentation' // TEST-NET-1/2/3: placeholders in docs and demos
  | 'reserved' // multicast, broadcast, 0/8, 240/4, benchmarking, ...
  | 'ipv6';

/**
 * Which kind of client the address is, as far as the bot can tell (the README's table says what each gets):
 * `tenant` a public IP or prefix the bot can read; `azure_hosted` only the catch-all AzureCloud tag covers it (a VM,
 * AKS egress or NAT gateway in a subscription the bot cannot read, or a hosted runner); `azure_service` a named
 * service tag or the tool says which service; `hosted_ci` the paste is a GitHub Actions or Azure Pipelines log;
 * `private`/`ipv6` the address class decides; `unknown` a public address nobody claims.
 */
export type ClientClass = 'tenant' | 'azure_hosted' | 'azure_service' | 'hosted_ci' | 'private' | 'ipv6' | 'unknown';

/** Who owns the address, when the bot can tell. */
export interface IpOwner {
  /**
   * `public_ip`/`public_ip_prefix`: a resource in the tenant; `azure_service`: a named service's tag range;
   * `azure_cloud`: only the catch-all AzureCloud tag, which covers every customer's Azure addresses.
   */
  kind: 'public_ip' | 'public_ip_prefix' | 'azure_service' | 'azure_cloud';
  name: string;
  resourceId: string | null;
  /** What uses it, in words: "outbound IP of AKS cluster aks-prod (load balancer kubernetes)", "service tag AzureContainerRegistry.WestEurope". */
  detail: string | null;
  /** For azure_service: the service the tag names (AzureContainerRegistry, AzureContainerInstance, AppService, ...). */
  service?: string | null;
  /** For public_ip / public_ip_prefix: the AKS cluster whose outbound address it is, when it is one. */
  aksCluster?: string | null;
}

/** Facts shown on the card. Absent fields were not established (no registry read, no IP). */
export interface Evidence {
  sku?: string;
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  defaultAction?: 'Allow' | 'Deny';
  ipRuleCount?: number;
  ipRuleLimit?: number;
  /** The rule that already admits this IP. */
  matchingRule?: string | null;
  /** Rules in the same /24 (or containing ranges) that do not admit it: typos and stale egress IPs. */
  nearRules?: string[];
  privateEndpoints?: { name: string; status: string }[];
  trustedServicesBypass?: boolean;
  tasksBypass?: boolean;
  dataEndpointEnabled?: boolean;
  ipClass?: IpClass;
  ipOwner?: IpOwner | null;
  /** Which kind of client the address is (see ClientClass). */
  clientClass?: ClientClass;
  /** `IPv4AndIPv6` for a dual-stack registry (IPv6 clients reach it over IPv6, and IP rules are IPv4 only). */
  endpointProtocol?: 'IPv4' | 'IPv4AndIPv6';
  /** A subscription count or similar context for not-found answers. */
  searchedSubscriptions?: number;
  /** Free-form notes that do not fit a field (kept short, never user text). */
  notes?: string[];
}

export type FixKind =
  | 'add_ip_rule'
  | 'wait_for_propagation'
  | 'check_egress_ip'
  | 'use_private_endpoint'
  | 'fix_private_dns'
  | 'upgrade_to_premium'
  | 'consolidate_rules'
  | 'enable_trusted_services'
  | 'enable_tasks_bypass'
  | 'use_nat_gateway'
  | 'client_side_network'
  | 'allow_data_endpoint'
  | 'authenticate'
  | 'grant_pull_role'
  | 'fix_image_reference'
  | 'back_off'
  | 'unlock_image'
  | 'grant_bot_reader'
  | 'check_registry_name'
  | 'use_agent_pool' // ACR Tasks in a dedicated agent pool inside the customer's VNet
  | 'enable_public_access' // re-open the public endpoint for selected networks: the owner's call, never requestable
  | 'assign_pull_identity' // give the pulling service a managed identity with AcrPull, and tell it to use it
  | 'use_login_server' // pull by <name>.azurecr.io: the certificate does not cover <name>.privatelink.azurecr.io
  | 'fix_tls_inspection' // a TLS-inspecting proxy must pass the registry through or be trusted by the client
  | 'authenticate_upstream' // a credential set on the cache rule, or credentials for the import's source
  | 'use_static_egress'; // hosted CI: a self-hosted runner or fixed egress address instead of a rule per run

export interface Fix {
  kind: FixKind;
  title: string;
  detail: string;
  docsUrl: string;
  /** The exact rule to add (`203.0.113.7/32`) for add_ip_rule. */
  rule?: string | undefined;
  /** An `az` command a human could run instead. */
  command?: string | undefined;
  /** True only for a change the bot can make through an approval (drives the Request access action). */
  requestable: boolean;
}

export interface Diagnosis {
  finding: Finding;
  registry: RegistrySnapshot | null;
  cause: Cause;
  /** The cause in one sentence. */
  summary: string;
  evidence: Evidence;
  /** Smallest safe fix first. */
  fixes: Fix[];
  /**
   * What was asked: `paste` explains an error someone pasted; `check` answers `check <registry> <ip>`, a question
   * with no error behind it, so renderers show the "Error" row and the excerpt only for a paste.
   */
  origin: DiagnosisOrigin;
  /**
   * Only for a check against a registry that was read: would this address get in right now? The summary then
   * leads with it in the present tense.
   */
  verdict?: 'allowed' | 'refused';
  /** For a full or nearly full registry (rule_quota_full, or 180 rules or more): which rules could go. */
  hygiene?: HygieneView;
}

export type DiagnosisOrigin = 'paste' | 'check';

/** A check's verdict as a card title, in the present tense; null for a paste. */
export function verdictTitle(d: Diagnosis): string | null {
  const who = d.finding.ip ?? 'This address';
  const where = d.registry?.name ?? 'the registry';
  if (d.verdict === 'allowed') return `${who} can reach ${where}`;
  if (d.verdict === 'refused') return `${who} is refused by ${where}`;
  return null;
}
