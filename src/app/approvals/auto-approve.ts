/**
 * A new request that a policy rule approves: core/approvals decides which rule (if any), the request takes the
 * `auto_approve` transition (audited "approved by rule <name>"), and the registry worker is kicked as after any
 * approval (a scheduled request waits for its window). Runs after every check a human approval relies on passed.
 */
import { autoApproval } from '../../core/approvals/auto-approve.js';
import type { IpOwner } from '../../core/diagnosis.js';
import type { RegistryPolicy } from '../../core/policy/types.js';
import type { AccessRequest } from '../../core/requests/index.js';
import type { Ctx } from './deps.js';
import type { RegistryWorker } from './worker.js';

/** The request as it is now: approved by a rule, or unchanged when no rule fits (the approvers then decide). */
export async function autoApprove(
  ctx: Ctx,
  worker: RegistryWorker,
  r: AccessRequest,
  registryPolicy: RegistryPolicy,
  owner: IpOwner | null,
): Promise<AccessRequest> {
  if (registryPolicy.autoApprove.length === 0) return r;
  const verdict = autoApproval({
    registryPolicy,
    requester: r.requester,
    owner,
    durationMs: r.durationMs,
    breakGlass: r.breakGlass,
    startsAt: r.startsAt ? new Date(r.startsAt) : ctx.clock.now(),
  });
  if (!verdict.ok) {
    ctx.logger.info({ requestId: r.id, why: verdict.reason }, 'no auto-approval rule fits; the approvers decide');
    return r;
  }
  const out = await ctx.store.transition(
    r.id,
    { type: 'auto_approve', rule: verdict.rule.name, source: verdict.rule.source },
    { expectedVersion: r.version },
  );
  if (!out.ok) {
    // Someone decided first (a quick cancel): the request stays as they left it.
    ctx.logger.warn({ requestId: r.id, code: out.code }, 'could not auto-approve a request');
    return out.request ?? r;
  }
  ctx.logger.info({ requestId: r.id, rule: verdict.rule.name, source: verdict.rule.source }, 'approved by rule');
  worker.kick(out.request.registry.id);
  return out.request;
}
