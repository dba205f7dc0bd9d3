/**
 * Clicks on a request card: approve, deny, narrow, cancel, retry, extend, revoke, refresh.
 *
 * Every click: who clicked is checked against policy server-side (whatever buttons the card showed); refusals are
 * answered privately (and audited when they are about authority); a decision is ONE store transition keyed by the
 * click (the same click twice counts once; different approvers at once all count, for N-of-M); after the commit,
 * every copy of the card is updated in place, the requester is told, and the clicker gets their own view back at
 * once. Nothing here waits for ARM: an approval that completes a request only kicks the registry worker.
 */
import { durationChoices, readDuration } from '../../core/approvals/index.js';
import { formatDuration } from '../../core/policy/duration.js';
import {
  canApprove,
  canCancel,
  canDeny,
  canNarrow,
  canRequest,
  canRevoke,
  clampDuration,
  policyFor,
} from '../../core/policy/evaluate.js';
import { samePerson } from '../../core/policy/identity.js';
import { MAX_REASON } from '../../core/policy/plan.js';
import type { Refusal } from '../../core/policy/types.js';
import { cleanupNews } from '../../core/quota/index.js';
import { nameOf, partyOf, type AccessRequest, type RequestEvent } from '../../core/requests/index.js';
import type { Reply } from '../../core/reply.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import type { TransitionOutcome } from '../store.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import { recordRefusal } from './refusals.js';
import { channelOf } from './request-ask.js';
import { decisionFormView, durationText, notice, personalView, requestReply, when } from './views.js';
import type { RegistryWorker } from './worker.js';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Refusal codes that are about authority (audited), not about timing. */
const AUTHORITY = new Set([
  'no_policy',
  'unknown_identity',
  'not_an_approver',
  'self_approval',
  'not_requester',
  'channel_not_allowed',
]);

function private_(reply: Reply): ActionResult {
  return { reply, delivery: 'private' };
}

function reasonOf(data: Record<string, unknown>): string | null {
  const r = data.reason;
  if (typeof r !== 'string') return null;
  const t = r.trim().slice(0, MAX_REASON);
  return t === '' ? null : t;
}

function isRequester(r: AccessRequest, action: IncomingAction): boolean {
  return samePerson(r.requester, { platform: action.actor.platform, id: action.actor.id, email: action.actor.email });
}

export class Decisions {
  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
    private readonly worker: RegistryWorker,
  ) {}

  // ---- shared steps -----------------------------------------------------------------------------------------------

  private async load(action: IncomingAction): Promise<AccessRequest | ActionResult> {
    const id = action.data.requestId;
    if (typeof id !== 'string' || !REQUEST_ID.test(id))
      return private_(notice('error', 'Unknown request', 'This button does not name a request the bot knows.'));
    const r = await this.ctx.store.getRequest(id);
    if (!r)
      return private_(
        notice(
          'warning',
          'Request not found',
          'The bot has no record of this request (it may come from another installation of the bot).',
        ),
      );
    return r;
  }

  /** The same person clicking the same button on the same version of the card is one click. */
  private clickKey(action: IncomingAction, r: AccessRequest): string {
    const v =
      typeof action.data.version === 'number' || typeof action.data.version === 'string'
        ? String(action.data.version).slice(0, 12)
        : 'x';
    return `click:${action.verb}:${r.id}:${action.actor.platform}:${action.actor.id.toLowerCase()}:v${v}`;
  }

  private view(r: AccessRequest, action: IncomingAction, banner: string | null = null): ActionResult {
    return private_(requestReply(personalView(this.ctx.policy, r, action.actor, banner)));
  }

  private async refuse(action: IncomingAction, r: AccessRequest, refusal: Refusal): Promise<ActionResult> {
    if (AUTHORITY.has(refusal.code)) {
      await recordRefusal(this.ctx, action, r, refusal);
      return private_(notice('warning', 'Not authorized', refusal.reason));
    }
    if (refusal.code === 'not_pending') return this.view(r, action, refusal.reason);
    return private_(notice('info', 'Nothing to do', refusal.reason));
  }

  /** A transition's outcome as the clicker's answer; `after` runs the side effects of a change that was made. */
  private async settle(
    action: IncomingAction,
    out: TransitionOutcome,
    after: (r: AccessRequest) => { banner: string; effects: () => Promise<void> },
  ): Promise<ActionResult> {
    if (!out.ok) {
      if (out.request === null) return private_(notice('warning', 'Request not found', out.reason));
      if (out.code === 'self_approval')
        return this.refuse(action, out.request, { ok: false, code: 'self_approval', reason: out.reason });
      if (out.code === 'already_decided' || out.code === 'invalid_transition' || out.code === 'stale')
        return this.view(out.request, action, out.reason);
      if (out.code === 'already_approved') return this.view(out.request, action, out.reason);
      return private_(notice('warning', 'Not done', out.reason));
    }
    if (out.duplicate)
      return this.view(out.request, action, 'Your click was already counted; here is where the request stands.');
    const { banner, effects } = after(out.request);
    this.ctx.background(`after ${action.verb}`, effects);
    // The card clicked showed an older version (another approval, a narrowing): say so, the answer shows it as it is.
    const shown = Number(action.data.version);
    const stale = Number.isInteger(shown) && shown > 0 && shown < out.request.version - 1;
    return this.view(
      out.request,
      action,
      stale ? `${banner} (Your card was out of date; this is the request as it is now.)` : banner,
    );
  }

  // ---- approve ----------------------------------------------------------------------------------------------------

  async approve(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    const verdict = canApprove(this.ctx.policy, action.actor, r);
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
              `Approved by ${next.approvals.map((a) => nameOf(a.by)).join(', ')}: the bot is adding ${next.rule} to ${next.registry.name}.`,
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
    const ok = canDeny(this.ctx.policy, action.actor, r);
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
    const ok = canDeny(this.ctx.policy, action.actor, r);
    if (!ok.ok) return this.refuse(action, r, ok);
    if (isRequester(r, action))
      return private_(notice('info', 'Use Cancel', 'To withdraw your own request, use Cancel.'));
    const reason = reasonOf(action.data);
    if (!reason)
      return private_(notice('info', 'A reason is needed', 'Say why you deny it: the requester sees the reason.'));
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
    const ok = canNarrow(this.ctx.policy, action.actor, r);
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
    const ok = canNarrow(this.ctx.policy, action.actor, r);
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
      return private_(notice('info', 'A reason is needed', 'Say why you need longer: approvers see the reason.'));
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

  // ---- refresh ----------------------------------------------------------------------------------------------------

  /** Teams Universal Actions refresh: the viewer's own card, with the buttons they may use. */
  async refresh(action: IncomingAction): Promise<ActionResult> {
    const r = await this.load(action);
    if (!('id' in r)) return r;
    return this.view(r, action);
  }
}
