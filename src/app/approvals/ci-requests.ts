/**
 * Access requests from CI jobs (the access API): a verified workload identity asks for its runner's address on a
 * registry. The same steps as a chat request, on the same engine: policy plans the terms (core planCiRequest: the
 * `ci:` entry, then every chat guardrail within the CI limits), a fresh read of the registry refuses what a rule
 * cannot fix (SKU, public access, quota, a named Azure service's address), the request is created, then either the
 * policy entry approves it at once (`auto_approve`) and the registry worker applies it, or its card goes to the
 * registry's approvers in the notify channels and DMs. Refusals are audited with the identity and its subject.
 */
import { addressRefusal, coveringRule, registryRefusal } from '../../core/approvals/index.js';
import { ciIdentityFor, planCiRequest, type Workload } from '../../core/policy/ci.js';
import type { CiIdentity, NamedRegistry } from '../../core/policy/types.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { newRequestFrom, nameOf, type AccessRequest, type Party } from '../../core/requests/index.js';
import { AzureError } from '../azure-error.js';
import type { CiSubmission } from './ci-ask.js';
import { ciRequestView, isOwnRequest, type CiRequestView } from './ci-views.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import type { RegistryWorker } from './worker.js';

export type CiFailureKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable';
export interface CiFailure {
  ok: false;
  kind: CiFailureKind;
  code: string;
  reason: string;
}
export type CiOutcome =
  | { ok: true; view: CiRequestView; created: boolean }
  | { ok: true; alreadyAllowed: { registry: string; rule: string; ip: string } }
  | CiFailure;

const fail = (kind: CiFailureKind, code: string, reason: string): CiFailure => ({ ok: false, kind, code, reason });

/** The workload as the audit log and cards name it; `entry` once policy has said which one it is. */
export function workloadParty(w: Workload, entry: CiIdentity | null): Party {
  return {
    platform: 'workload',
    id: w.objectId,
    email: null,
    displayName: entry ? entry.name : `workload ${w.appId}`,
    workload: {
      appId: w.appId,
      tenantId: w.tenantId,
      subject: w.subject?.value ?? null,
      issuer: w.subject?.issuer ?? null,
      source: entry?.source ?? 'none',
    },
  };
}

