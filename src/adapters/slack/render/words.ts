/**
 * Titles for every diagnosis cause and finding kind. `Record<Cause, …>` / `Record<FindingKind, …>` make the compiler
 * refuse a new cause or kind until it has words here.
 */
import { verdictTitle, type Cause, type Diagnosis } from '../../../core/diagnosis.js';
import type { FindingKind } from '../../../core/finding.js';

export const CAUSE_TITLES: Record<Cause, string> = {
  ip_not_allowed: 'Your IP address is not on the registry firewall',
  public_access_disabled: 'Public network access to the registry is disabled',
  sku_not_premium: 'IP rules need the Premium SKU',
  rule_quota_full: 'The registry has used all 200 IP rules',
  ip_already_allowed: 'This IP address is already allowed',
  firewall_allows_all: 'The firewall allows all networks: it is not the cause',
  azure_service_ip: 'The request came from an Azure service',
  private_ip: 'The address is private: the request did not come from it',
  ipv6_client: 'IPv6 client: ACR IP rules are IPv4 only',
  registry_not_found: 'Registry not found',
  no_access_to_registry: 'I cannot read this registry',
  not_a_firewall_error: 'Not a firewall error',
};

export const KIND_TITLES: Record<FindingKind, string> = {
  firewall_denied: 'Blocked by the registry firewall',
  registry_forbidden: 'The registry refused the request (403)',
  unauthorized: 'Not signed in to the registry (401)',
  access_denied: 'Access denied: a role assignment is missing',
  dns_failure: 'The registry name does not resolve',
  network_timeout: 'Timed out reaching the registry',
  data_endpoint_blocked: 'The registry data endpoint is unreachable',
  throttled: 'Throttled by the registry (429)',
  manifest_unknown: 'Image or tag not found',
  operation_disallowed: 'Operation not allowed (locked image or registry quota)',
  identity_pull_failed: 'The service could not pull with its managed identity',
  tls_error: 'The TLS connection to the registry failed',
  upstream_throttled: 'Throttled by the registry behind a cache rule or import (429)',
};

export const CAUSE_EMOJI: Record<Cause, string> = {
  ip_not_allowed: ':no_entry:',
  public_access_disabled: ':lock:',
  sku_not_premium: ':no_entry:',
  rule_quota_full: ':no_entry:',
  ip_already_allowed: ':hourglass_flowing_sand:',
  firewall_allows_all: ':white_check_mark:',
  azure_service_ip: ':cloud:',
  private_ip: ':house:',
  ipv6_client: ':warning:',
  registry_not_found: ':mag:',
  no_access_to_registry: ':closed_lock_with_key:',
  not_a_firewall_error: ':information_source:',
};

/** A check's verdict first; else the cause in a few words (for non-firewall errors the finding kind says more). */
export function diagnosisTitle(d: Diagnosis): string {
  return verdictTitle(d) ?? (d.cause === 'not_a_firewall_error' ? KIND_TITLES[d.finding.kind] : CAUSE_TITLES[d.cause]);
}

export const FIREWALL_DOCS = 'https://aka.ms/acr/firewall';
export const TROUBLESHOOT_DOCS =
  'https://learn.microsoft.com/azure/container-registry/container-registry-troubleshoot-access';

export function yesNo(v: boolean): string {
  return v ? 'yes' : 'no';
}
