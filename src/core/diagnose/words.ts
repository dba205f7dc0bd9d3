/**
 * The words of a diagnosis, for every platform: the title of each cause and each kind of pasted error, how an
 * address class reads, the page behind Learn more, the button labels and the section headings. `Record<Cause, …>`
 * and `Record<FindingKind, …>` make the compiler refuse a new cause or kind until it has words here. Renderers map a
 * cause to a colour (Teams) or an emoji (Slack), never to words.
 */
import { verdictTitle, type Cause, type Diagnosis, type IpClass } from '../diagnosis.js';
import type { FindingKind } from '../finding.js';
import { MAX_IP_RULES } from '../registry.js';
import { DOCS } from './docs.js';

export const CAUSE_TITLES: Readonly<Record<Cause, string>> = {
  ip_not_allowed: 'Registry firewall: this IP is not allowed',
  public_access_disabled: 'Registry firewall: public network access is disabled',
  sku_not_premium: 'Registry firewall: IP rules need the Premium SKU',
  rule_quota_full: `Registry firewall: all ${MAX_IP_RULES} IP rules are used`,
  ip_already_allowed: 'Registry firewall: this IP is already allowed',
  firewall_allows_all: 'Registry firewall: not the cause, it allows all networks',
  azure_service_ip: 'Registry firewall: the client is an Azure service',
  private_ip: 'Registry firewall: a private address reached the public endpoint',
  ipv6_client: 'Registry firewall: the client uses IPv6, and IP rules are IPv4 only',
  registry_not_found: 'Registry not found',
  no_access_to_registry: 'The bot cannot read this registry',
  not_a_firewall_error: 'Not a firewall error',
};

/** What kind of error was pasted: the "Error" fact, and the title when the firewall is not the cause. */
export const KIND_TITLES: Readonly<Record<FindingKind, string>> = {
  firewall_denied: 'Blocked by the registry firewall',
  registry_forbidden: 'The registry refused the request (403)',
  unauthorized: 'Not signed in to the registry (401)',
  access_denied: 'Access denied: a role assignment is missing',
  dns_failure: 'The registry host name does not resolve',
  network_timeout: 'Timed out reaching the registry',
  data_endpoint_blocked: 'The registry data endpoint is unreachable',
  throttled: 'Throttled by the registry (429)',
  manifest_unknown: 'Image or tag not found',
  operation_disallowed: 'Operation not allowed (locked image or registry quota)',
  identity_pull_failed: 'The service could not pull with its managed identity',
  tls_error: 'The TLS connection to the registry failed',
  upstream_throttled: 'Throttled by the registry behind a cache rule or import (429)',
};

/** An address class as a fact reads it. */
export const IP_CLASS_LABEL: Readonly<Record<IpClass, string>> = {
  public: 'public',
  private: 'private (RFC 1918)',
  cgnat: 'shared address space (CGNAT, 100.64.0.0/10)',
  loopback: 'loopback',
  link_local: 'link-local',
  documentation: 'documentation range (a placeholder, not a real client)',
  reserved: 'reserved',
  ipv6: 'IPv6 (ACR IP rules are IPv4 only)',
};

/** The page behind Learn more when no fix names one. */
export const CAUSE_DOCS: Readonly<Record<Cause, string>> = {
  ip_not_allowed: DOCS.ipRules,
  public_access_disabled: DOCS.privateLink,
  sku_not_premium: DOCS.skus,
  rule_quota_full: DOCS.ipRules,
  ip_already_allowed: DOCS.ipRules,
  firewall_allows_all: DOCS.troubleshootAccess,
  azure_service_ip: DOCS.trustedServices,
  private_ip: DOCS.privateLink,
  ipv6_client: DOCS.ipv6,
  registry_not_found: DOCS.troubleshootAccess,
  no_access_to_registry: DOCS.roles,
  not_a_firewall_error: DOCS.troubleshootAccess,
};

/** Button labels and headings of a diagnosis. */
export const DIAGNOSIS_WORDS = {
  requestAccess: 'Request access',
  showRules: 'Show rules',
  hideRules: 'Hide rules',
  learnMore: 'Learn more',
  details: 'Details',
  hideDetails: 'Hide details',
  fix: 'Fix',
  fixes: 'Fixes, smallest first',
  evidence: 'What the bot found',
  paste: 'From the paste',
  rules: 'IP rules',
  noneRecognised: 'No registry error was recognised in this message.',
} as const;

/** `2 more fixes are in the docs (Learn more).` */
export function moreFixes(n: number): string {
  return `${n} more ${n === 1 ? 'fix is' : 'fixes are'} in the docs (Learn more).`;
}

/** `3 more errors in this message are not shown: …` */
export function moreErrors(n: number): string {
  return `${n} more ${n === 1 ? 'error in this message is' : 'errors in this message are'} not shown: paste ${n === 1 ? 'it' : 'them'} separately, or run acr-access diagnose on the paste.`;
}

/** A check's verdict first; else the cause in a few words (for non-firewall errors the kind says more). */
export function diagnosisTitle(d: Diagnosis): string {
  return verdictTitle(d) ?? (d.cause === 'not_a_firewall_error' ? KIND_TITLES[d.finding.kind] : CAUSE_TITLES[d.cause]);
}

/** The page behind Learn more: the smallest fix's, else the cause's. */
export function learnMoreUrl(d: Diagnosis): string {
  return d.fixes[0]?.docsUrl ?? CAUSE_DOCS[d.cause];
}
