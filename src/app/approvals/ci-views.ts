/**
 * A CI request as the access API shows it to the job that made it: where it stands, and once applied the rule and
 * when it expires. `message` says it in one sentence (the CLI prints it). Words live here, not in the HTTP adapter.
 */
import { formatDuration } from '../../core/policy/duration.js';
import { nameOf, type AccessRequest, type Party, type RequestStatus } from '../../core/requests/index.js';
import { when } from './views.js';

export interface CiRequestView {
  id: string;
  status: RequestStatus;
  registry: { name: string; loginServer: string | null };
  /** The address asked for, and the rule that admits it (`203.0.113.7/32`). */
  ip: string;
  rule: string;
  durationMs: number | null;
  duration: string | null;
  reason: string;
  ticket: string | null;
  requestedAt: string;
  /** Who approved: people by name, or the policy entry that approves by itself. */
  approvedBy: string[];
  /** Set once the rule is in the registry and a re-read showed it. */
  appliedAt: string | null;
  /** When the grant ends and the rule is removed (unless another grant still needs it). */
  expiresAt: string | null;
  /** Why it failed or was closed (deny reason, ARM's refusal). */
  error: string | null;
  message: string;
}

/** People by name, or the policy rule (a CI entry with `approval: auto`) that approved it. */
function approvedBy(r: AccessRequest): string[] {
  if (r.approvedByRule) return [`policy: ${r.approvedByRule.name} (${r.approvedByRule.source})`];
  return r.approvals.map((a) => nameOf(a.by));
}

function messageOf(r: AccessRequest, by: string[]): string {
  const where = `${r.rule} on ${r.registry.name}`;
  switch (r.status) {
    case 'pending':
      return `Waiting for ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'} of ${where} (until ${when(r.pendingUntil)}).`;
    case 'approved':
    case 'applying':
      return `Approved by ${by.join(', ') || 'policy'}: the bot is adding ${where}.`;
    case 'applied':
      return `${where} is applied until ${when(r.endsAt)}; rules take a few minutes to take effect.`;
    case 'failed':
      return `Adding ${where} failed: ${r.apply.lastError ?? 'unknown error'}.`;
    case 'expired':
      return `The grant of ${where} has expired.`;
    case 'revoked':
      return `The grant of ${where} was ended early by ${nameOf(r.decision?.by ?? null)}.`;
    case 'denied':
      return `Denied by ${nameOf(r.decision?.by ?? null)}: ${r.decision?.reason ?? 'no reason given'}.`;
    case 'cancelled':
      return `The request for ${where} was cancelled.`;
    case 'timed_out':
      return `Nobody decided on ${where} in time; the request timed out.`;
  }
}

export function ciRequestView(r: AccessRequest): CiRequestView {
  const by = approvedBy(r);
  return {
    id: r.id,
    status: r.status,
    registry: { name: r.registry.name, loginServer: r.registry.loginServer },
    ip: r.rule.replace(/\/32$/, ''),
    rule: r.rule,
    durationMs: r.durationMs,
    duration: r.durationMs === null ? null : formatDuration(r.durationMs),
    reason: r.reason,
    ticket: r.ticket,
    requestedAt: r.createdAt,
    approvedBy: by,
    appliedAt: r.appliedAt,
    expiresAt: r.endsAt,
    error: r.status === 'failed' ? r.apply.lastError : r.status === 'denied' ? (r.decision?.reason ?? null) : null,
    message: messageOf(r, by),
  };
}

/** Is this request the caller's own? A workload sees and ends only what its identity asked for. */
export function isOwnRequest(r: AccessRequest, caller: Party): boolean {
  return r.requester.platform === 'workload' && r.requester.id === caller.id;
}
