/**
 * Fixed wording per diagnosis cause and finding kind: the card title, its tone, and the page to learn more when
 * no fix names one. Exhaustive `Record`s: a new cause or kind in the core fails to compile until it has wording.
 */
import type { Cause, IpClass } from '../../../core/diagnosis.js';
import type { FindingKind } from '../../../core/finding.js';
import type { ContainerStyle } from './types.js';

export interface CauseWording {
  title: string;
  style: ContainerStyle;
  docsUrl: string;
}

const FIREWALL_DOCS = 'https://aka.ms/acr/firewall';
const PRIVATE_LINK_DOCS = 'https://aka.ms/acr/private-link';
const TROUBLESHOOT = 'https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/';

export const CAUSE_WORDING: Record<Cause, CauseWording> = {
  ip_not_allowed: { title: 'Registry firewall: this IP is not allowed', style: 'attention', docsUrl: FIREWALL_DOCS },
  public_access_disabled: {
    title: 'Registry firewall: public network access is disabled',
    style: 'attention',
    docsUrl: PRIVATE_LINK_DOCS,
  },
  sku_not_premium: {
    title: 'Registry firewall: IP rules need the Premium SKU',
    style: 'warning',
    docsUrl: FIREWALL_DOCS,
  },
  rule_quota_full: { title: 'Registry firewall: the IP rule quota is full', style: 'warning', docsUrl: FIREWALL_DOCS },
  ip_already_allowed: {
    title: 'Registry firewall: this IP is already allowed',
    style: 'accent',
    docsUrl: FIREWALL_DOCS,
  },
  firewall_allows_all: { title: 'Registry firewall: not the cause', style: 'accent', docsUrl: TROUBLESHOOT },
  azure_service_ip: {
    title: 'Registry firewall: the client is an Azure service',
    style: 'warning',
    docsUrl: FIREWALL_DOCS,
  },
  private_ip: {
    title: 'Registry firewall: a private address reached the public endpoint',
    style: 'warning',
    docsUrl: PRIVATE_LINK_DOCS,
  },
  ipv6_client: { title: 'Registry firewall: the client uses IPv6', style: 'warning', docsUrl: FIREWALL_DOCS },
  registry_not_found: { title: 'Registry not found', style: 'emphasis', docsUrl: TROUBLESHOOT },
  no_access_to_registry: {
    title: 'The bot cannot read this registry',
    style: 'emphasis',
    docsUrl: 'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers',
  },
  not_a_firewall_error: { title: 'Not a firewall error', style: 'emphasis', docsUrl: TROUBLESHOOT },
};

export const FINDING_LABEL: Record<FindingKind, string> = {
  firewall_denied: 'Firewall denied the client',
  registry_forbidden: 'Registry refused the request (403)',
  unauthorized: 'Authentication required (401)',
  access_denied: 'Access denied (permissions)',
  dns_failure: 'Registry host not resolved or unreachable',
  network_timeout: 'Network timeout',
  data_endpoint_blocked: 'Data endpoint unreachable',
  throttled: 'Throttled (429)',
  manifest_unknown: 'Image or tag not found',
  operation_disallowed: 'Operation disallowed (locked image or quota)',
  identity_pull_failed: 'Managed identity pull failed',
  tls_error: 'TLS connection to the registry failed',
  upstream_throttled: 'Throttled by the upstream registry (429)',
};

export const IP_CLASS_LABEL: Record<IpClass, string> = {
  public: 'public',
  private: 'private (RFC 1918)',
  cgnat: 'shared address space (CGNAT, 100.64.0.0/10)',
  loopback: 'loopback',
  link_local: 'link-local',
  documentation: 'documentation range (a placeholder, not a real client)',
  reserved: 'reserved',
  ipv6: 'IPv6 (ACR IP rules are IPv4 only)',
};
