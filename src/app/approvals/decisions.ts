/**
 * Clicks that decide a pending request: approve, deny, narrow, cancel; retry of a failed apply; and the Teams
 * refresh (the viewer's own card). Every click is checked against policy server-side (whatever buttons the card
 * showed) and is ONE store transition keyed by the click (the same click twice counts once; different approvers at
 * once all count, for N-of-M); after the commit every copy of the card is updated in place, the requester is told,
 * and the clicker gets their own view back at once. Nothing here waits for ARM: an approval that completes a
 * request only kicks the registry worker.
 */
import { durationChoices, readDuration } from '../../core/approvals/index.js';
import { DECISION_FORM_WORDS, REASON_NEEDED } from '../../core/approvals/form-words.js';
import { formatDuration } from '../../core/policy/duration.js';
import { canApprove, canCancel, canDeny, canNarrow, canRevoke, policyFor } from '../../core/policy/evaluate.js';
import { cleanupNews } from '../../core/quota/index.js';
import { partyName } from '../../core/people.js';
import { nameOf, partyOf, type AccessRequest } from '../../core/requests/index.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import { ClickSteps, isRequester, private_, reasonOf } from './click-steps.js';
import { decisionFormView, durationText, notice } from './views.js';

export class Decisions extends ClickSteps {
  // ---- approve ----------------------------------------------------------------------------------------------------

  async approve(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const verdict = canApprove(this.ctx.policy, action.actor, r, this.ctx.people.names);
    if (!verdict.ok) {
      if (verdict.code === 'already_approved') return this.view(r, action, verdict.reason);
      return this.refuse(action, r, verdict);
    }
    const by = partyOf(action.actor);
    const out = await this.ctx.store.transition(
      r.id,
      { type: 'approve', by, as: verdict.as, comment: reasonOf(action.data) },
      { idempotencyKey: this.clickKey(action, r) },
    );
    return this.settle(action, out, (next) => {
      const done = next.status === 'approved';
      const glass = verdict.as === 'break_glass';
      return {
        banner: done
          ? next.kind === 'cleanup'
            ? cleanupNews(next, 'approved')
            : glass
              ? 'Break-glass confirmed: the bot is adding the rule, and every approver is being told.'
              : 'Approved: the bot is adding the rule now. Everyone sees the card change.'
          : `Your approval is recorded (${next.approvals.length} of ${next.requiredApprovals}).`,
        effects: async () => {
          if (done) this.worker.kick(next.registry.id);
          await this.publisher.refresh(next);
          if (glass) {
            const loud = `BREAK-GLASS: ${nameOf(by)} approved their own access to ${next.registry.name} (${next.rule} ${durationText(next.durationMs)}). Reason: ${next.reason}. Review it, and revoke if it was not warranted.`;
            await this.publisher.tellApprovers(next, loud);
            await this.publisher.tellApproverChannels(next, notice('warning', 'Break-glass access', loud));
          } else if (done && next.kind === 'cleanup') {
            await this.publisher.tellRequester(next, cleanupNews(next, 'approved'));
          } else if (done) {
            await this.publisher.tellRequester(
              next,
              `Approved by ${next.approvals.map((a) => partyName(a.by, this.ctx.people.names)).join(', ')}: the bot is adding ${next.rule} to ${next.registry.name}.`,
            );
          }
        },
      };
    });
  }

  // ---- deny -------------------------------------------------------------------------------------------------------

  async denyForm(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canDeny(this.ctx.policy, action.actor, r, this.ctx.people.names);
    if (!ok.ok) return this.refuse(action, r, ok);
    if (isRequester(r, action))
      return private_(notice('info', 'Use Cancel', 'To withdraw your own request, use Cancel.'));
    const form = decisionFormView('deny', r, {
      title: `Deny ${r.rule} on ${r.registry.name} for ${nameOf(r.requester)}?`,
      reasonRequired: true,
    });
    return { reply: { type: 'decision_form', form }, delivery: 'form' };
  }

