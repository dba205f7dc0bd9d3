/**
 * A grant: an applied grant request seen as the rule it keeps on a registry. Who owns a rule value, and why an ended
 * grant's value came off or stays, are decided here and nowhere else; stores keep the grant as `grantOf()` gives it.
 */
import { sameRule } from '../ip.js';
import type { AccessRequest } from './types.js';

/** A bot-managed rule with an expiry: the projection of an applied grant request (id = the request's id). */
export interface Grant {
  id: string;
  requestId: string;
  registryId: string;
  registryName: string;
  /** Canonical CIDR, as requested. */
  rule: string;
  startsAt: string;
  /** Null = permanent. */
  endsAt: string | null;
  /** `active` while the request is applied; then how it ended. */
  status: 'active' | 'expired' | 'revoked';
  expiryWarnedAt: string | null;
  /** AccessRequest.ruleRemovedAt: null while an ended grant's rule removal is still to do. */
  ruleRemovedAt: string | null;
  /** AccessRequest.ruleAdded: the only value ever removed when the grant ends. */
  ruleAdded: string | null;
  /** When the request last moved. */
  updatedAt: string;
}

/** The grant a request stands for, or null when it is not (or not yet) one: an extension, or not applied. */
export function grantOf(r: AccessRequest): Grant | null {
  if (r.kind !== 'grant' || r.appliedAt === null) return null;
  const status = r.status === 'applied' ? 'active' : r.status === 'expired' || r.status === 'revoked' ? r.status : null;
  if (status === null) return null;
  return {
    id: r.id,
    requestId: r.id,
    registryId: r.registry.id,
    registryName: r.registry.name,
    rule: r.rule,
    startsAt: r.appliedAt,
    endsAt: r.endsAt,
    status,
    expiryWarnedAt: r.expiryWarnedAt,
    ruleRemovedAt: r.ruleRemovedAt,
    ruleAdded: r.ruleAdded,
    updatedAt: r.updatedAt,
  };
}

/**
 * The value a verified write added for `rule`: admitting exactly that range, in the rules after the write and not in
 * them before it (ARM may give a /32 back without its suffix: still the same rule). Null when something the bot did
 * not write already admitted the address, so the bot owns nothing and never removes it.
 */
export function ruleAddedBy(
  rule: string,
  change: { before: readonly string[]; after: readonly string[] },
): string | null {
  return change.after.find((v) => sameRule(v, rule) && !change.before.some((b) => sameRule(b, v))) ?? null;
}

/**
 * Why an ended grant's value is still on the registry after its removal write, or null when it came off. Read from
 * the rules around the write, so what the audit log says is what the registry showed.
 */
export function ruleKeptBecause(
  ruleAdded: string | null,
  change: { before: readonly string[]; after: readonly string[] },
  neededBy: readonly string[],
): string | null {
  if (ruleAdded === null)
    return 'the bot did not add this rule (another rule already admitted the address when the grant began)';
  if (!change.before.some((v) => sameRule(v, ruleAdded)))
    return `${ruleAdded} is no longer on the registry (removed by someone else)`;
  if (!change.after.some((v) => sameRule(v, ruleAdded))) return null;
  return neededBy.length > 0
    ? `still needed by active grant${neededBy.length === 1 ? '' : 's'} ${neededBy.join(', ')}`
    : 'the write that should have taken it off left it on the registry';
}