export class CiRequests {
  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
    private readonly worker: RegistryWorker,
  ) {}

  private async refuse(w: Workload, about: NamedRegistry | null, rule: string | null, code: string, reason: string) {
    const actor = workloadParty(w, null);
    try {
      await this.ctx.store.appendAudit({
        at: this.ctx.clock.now().toISOString(),
        type: 'refused',
        requestId: null,
        registryId: about?.id || null,
        registryName: about?.name ?? null,
        rule,
        actor,
        fromStatus: null,
        toStatus: null,
        before: null,
        after: null,
        correlationId: null,
        summary: `${nameOf(actor)} was refused a CI access request: ${reason}`,
        details: { code, via: 'access API', ...actor.workload },
      });
    } catch (err) {
      this.ctx.logger.warn({ err, code }, 'could not record a refused CI request in the audit log');
    }
    this.ctx.logger.info(
      { code, appId: w.appId, objectId: w.objectId, subject: w.subject?.value },
      'CI request refused',
    );
    return fail('forbidden', code, reason);
  }

  /** Which registry: one the bot can read, named unambiguously. */
  private async resolve(ask: CiSubmission): Promise<RegistrySnapshot | CiFailure> {
    try {
      const found = await this.ctx.gateway.findRegistry(ask.registry);
      if (found.status === 'found') return this.ctx.gateway.readRegistry(found.registry.id);
      if (found.status === 'ambiguous')
        return fail(
          'invalid',
          'ambiguous_registry',
          `Several registries match "${ask.registryText}": name it by login server or resource id (${found.candidates.map((c) => c.loginServer).join(', ')}).`,
        );
      if (found.status === 'no_access')
        return fail('unavailable', 'no_access', `The bot may not read ${ask.registryText}: ${found.message}`);
      return fail('not_found', 'registry_not_found', `The bot sees no registry "${ask.registryText}".`);
    } catch (err) {
      if (err instanceof AzureError) return fail('unavailable', 'azure', `Azure did not answer: ${err.message}`);
      throw err;
    }
  }

  async submit(w: Workload, ask: CiSubmission): Promise<CiOutcome> {
    // Who first, before any Azure read: a stranger costs nothing but its audit row.
    const guess = { id: '', name: ask.registry.kind === 'name' ? ask.registry.name : ask.registryText };
    const early = ciIdentityFor(this.ctx.policy, w, guess);
    if (!early.ok && early.code !== 'registry_not_allowed') return this.refuse(w, null, null, early.code, early.reason);

    const registry = await this.resolve(ask);
    if ('ok' in registry) return registry;
    const ref = { id: registry.id, name: registry.name };
    const terms = planCiRequest(this.ctx.policy, w, {
      registry: ref,
      rule: `${ask.ip}/32`,
      duration: ask.duration,
      reason: ask.reason,
      ticket: ask.ticket,
    });
    if (!terms.ok) {
      const who = ['ci_off', 'unknown_workload', 'subject_not_allowed', 'registry_not_allowed', 'no_approvers'];
      if (who.includes(terms.code)) return this.refuse(w, ref, `${ask.ip}/32`, terms.code, terms.reason);
      return fail('invalid', terms.code, terms.reason + (terms.suggestion ? ` (${terms.suggestion})` : ''));
    }

    const covering = coveringRule(registry.ipRules, terms.rule);
    if (covering !== null) return { ok: true, alreadyAllowed: { registry: registry.name, rule: covering, ip: ask.ip } };
    const waiting = await this.ctx.store.listRequests({
      registry: registry.id,
      status: ['approved', 'applying'],
      limit: 500,
    });
    const unfit = registryRefusal(
      registry,
      terms.rule,
      waiting.map((r) => r.rule),
    );
    if (unfit) return fail('conflict', unfit.code, unfit.reason);
    try {
      const owner = (
        await this.ctx.gateway.inspect({ loginServer: registry.loginServer, registryName: null, ip: ask.ip })
      ).ipOwner;
      const unfitAddress = addressRefusal(ask.ip, owner);
      if (unfitAddress) return fail('invalid', unfitAddress.code, unfitAddress.reason);
    } catch (err) {
      if (err instanceof AzureError) return fail('unavailable', 'azure', `Azure did not answer: ${err.message}`);
      throw err;
    }

    const requester = workloadParty(w, terms.identity);
    const created = await this.ctx.store.createRequest(
      newRequestFrom(terms, {
        requester,
        channel: null,
        registry: { id: registry.id, name: registry.name, loginServer: registry.loginServer },
      }),
    );
    if (!created.ok) return fail('invalid', 'invalid_request', created.reason);
    let r = created.request;
    this.ctx.logger.info(
      {
        requestId: r.id,
        registry: r.registry.name,
        rule: r.rule,
        identity: terms.identity.name,
        approval: terms.identity.approval,
      },
      'CI access requested',
    );
    if (terms.identity.approval === 'auto') {
      const out = await this.ctx.store.transition(r.id, {
        type: 'auto_approve',
        rule: terms.identity.name,
        source: terms.identity.source,
      });
      if (out.ok) {
        r = out.request;
        this.worker.kick(r.registry.id);
      }
    }
    const approved = r;
    const banner =
      approved.status === 'approved'
        ? `Approved by policy (${terms.identity.source}): the bot is adding ${approved.rule} for the CI job.`
        : null;
    this.ctx.background('cards: CI request', () => this.publisher.announce(approved, null, { banner }));
    return { ok: true, view: ciRequestView(approved), created: true };
  }

  /** The caller's own request, or not found (someone else's is not shown, nor said to exist). */
  private async own(w: Workload, id: string): Promise<AccessRequest | CiFailure> {
    const r = /^[0-9a-f-]{36}$/i.test(id) ? await this.ctx.store.getRequest(id) : null;
    if (!r || !isOwnRequest(r, workloadParty(w, null)))
      return fail('not_found', 'not_found', 'No request with this id was made by this workload identity.');
    return r;
  }

  async status(w: Workload, id: string): Promise<CiOutcome> {
    const r = await this.own(w, id);
    return 'ok' in r ? r : { ok: true, view: ciRequestView(r), created: false };
  }

  /** End the grant early (revoke), or withdraw a request still waiting for approvers (cancel). */
  async release(w: Workload, id: string): Promise<CiOutcome> {
    const r = await this.own(w, id);
    if ('ok' in r) return r;
    const by = { ...r.requester, workload: { ...r.requester.workload!, subject: w.subject?.value ?? null } };
    if (r.status === 'approved' || r.status === 'applying')
      return fail('conflict', 'being_applied', 'The rule is being added right now; release it again in a few seconds.');
    if (r.status !== 'pending' && r.status !== 'applied') return { ok: true, view: ciRequestView(r), created: false };
    const out = await this.ctx.store.transition(
      r.id,
      r.status === 'pending'
        ? { type: 'cancel', by, reason: 'released by the CI job' }
        : { type: 'revoke', by, reason: 'released by the CI job' },
    );
    if (!out.ok) {
      if (out.request) return { ok: true, view: ciRequestView(out.request), created: false };
      return fail('not_found', out.code, out.reason);
    }
    const next = out.request;
    this.ctx.background('after CI release', async () => {
      if (next.status === 'revoked') this.worker.kick(next.registry.id, { immediate: true });
      await this.publisher.refresh(next);
    });
    return { ok: true, view: ciRequestView(next), created: false };
  }
}