  async deny(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canDeny(this.ctx.policy, action.actor, r, this.ctx.people.names);
    if (!ok.ok) return this.refuse(action, r, ok);
    if (isRequester(r, action))
      return private_(notice('info', 'Use Cancel', 'To withdraw your own request, use Cancel.'));
    const reason = reasonOf(action.data);
    if (!reason) return private_(notice('info', REASON_NEEDED, DECISION_FORM_WORDS.deny.reason!.missing));
    const by = partyOf(action.actor);
    const out = await this.ctx.store.transition(
      r.id,
      { type: 'deny', by, reason },
      { idempotencyKey: this.clickKey(action, r) },
    );
    return this.settle(action, out, (next) => ({
      banner: 'Denied. The requester is told, with your reason.',
      effects: async () => {
        await this.publisher.refresh(next);
        await this.publisher.tellRequester(next, `Denied by ${nameOf(by)}: ${reason}`);
      },
    }));
  }

  // ---- narrow -----------------------------------------------------------------------------------------------------

  private narrowChoices(r: AccessRequest) {
    const p = policyFor(this.ctx.policy, r.registry);
    return durationChoices({ maxMs: p.durations.maxMs, below: r.durationMs });
  }

  async narrowForm(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canNarrow(this.ctx.policy, action.actor, r, this.ctx.people.names);
    if (!ok.ok) return this.refuse(action, r, ok);
    const choices = this.narrowChoices(r);
    if (choices.length === 0)
      return private_(
        notice(
          'info',
          'Already as short as it gets',
          `${r.rule} is asked ${durationText(r.durationMs)}; there is no shorter choice.`,
        ),
      );
    const form = decisionFormView('narrow', r, {
      title: `Shorten ${r.rule} on ${r.registry.name} (now ${durationText(r.durationMs)})`,
      durations: choices,
      defaultDuration: choices.at(-1)!.value,
      reasonRequired: false,
    });
    return { reply: { type: 'decision_form', form }, delivery: 'form' };
  }

  async narrow(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canNarrow(this.ctx.policy, action.actor, r, this.ctx.people.names);
    if (!ok.ok) return this.refuse(action, r, ok);
    const d = readDuration(action.data.duration);
    if (d === null || d === 'invalid' || d === 'permanent')
      return private_(
        notice('info', 'Choose a shorter duration', 'Narrowing only shortens: pick one of the listed durations.'),
      );
    const by = partyOf(action.actor);
    const out = await this.ctx.store.transition(
      r.id,
      { type: 'narrow', by, durationMs: d.ms },
      { idempotencyKey: `${this.clickKey(action, r)}:${d.ms}` },
    );
    return this.settle(action, out, (next) => ({
      banner: `Shortened to ${formatDuration(d.ms)}.`,
      effects: async () => {
        await this.publisher.refresh(next);
        if (!isRequester(r, action))
          await this.publisher.tellRequester(next, `${nameOf(by)} shortened your request to ${formatDuration(d.ms)}.`);
      },
    }));
  }

  // ---- cancel, retry ----------------------------------------------------------------------------------------------

  async cancel(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canCancel(this.ctx.policy, action.actor, r);
    if (!ok.ok) return this.refuse(action, r, ok);
    const by = partyOf(action.actor);
    const out = await this.ctx.store.transition(
      r.id,
      { type: 'cancel', by, reason: reasonOf(action.data) },
      { idempotencyKey: this.clickKey(action, r) },
    );
    return this.settle(action, out, (next) => ({
      banner: 'Cancelled.',
      effects: async () => {
        await this.publisher.refresh(next);
        if (!isRequester(r, action)) await this.publisher.tellRequester(next, `${nameOf(by)} cancelled your request.`);
      },
    }));
  }

  async retry(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const ok = canRevoke(this.ctx.policy, action.actor, r);
    if (!ok.ok) return this.refuse(action, r, ok);
    const out = await this.ctx.store.transition(
      r.id,
      { type: 'start_apply', by: partyOf(action.actor) },
      { idempotencyKey: this.clickKey(action, r) },
    );
    return this.settle(action, out, (next) => ({
      banner: 'Trying again: the bot re-reads the registry and adds the rule.',
      effects: async () => {
        this.worker.kick(next.registry.id, { immediate: true });
        await this.publisher.refresh(next);
      },
    }));
  }

  // ---- refresh ----------------------------------------------------------------------------------------------------

  /** Teams Universal Actions refresh: the viewer's own card, with the buttons they may use. */
  async refresh(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    return this.view(r, action);
  }
}
