/**
 * Break-glass applies on submit: when policy lets the requester approve their own emergency request, the submit is
 * that approval (the form's checkbox says "apply it now"), recorded as the `break_glass` approval the audit log
 * marks for review, and the registry worker is kicked at once. Every approver and every notify channel hears it
 * loudly. When policy does not allow it (any more), the request simply waits for the approvers.
 */
import type { Actor } from '../../core/actor.js';
import { canApprove } from '../../core/policy/evaluate.js';
import { nameOf, partyOf, type AccessRequest } from '../../core/requests/index.js';
import type { Ctx } from './deps.js';
import type { RegistryWorker } from './worker.js';
import { durationText } from './views.js';

/** The loud words every approver and notify channel gets. */
export function breakGlassNotice(r: AccessRequest, by: AccessRequest['requester']): string {
  return `BREAK-GLASS: ${nameOf(by)} approved their own access to ${r.registry.name} (${r.rule} ${durationText(r.durationMs)}). Reason: ${r.reason}. Review it, and revoke if it was not warranted.`;
}

/** The request as it is now: approved as break-glass, or unchanged when policy does not let this requester do it. */
export async function applyBreakGlass(
  ctx: Ctx,
  worker: RegistryWorker,
  r: AccessRequest,
  actor: Actor,
): Promise<AccessRequest> {
  if (!r.breakGlass || r.status !== 'pending') return r;
  const verdict = canApprove(ctx.policy, actor, r);
  if (!verdict.ok || verdict.as !== 'break_glass') {
    ctx.logger.warn(
      { requestId: r.id, why: verdict.ok ? verdict.as : verdict.code },
      'break-glass not applied on submit; the approvers decide',
    );
    return r;
  }
  const out = await ctx.store.transition(
    r.id,
    { type: 'approve', by: partyOf(actor), as: 'break_glass', comment: null },
    { idempotencyKey: `break-glass:${r.id}` },
  );
  if (!out.ok) {
    ctx.logger.warn({ requestId: r.id, code: out.code }, 'could not apply a break-glass request on submit');
    return out.request ?? r;
  }
  ctx.logger.warn({ requestId: r.id, registry: r.registry.name, rule: r.rule }, 'break-glass approved on submit');
  worker.kick(out.request.registry.id);
  return out.request;
}
