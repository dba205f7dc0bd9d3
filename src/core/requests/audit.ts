/** Building audit records: names for people, and the rule diff an ARM write made. */
import type { Actor } from '../actor.js';
import type { AccessRequest, AuditDraft, AuditType, Party, RequestStatus } from './types.js';

export function partyOf(actor: Actor): Party {
  return {
    platform: actor.platform,
    id: actor.id,
    email: actor.email ? actor.email.trim().toLowerCase() : null,
    displayName: actor.displayName,
  };
}

/** The chat platform a party can be reached on; null for a CLI user or a workload identity (nobody to message). */
export function chatPlatformOf(p: Pick<Party, 'platform'>): 'teams' | 'slack' | null {
  return p.platform === 'teams' || p.platform === 'slack' ? p.platform : null;
}

/** How a person is named in summaries: display name, else email, else id. */
export function nameOf(p: Party | null): string {
  if (p === null) return 'acr-access-bot';
  return p.displayName?.trim() || p.email || `${p.platform} user ${p.id}`;
}

/** Rules added and removed between two rule lists, compared as written (ARM returns what it was given). */
export function ruleDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((r) => !b.has(r)), removed: before.filter((r) => !a.has(r)) };
}

/** An audit draft about a request, with the request's registry and rule filled in. */
export function auditFor(
  request: AccessRequest,
  at: string,
  type: AuditType,
  fields: {
    actor: Party | null;
    from: RequestStatus | null;
    to: RequestStatus | null;
    summary: string;
    details?: Record<string, unknown>;
    before?: string[] | null;
    after?: string[] | null;
    correlationId?: string | null;
  },
): AuditDraft {
  const details: Record<string, unknown> = { ...(fields.details ?? {}) };
  if (fields.before && fields.after) details.diff = ruleDiff(fields.before, fields.after);
  return {
    at,
    type,
    requestId: request.id,
    registryId: request.registry.id,
    registryName: request.registry.name,
    rule: request.rule,
    actor: fields.actor,
    fromStatus: fields.from,
    toStatus: fields.to,
    before: fields.before ?? null,
    after: fields.after ?? null,
    correlationId: fields.correlationId ?? null,
    summary: fields.summary,
    details,
  };
}
