/**
 * How each diagnosis cause looks on a card: its container style. The words are core's (core/diagnose/words.ts);
 * `Record<Cause, …>` makes the compiler refuse a new cause until it has a style here.
 */
import type { Cause } from '../../../core/diagnosis.js';
import type { ContainerStyle } from './types.js';

export const CAUSE_STYLE: Record<Cause, ContainerStyle> = {
  ip_not_allowed: 'attention',
  public_access_disabled: 'attention',
  sku_not_premium: 'warning',
  rule_quota_full: 'warning',
  ip_already_allowed: 'accent',
  firewall_allows_all: 'accent',
  azure_service_ip: 'warning',
  private_ip: 'warning',
  ipv6_client: 'warning',
  registry_not_found: 'emphasis',
  no_access_to_registry: 'emphasis',
  not_a_firewall_error: 'emphasis',
};
