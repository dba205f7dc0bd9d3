/**
 * Refused clicks are never silent (a button that does nothing looks broken and gets clicked again): the clicker gets a
 * private answer with the reason, and a refusal of authority (not an approver, self-approval, unknown identity, channel
 * out of scope) is written to the audit log, so an operator can see who tried what.
 */
import { nameOf, partyOf, type AccessRequest } from '../../core/requests/index.js';
import type { IncomingAction } from '../chat.js';
import type { Ctx } from './deps.js';

export async function recordRefusal(
  ctx: Ctx,
  action: IncomingAction,
  request: AccessRequest | null,
  refusal: { code: string; reason: string },
  about?: { registry: { id: string; name: string }; rule: string },
): Promise<void> {
  const actor = partyOf(action.actor);
  try {
    await ctx.store.appendAudit({
      at: ctx.clock.now().toISOString(),
      type: 'refused',
      requestId: request?.id ?? null,
      registryId: request?.registry.id ?? about?.registry.id ?? null,
      registryName: request?.registry.name ?? about?.registry.name ?? null,
      rule: request?.rule ?? about?.rule ?? null,
      actor,
      fromStatus: request?.status ?? null,
      toStatus: null,
      before: null,
      after: null,
      correlationId: null,
      summary: `${nameOf(actor)} was refused ${action.verb.replace(/_/g, ' ')}: ${refusal.reason}`,
      details: {
        verb: action.verb,
        code: refusal.code,
        conversation: {
          platform: action.conversation.platform,
          kind: action.conversation.kind,
          id: action.conversation.conversationId,
        },
      },
    });
  } catch (err) {
    ctx.logger.warn({ err, verb: action.verb }, 'could not record a refused click in the audit log');
  }
  ctx.logger.info(
    { verb: action.verb, code: refusal.code, requestId: request?.id ?? null, platform: action.actor.platform },
    'click refused',
  );
}
