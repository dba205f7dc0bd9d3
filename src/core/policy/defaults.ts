/**
 * Default settings, and the built-in policy used when no POLICY_FILE is set.
 *
 * Without a policy file the bot still starts and diagnoses, but nobody can approve anything, so every access
 * request is refused up front with a reason that tells the operator to set POLICY_FILE. We chose this over a
 * "demo-friendly" default (e.g. anyone may self-approve) because the same binary runs against real registries with
 * a real identity: a missing environment variable must never open a firewall. Demos point POLICY_FILE at a file.
 */
import { DAY_MS, HOUR_MS } from './duration.js';
import type { Policy, RegistryPolicy } from './types.js';

/** What every key means when the policy file leaves it out (policy.example.yaml shows the same values). */
export const DEFAULT_SETTINGS: RegistryPolicy = Object.freeze({
  source: 'defaults',
  approvers: [],
  minApprovals: 1,
  selfApproval: false,
  breakGlass: { enabled: false, maxDurationMs: 1 * HOUR_MS, allowedFor: 'approvers' },
  durations: { defaultMs: 4 * HOUR_MS, maxMs: 1 * DAY_MS },
  allowPermanent: false,
  broadestPrefix: 32,
  requireReason: true,
  requireTicket: false,
  pendingTimeoutMs: 1 * DAY_MS,
  reminderIntervalMs: 4 * HOUR_MS,
  notify: { channels: [], directMessages: true },
  maxLeadTimeMs: 7 * DAY_MS,
  autoApprove: [],
}) as RegistryPolicy;

export const NO_POLICY_REASON =
  'Access requests are turned off: this bot has no approval policy. An operator must set POLICY_FILE to a policy ' +
  'that names approvers (start from policy.example.yaml).';

/** The policy in force when POLICY_FILE is not set: requests are refused with NO_POLICY_REASON. */
export function builtInPolicy(): Policy {
  return {
    configured: false,
    file: null,
    defaults: DEFAULT_SETTINGS,
    registries: [],
    channels: null,
    ci: null,
    groups: {},
  };
}
