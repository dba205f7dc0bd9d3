/**
 * Clicks on an active grant: extend (a new extension request that needs approval, like the grant did) and revoke
 * (the grant ends now; the worker removes the rule unless another grant still needs it).
 */
import { durationChoices, readDuration } from '../../core/approvals/index.js';
import { DECISION_FORM_WORDS, REASON_NEEDED } from '../../core/approvals/form-words.js';
import { formatDuration } from '../../core/policy/duration.js';
import { canRequest, canRevoke, clampDuration, policyFor } from '../../core/policy/evaluate.js';
import type { Refusal } from '../../core/policy/types.js';
import { nameOf, partyOf, type AccessRequest, type RequestEvent } from '../../core/requests/index.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import { ClickSteps, isRequester, private_, reasonOf } from './click-steps.js';
import { channelOf } from './request-ask.js';
import { decisionFormView, notice, when } from './views.js';

export class GrantChanges extends ClickSteps {
  // ---- extend -----------------------------------------------------------------------------------------------------

  private mayExtend(action: IncomingAction, r: AccessRequest): Refusal | null {
    if (r.kind !== 'grant' || r.status !== 'applied')
      return {
        ok: false,
        code: 'not_applied',
        reason: `Only an active grant can be extended; this request is ${r.status.replace('_', ' ')}.`,
      };
    if (r.endsAt === null)
      return { ok: false, code: 'permanent', reason: 'This grant is permanent; there is nothing to extend.' };
    if (!isRequester(r, action))
      return { ok: false, code: 'not_requester', reason: 'Only the person the grant is for can ask to extend it.' };
    const allowed = canRequest(this.ctx.policy, action.actor, r.channel ?? channelOf(action.conversation), r.registry);
    return allowed.ok ? null : allowed;
  }

  async extendForm(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const no = this.mayExtend(action, r);
    if (no) return this.refuse(action, r, no);
    const p = policyFor(this.ctx.policy, r.registry);
    const choices = durationChoices({
      maxMs: p.durations.maxMs,
      include: Math.min(p.durations.defaultMs, p.durations.maxMs),
    });
    const form = decisionFormView('extend', r, {
      title: `Extend ${r.rule} on ${r.registry.name} (ends ${when(r.endsAt)})`,
      durations: choices,
      defaultDuration: formatDuration(Math.min(p.durations.defaultMs, p.durations.maxMs)),
      reasonRequired: p.requireReason,
    });
    return { reply: { type: 'decision_form', form }, delivery: 'form' };
  }

  async extend(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const no = this.mayExtend(action, r);
    if (no) return this.refuse(action, r, no);
    const p = policyFor(this.ctx.policy, r.registry);
    const asked = readDuration(action.data.duration);
    if (asked === 'invalid' || asked === 'permanent')
      return private_(notice('info', 'Choose a duration', 'Pick how much longer from the list.'));
    const d = clampDuration(p, asked);
    if (!d.ok) return private_(notice('info', 'Choose a duration', d.reason));
    const reason = reasonOf(action.data);
    if (p.requireReason && !reason)
      return private_(notice('info', REASON_NEEDED, DECISION_FORM_WORDS.extend.reason!.missing));
    const open = await this.ctx.store.listRequests({
      extendsRequestId: r.id,
      status: ['pending', 'approved', 'applying'],
      limit: 5,
    });
    if (open.length > 0)
      return this.view(open[0]!, action, 'An extension of this grant is already waiting; here it is.');
    const created = await this.ctx.store.createRequest(
      {
        kind: 'extension',
        extendsRequestId: r.id,
        registry: r.registry,
        rule: r.rule,
        durationMs: d.durationMs,
        reason: reason ?? '',
        // The ticket the grant was made for covers its extension too.
        ticket: r.ticket,
        requester: partyOf(action.actor),
        channel: r.channel,
        breakGlass: false,
        requiredApprovals: p.minApprovals,
        pendingTimeoutMs: p.pendingTimeoutMs,
        reminderIntervalMs: p.reminderIntervalMs,
      },
      { idempotencyKey: this.clickKey(action, r) },
    );
    if (!created.ok) return private_(notice('warning', 'Extension not requested', created.reason));
    const ext = created.request;
    if (!created.duplicate) {
      const thread = (await this.publisher.threadOf(r.id)) ?? action.conversation;
      this.ctx.background('cards: extension', () => this.publisher.announce(ext, thread));
    }
    return this.view(
      ext,
      action,
      `Extension requested: ${formatDuration(ext.durationMs ?? 0)} more, waiting for approval.${d.note ? ` ${d.note}` : ''}`,
    );
  }

  // ---- revoke -----------------------------------------------------------------------------------------------------

  async revokeForm(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canRevoke(this.ctx.policy, action.actor, r);
    if (!ok.ok) return this.refuse(action, r, ok);
    if (r.kind !== 'grant' || r.status !== 'applied')
      return this.view(
        r,
        action,
        `Only an active grant can be revoked; this request is ${r.status.replace('_', ' ')}.`,
      );
    const form = decisionFormView('revoke', r, {
      title: `Revoke ${r.rule} on ${r.registry.name} now?`,
      reasonRequired: false,
    });
    return { reply: { type: 'decision_form', form }, delivery: 'form' };
  }

  async revoke(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canRevoke(this.ctx.policy, action.actor, r);
    if (!ok.ok) return this.refuse(action, r, ok);
    if (r.kind !== 'grant') return this.view(r, action, 'An extension cannot be revoked; revoke the grant itself.');
    const by = partyOf(action.actor);
    const reason = reasonOf(action.data);
    const event: RequestEvent = { type: 'revoke', by, reason };
    const out = await this.ctx.store.transition(r.id, event, { idempotencyKey: this.clickKey(action, r) });
    return this.settle(action, out, (next) => ({
      banner: 'Revoked: the bot removes the rule now (unless another grant still needs it).',
      effects: async () => {
        this.worker.kick(next.registry.id, { immediate: true });
        await this.publisher.refresh(next);
        if (!isRequester(r, action))
          await this.publisher.tellRequester(
            next,
            `${nameOf(by)} revoked your access to ${next.registry.name}${reason ? `: ${reason}` : ''}.`,
          );
      },
    }));
  }
}
