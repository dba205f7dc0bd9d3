/**
 * Request access: the Request access button opens a form, the form's submit creates the request.
 * Both steps re-check everything against policy and a fresh read of the registry, and refuse with the reason
 * before any approver sees a request: a refused request makes zero ARM writes.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../core/actor.js';
import type { IpOwner } from '../../core/diagnosis.js';
import { APPROVAL_VERBS } from '../../core/approval-views.js';
import { addressRefusal, coveringRule, readDuration, readStart, registryRefusal } from '../../core/approvals/index.js';
import { REQUEST_FORM_WORDS } from '../../core/approvals/form-words.js';
import { classifyIp } from '../../core/ip.js';
import { canRequest, checkRule } from '../../core/policy/evaluate.js';
import { matchApprover, verifyIdentity } from '../../core/policy/identity.js';
import { planRequest } from '../../core/policy/plan.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { newRequestFrom, partyOf, type AccessRequest } from '../../core/requests/index.js';
import { AzureError } from '../azure-error.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import { azureNotice } from '../diagnose.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import { recordRefusal } from './refusals.js';
import { autoApprove } from './auto-approve.js';
import { answerView } from './copies.js';
import { nameApprovers } from './names.js';
import { applyBreakGlass, breakGlassNotice } from './break-glass.js';
import { channelOf, FORM_ID, isTrue, private_, readAsk, refused, type Asked } from './request-ask.js';
import { approvedByRuleText, durationText, notice, when, requestFormView } from './views.js';
import type { RegistryWorker } from './worker.js';

export class RequestAccess {
  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
    private readonly worker: RegistryWorker,
  ) {}

  /** Policy checks that need no Azure read: who, where, which rule. */
  private policyCheck(
    action: IncomingAction,
    ask: Asked,
  ): { ok: true; breakGlass: boolean } | { ok: false; result: Promise<ActionResult> } {
    const channel = channelOf(action.conversation);
    const allowed = canRequest(this.ctx.policy, action.actor, channel, ask.registry);
    if (!allowed.ok) {
      const audited = allowed.code === 'channel_not_allowed' || allowed.code === 'unknown_identity';
      return {
        ok: false,
        result: (audited
          ? recordRefusal(this.ctx, action, null, { code: allowed.code, reason: allowed.reason }, ask)
          : Promise.resolve()
        ).then(() => refused(allowed.reason)),
      };
    }
    const rule = checkRule(allowed.policy, ask.rule);
    if (!rule.ok)
      return {
        ok: false,
        result: Promise.resolve(refused(rule.reason + (rule.suggestion ? ` Did you mean ${rule.suggestion}?` : ''))),
      };
    const p = allowed.policy;
    const who = verifyIdentity(action.actor);
    const breakGlass =
      p.breakGlass.enabled &&
      (p.breakGlass.allowedFor === 'requesters' || (who.ok && matchApprover(who.identity, p.approvers) !== null)) &&
      rule.prefixLength === 32;
    return { ok: true, breakGlass };
  }

  /** A fresh read and what it says about this rule: refused, already covered, or the facts to go on with. */
  private async registryCheck(
    ask: Asked,
  ): Promise<{ ok: true; registry: RegistrySnapshot; owner: IpOwner | null } | { ok: false; result: ActionResult }> {
    let registry: RegistrySnapshot;
    try {
      registry = await this.ctx.gateway.readRegistry(ask.registry.id);
    } catch (err) {
      if (!(err instanceof AzureError)) throw err;
      if (err.kind === 'not_found')
        return { ok: false, result: refused(`${ask.registry.name} no longer exists or moved: Azure did not find it.`) };
      return { ok: false, result: private_(azureNotice(err, `reading ${ask.registry.name}`)) };
    }
    const covering = coveringRule(registry.ipRules, ask.rule);
    if (covering !== null) {
      return {
        ok: false,
        result: private_(
          notice(
            'info',
            'Already allowed',
            `${ask.rule} is already admitted on ${registry.name} by the rule ${covering}, so there is nothing to request. A rule added in the last few minutes may not have taken effect yet; if the error continues, the client probably leaves by another address.`,
          ),
        ),
      };
    }
    const waiting = await this.ctx.store.listRequests({
      registry: registry.id,
      status: ['approved', 'applying'],
      limit: 500,
    });
    const unfit = registryRefusal(
      registry,
      ask.rule,
      waiting.filter((r) => r.registry.id.toLowerCase() === registry.id.toLowerCase()).map((r) => r.rule),
    );
    if (unfit) return { ok: false, result: refused(unfit.reason) };
    // The card's decision too: a named Azure service's range (or a non-public address) is never requestable.
    let owner: IpOwner | null;
    try {
      owner = (await this.ctx.gateway.inspect({ loginServer: registry.loginServer, registryName: null, ip: ask.ip }))
        .ipOwner;
    } catch (err) {
      if (!(err instanceof AzureError)) throw err;
      return { ok: false, result: private_(azureNotice(err, `looking up ${ask.ip}`)) };
    }
    const unfitAddress = addressRefusal(ask.ip, owner);
    if (unfitAddress) return { ok: false, result: refused(unfitAddress.reason) };
    return { ok: true, registry, owner };
  }

  /** An open request by the same person for the same rule: show it instead of making another. */
  private async existing(actor: Actor, registryId: string, rule: string): Promise<AccessRequest | null> {
    const mine = await this.ctx.store.listRequests({
      registry: registryId,
      rule,
      requesterId: actor.id,
      status: ['pending', 'approved', 'applying'],
      limit: 10,
    });
    return (
      mine.find(
        (r) =>
          r.kind === 'grant' &&
          r.registry.id.toLowerCase() === registryId.toLowerCase() &&
          r.requester.platform === actor.platform,
      ) ?? null
    );
  }

  /** `request_access`: validate, read the registry, and answer with the form (or the reason it cannot be asked). */
  async open(action: IncomingAction): Promise<ActionResult> {
    const ask = readAsk(action.data);
    if ('refusal' in ask) return refused(ask.refusal);
    const pc = this.policyCheck(action, ask);
    if (!pc.ok) return pc.result;
    const dup = await this.existing(action.actor, ask.registry.id, ask.rule);
    if (dup) return answerView(this.ctx, dup, action, 'You already asked for this; here is where it stands.');
    // Approvers' names come beside the registry read, never after it: the form waits for that read anyway.
    const [rc] = await Promise.all([
      this.registryCheck(ask),
      nameApprovers(this.ctx, ask.registry, action.conversation),
    ]);
    if (!rc.ok) return rc.result;
    const allowed = canRequest(this.ctx.policy, action.actor, channelOf(action.conversation), ask.registry);
    if (!allowed.ok) return refused(allowed.reason);
    const notes: string[] = [];
    if (classifyIp(ask.ip) === 'documentation')
      notes.push(`${ask.ip} is a documentation-range address: fine for a demo, not a real client.`);
    const form = requestFormView({
      policy: this.ctx.policy,
      names: this.ctx.people.names,
      registryPolicy: allowed.policy,
      registry: { id: rc.registry.id, name: rc.registry.name, loginServer: rc.registry.loginServer },
      ip: ask.ip,
      rule: ask.rule,
      ruleCount: rc.registry.ipRules.length,
      breakGlassAvailable: pc.breakGlass,
      submitData: { registryId: rc.registry.id, rule: ask.rule, ip: ask.ip, formId: randomUUID() },
      notes: notes.filter((n) => !n.includes('documentation')), // riskFlags says it too
      now: this.ctx.clock.now(),
    });
    return { reply: { type: 'request_form', form }, delivery: 'form' };
  }

  /** `submit_request`: everything again (a form can be stale), then the request, its cards and the answer. */
  async submit(action: IncomingAction): Promise<ActionResult> {
    const ask = readAsk(action.data);
    if ('refusal' in ask) return refused(ask.refusal);
    const pc = this.policyCheck(action, ask);
    if (!pc.ok) return pc.result;
    const duration = readDuration(action.data.duration);
    if (duration === 'invalid') return refused(REQUEST_FORM_WORDS.duration.invalid);
    const breakGlass = isTrue(action.data.breakGlass);
    const reason = typeof action.data.reason === 'string' ? action.data.reason : null;
    const startsAt = readStart(action.data);
    if (startsAt === 'invalid') return refused(REQUEST_FORM_WORDS.start.invalid);
    const channel = channelOf(action.conversation);
    const terms = planRequest(this.ctx.policy, {
      actor: action.actor,
      channel,
      registry: ask.registry,
      rule: ask.rule,
      duration,
      reason,
      ticket: typeof action.data.ticket === 'string' ? action.data.ticket : null,
      breakGlass,
      startsAt,
      now: this.ctx.clock.now(),
    });
    if (!terms.ok) {
      if (
        terms.code === 'channel_not_allowed' ||
        terms.code === 'unknown_identity' ||
        terms.code === 'break_glass_not_allowed'
      ) {
        await recordRefusal(this.ctx, action, null, { code: terms.code, reason: terms.reason }, ask);
      }
      return refused(terms.reason);
    }
    const formId =
      typeof action.data.formId === 'string' && FORM_ID.test(action.data.formId) ? action.data.formId : null;
    const key = formId
      ? `${APPROVAL_VERBS.submitRequest}:${formId}:${action.actor.platform}:${action.actor.id.toLowerCase()}`
      : undefined;
    if (!key) {
      const dup = await this.existing(action.actor, ask.registry.id, terms.rule);
      if (dup) return answerView(this.ctx, dup, action, 'You already asked for this; here is where it stands.');
    }
    const rc = await this.registryCheck({ ...ask, rule: terms.rule });
    if (!rc.ok) return rc.result;

    const created = await this.ctx.store.createRequest(
      newRequestFrom(terms, {
        requester: partyOf(action.actor),
        channel,
        registry: { id: rc.registry.id, name: rc.registry.name, loginServer: rc.registry.loginServer },
      }),
      key ? { idempotencyKey: key } : {},
    );
    if (!created.ok) return refused(created.reason);
    let r = created.request;
    if (created.duplicate)
      return answerView(this.ctx, r, action, 'This form was already submitted; here is the request it made.');
    this.ctx.logger.info(
      { requestId: r.id, registry: r.registry.name, rule: r.rule, breakGlass: r.breakGlass },
      'access requested',
    );

    r = r.breakGlass
      ? await applyBreakGlass(this.ctx, this.worker, r, action.actor)
      : await autoApprove(this.ctx, this.worker, r, terms.registryPolicy, rc.owner);
    const thread = action.conversation;
    const announced = r;
    const byRule = r.approvedByRule ? approvedByRuleText(r) : null;
    const glass = r.breakGlass && r.status !== 'pending' ? breakGlassNotice(r, r.requester) : null;
    this.ctx.background('cards: new request', async () => {
      await this.publisher.announce(announced, thread, { banner: byRule ?? glass, loud: glass !== null });
      if (glass) await this.publisher.tellApproverChannels(announced, notice('warning', 'Break-glass access', glass));
    });
    const said = [
      byRule !== null
        ? byRule
        : glass !== null
          ? `Break-glass applied: the bot is adding ${r.rule} to ${r.registry.name} now, and every approver is told.`
          : r.breakGlass
            ? `Break-glass is not allowed for you here, so the request waits for ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}.`
            : `Request sent: ${r.rule} on ${r.registry.name} ${durationText(r.durationMs)}${r.startsAt ? ` from ${when(r.startsAt)}` : ''}, waiting for ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}. You get a message when it is decided.`,
      ...terms.notes.filter((n) => !n.startsWith('Break-glass')),
    ].join(' ');
    return answerView(this.ctx, r, action, said);
  }
}
