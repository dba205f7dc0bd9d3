/**
 * How each diagnosis cause looks in Slack: its emoji. The words are core's (core/diagnose/words.ts);
 * `Record<Cause, …>` makes the compiler refuse a new cause until it has an emoji here.
 */
import type { Cause } from '../../../core/diagnosis.js';

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
