/**
 * "Free N slots": the button on a firewall view or a quota diagnosis opens a cleanup request, which the registry's
 * approvers approve like any other and the registry worker applies (apply-cleanup.ts). The click's data is untrusted:
 * the registry is read afresh and analysed again, so the request lists what is redundant now, with its proof.
 */
import { createHash } from 'node:crypto';
import { APPROVAL_VERBS } from '../../core/approval-views.js';
import { canRequest } from '../../core/policy/evaluate.js';
import { checkTicket } from '../../core/policy/ticket.js';
import { cleanupLabel, cleanupOf, cleanupReason, mergeVerdicts, slotsFreed } from '../../core/quota/index.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { isRegistryId } from '../../core/registry-ref.js';
import { partyOf } from '../../core/requests/index.js';
import { AzureError } from '../azure-error.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import { azureNotice } from '../diagnose.js';
import type { Ctx } from './deps.js';
import type { Hygiene } from './hygiene.js';
import type { Publisher } from './publish.js';
import { recordRefusal } from './refusals.js';
import { channelOf } from './request-ask.js';
import { answerView } from './copies.js';
import { notice } from './views.js';

const TITLE = 'Slots cannot be freed';

function answer(tone: 'info' | 'warning', text: string, title = TITLE): ActionResult {
  return { reply: notice(tone, title, text), delivery: 'private' };
}

export class FreeSlots {
  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
    private readonly hygiene: Hygiene,
  ) {}

  async open(action: IncomingAction): Promise<ActionResult> {
    const { registryId } = action.data;
    if (!isRegistryId(registryId)) return answer('warning', 'This button does not name a registry the bot can read.');
    const merges = action.data.merges === true || action.data.merges === 'true';
    const ref = { id: registryId, name: registryId.split('/').pop()! };
    const channel = channelOf(action.conversation);
    const allowed = canRequest(this.ctx.policy, action.actor, channel, ref);
    if (!allowed.ok) {
      if (allowed.code === 'channel_not_allowed' || allowed.code === 'unknown_identity')
        await recordRefusal(this.ctx, action, null, allowed, { registry: ref, rule: 'free slots' });
      return answer('warning', allowed.reason);
    }
    const p = allowed.policy;
    const ticket = checkTicket(p, null);
    if (!ticket.ok) return answer('warning', ticket.reason);

    let registry: RegistrySnapshot;
    try {
      registry = await this.ctx.gateway.readRegistry(registryId);
    } catch (err) {
      if (!(err instanceof AzureError)) throw err;
      if (err.kind === 'not_found') return answer('warning', `${ref.name} no longer exists or moved.`);
      return { reply: azureNotice(err, `reading ${ref.name}`), delivery: 'private' };
    }
    const open = (
      await this.ctx.store.listRequests({
        registry: registry.id,
        kind: 'cleanup',
        status: ['pending', 'approved', 'applying'],
        limit: 10,
      })
    ).find((r) => r.registry.id.toLowerCase() === registry.id.toLowerCase());
    if (open) return answerView(this.ctx, open, action, 'A cleanup of this registry is already open: here it is.');

    const { hygiene } = await this.hygiene.of(registry);
    const verdicts = mergeVerdicts(hygiene, p);
    const cleanup = cleanupOf(hygiene, {
      merges,
      mergeAllowed: (into) => verdicts.find((v) => v.into === into)?.refusal === null,
    });
    if (cleanup.remove.length === 0 || slotsFreed(cleanup) <= 0)
      return answer(
        'info',
        `${registry.name} has no redundant rule any more: there is nothing to free.`,
        'Nothing to free',
      );

    const key = `${APPROVAL_VERBS.freeSlots}:${createHash('sha256')
      .update(JSON.stringify([registry.id.toLowerCase(), cleanup, action.actor.platform, action.actor.id]))
      .digest('hex')}`;
    const created = await this.ctx.store.createRequest(
      {
        kind: 'cleanup',
        extendsRequestId: null,
        registry: { id: registry.id, name: registry.name, loginServer: registry.loginServer },
        rule: cleanupLabel(cleanup),
        durationMs: null,
        reason: cleanupReason(cleanup, registry.name, registry.ipRules.length),
        ticket: null,
        requester: partyOf(action.actor),
        channel,
        breakGlass: false,
        requiredApprovals: p.minApprovals,
        pendingTimeoutMs: p.pendingTimeoutMs,
        reminderIntervalMs: p.reminderIntervalMs,
        cleanup,
      },
      { idempotencyKey: key },
    );
    if (!created.ok) return answer('warning', created.reason);
    const r = created.request;
    if (!created.duplicate) {
      this.ctx.logger.info(
        { requestId: r.id, registry: r.registry.name, remove: cleanup.remove.length, add: cleanup.add.length },
        'cleanup requested',
      );
      const thread = action.conversation;
      this.ctx.background('cards: new cleanup', () => this.publisher.announce(r, thread));
    }
    const said = created.duplicate
      ? 'This was already asked; here is the request it made.'
      : `Request sent: ${cleanupLabel(cleanup)} on ${registry.name}, waiting for ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}.`;
    return answerView(this.ctx, r, action, said);
  }
}
