/**
 * The registry worker: the only code that writes a registry's firewall.
 *
 * One run per registry at a time across every instance (Store.withRegistryLock: a PostgreSQL advisory lock, or a
 * process lock on SQLite). A run, holding the lock:
 *   1. resolves operations a previous run left open (a restart, a poll that failed): wait on the saved poller, then
 *      re-read and look; only what the registry shows decides success;
 *   2. takes every approved request of the registry at once (approvals that arrived during the debounce share one
 *      PATCH), re-reads the rules, adds only what nothing covers, keeps every rule present at the read, records the
 *      operation BEFORE the PATCH and its poller right after, waits, re-reads to verify, and marks them applied
 *      with the before/after diff; transient ARM failures are retried with back-off (Retry-After honoured), then
 *      the requests fail retryable (a Retry button) or, for ARM's definitive refusals, for good;
 *   3. takes off the rules of grants that ended, except values the bot did not add or that an active grant still
 *      needs (that grant takes the value over).
 * Nothing is ever waited on in a chat turn: clicks kick() the worker and return.
 */
import type { AccessRequest, RequestEvent, RuleChange } from '../../core/requests/index.js';
import {
  addedBetween,
  missingRules,
  ownersOf,
  planAdditions,
  planRemovals,
  presentRules,
  registryRefusal,
} from '../../core/approvals/index.js';
import { sameRule } from '../../core/ip.js';
import { policyFor } from '../../core/policy/evaluate.js';
import { MAX_IP_RULES, type RegistrySnapshot } from '../../core/registry.js';
import { AzureError } from '../azure-error.js';
import { InFlight } from '../in-flight.js';
import { RegistryLockTimeoutError, type ApplyOperation, type Grant, type RegistryLock } from '../store.js';
import { failureOf, isTransient, isUnresolvable, Stopped, type FailureInfo } from './arm-errors.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import { when } from './views.js';

type Resolution = { status: 'succeeded' } | { status: 'failed'; error: FailureInfo } | { status: 'pending' };

interface Slot {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  dirty: boolean;
}

const idKey = (id: string): string => id.toLowerCase();

export class RegistryWorker {
  private readonly slots = new Map<string, Slot>();
  private readonly runs = new InFlight();
  private stopping = false;
  private readonly stopSignal = new AbortController();

  constructor(
    private readonly ctx: Ctx,
    private readonly publisher: Publisher,
  ) {}

  private get log() {
    return this.ctx.logger;
  }

  // ---- scheduling -------------------------------------------------------------------------------------------------

  /** Ask for a run on this registry: after the debounce (so approvals arriving together batch), or at once. */
  kick(registryId: string, opts: { immediate?: boolean } = {}): void {
    if (this.stopping) return;
    const key = idKey(registryId);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { timer: null, running: null, dirty: false };
      this.slots.set(key, slot);
    }
    if (slot.running) {
      slot.dirty = true;
      return;
    }
    if (slot.timer) return;
    const s = slot;
    s.timer = setTimeout(
      () => {
        s.timer = null;
        s.running = this.runs.track(
          this.run(registryId).finally(() => {
            s.running = null;
            if (s.dirty && !this.stopping) {
              s.dirty = false;
              this.kick(registryId);
            } else if (!s.timer) this.slots.delete(key);
          }),
        );
      },
      opts.immediate ? 0 : this.ctx.settings.debounceMs,
    );
  }

  /** Resolves when no run is scheduled or running (tests wait on this instead of sleeping). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const slots = [...this.slots.values()];
      const running = slots.map((s) => s.running).filter((p): p is Promise<void> => p !== null);
      const waiting = slots.some((s) => s.timer !== null);
      if (running.length === 0 && !waiting) return;
      if (Date.now() > until) throw new Error(`registry worker still busy after ${timeoutMs} ms`);
      if (running.length > 0) await Promise.race([Promise.allSettled(running), new Promise((r) => setTimeout(r, 50))]);
      else await new Promise((r) => setTimeout(r, Math.min(50, this.ctx.settings.debounceMs + 1)));
    }
  }

  /** No new runs; a running one stops at its next resumable point (the operation is recorded), bounded. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort(new Stopped());
    for (const s of this.slots.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    }
    await this.runs.drain(this.ctx.settings.stopTimeoutMs);
  }

  private async run(registryId: string): Promise<void> {
    try {
      await this.ctx.store.withRegistryLock(registryId, (lock) => this.work(registryId, lock), {
        timeoutMs: this.ctx.settings.lockTimeoutMs,
      });
    } catch (err) {
      if (err instanceof Stopped) return;
      if (err instanceof RegistryLockTimeoutError) {
        // Another instance holds it and will see our requests when it lists them; the scheduler retries otherwise.
        this.log.info({ registryId }, 'registry busy on another instance; it takes our requests too');
        return;
      }
      this.log.error({ err, registryId }, 'registry worker run failed; the scheduler retries it');
    }
  }

  private checkpoint(lock: RegistryLock): void {
    if (this.stopping) throw new Stopped();
    if (lock.signal.aborted) throw new Error('lost the registry lock (database connection dropped)');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.stopSignal.signal.aborted) return reject(new Stopped());
      const t = setTimeout(() => {
        this.stopSignal.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new Stopped());
      };
      this.stopSignal.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A promise that rejects with Stopped when stop() is called, so a long wait can be left at a resumable point. */
  private untilStopped<T>(p: Promise<T>): Promise<T> {
    p.catch(() => undefined); // if we leave it, its rejection must not go unhandled
    return new Promise<T>((resolve, reject) => {
      if (this.stopSignal.signal.aborted) return reject(new Stopped());
      const onAbort = (): void => reject(new Stopped());
      this.stopSignal.signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          this.stopSignal.signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          this.stopSignal.signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  private backoff(attempt: number, failure: FailureInfo): Promise<void> {
    const s = this.ctx.settings;
    const exp = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempt - 1));
    const asked = failure.retryAfterSeconds !== null ? Math.min(s.retryMaxMs, failure.retryAfterSeconds * 1000) : 0;
    return this.sleep(Math.max(exp, asked));
  }

  // ---- one run ----------------------------------------------------------------------------------------------------

  private async work(registryId: string, lock: RegistryLock): Promise<void> {
    for (let round = 0; round < 10; round++) {
      this.checkpoint(lock);
      for (const op of await this.ctx.store.openOperations(registryId)) {
        const res = await this.resolve(op, lock);
        // Still running in Azure or unreadable: touch nothing else on this registry until it is known.
        if (res.status === 'pending') return;
      }
      const waiting = await this.ctx.store.requestsToApply(registryId);
      if (waiting.length > 0) {
        if (!(await this.applyBatch(registryId, waiting, lock))) return;
        continue;
      }
      const ended = await this.ctx.store.grantsAwaitingRemoval(registryId);
      if (ended.length > 0) {
        if (!(await this.removeEnded(registryId, ended, lock))) return;
        continue;
      }
      return;
    }
  }

  // ---- adding -----------------------------------------------------------------------------------------------------

  /** False when the run should end (stopped, or the registry is busy); true when it made progress. */
  private async applyBatch(registryId: string, requests: AccessRequest[], lock: RegistryLock): Promise<boolean> {
    const toStart = requests.filter((r) => r.status === 'approved');
    if (toStart.length > 0) {
      const out = await this.ctx.store.transitionAll(
        toStart.map((r) => ({ requestId: r.id, event: { type: 'start_apply', by: null } as RequestEvent })),
      );
      if (!out.ok) {
        this.log.warn(
          { registryId, requestId: out.request?.id, code: out.code },
          'could not start applying a batch; listing again',
        );
        return true;
      }
      for (const { request } of out.results)
        this.ctx.background('card: applying', () => this.publisher.refresh(request));
    }
    const batch = (await Promise.all(requests.map((r) => this.ctx.store.getRequest(r.id)))).filter(
      (r): r is AccessRequest => r !== null && r.status === 'applying',
    );
    for (const ext of batch.filter((r) => r.kind === 'extension')) await this.applyExtension(ext);
    const grants = batch.filter((r) => r.kind === 'grant');
    if (grants.length > 0) await this.applyGrants(registryId, grants, lock);
    return true;
  }

  private async applyGrants(registryId: string, requests: AccessRequest[], lock: RegistryLock): Promise<void> {
    let remaining = requests;
    let last: FailureInfo = { message: 'no attempt was made', retryable: true, retryAfterSeconds: null };
    for (let attempt = 1; attempt <= this.ctx.settings.applyAttempts; attempt++) {
      if (attempt > 1) await this.backoff(attempt - 1, last);
      this.checkpoint(lock);
      let fresh: RegistrySnapshot;
      try {
        fresh = await this.settledRead(registryId);
      } catch (err) {
        last = failureOf(err);
        if (!isTransient(err)) return this.fail(remaining, last.message, false);
        continue;
      }
      const unfit = registryRefusal(fresh, remaining[0]!.rule);
      if (unfit && unfit.code !== 'quota_full')
        return this.fail(remaining, `${unfit.reason} (the registry changed after the request was made)`, false);

      const plan = planAdditions(
        fresh.ipRules,
        remaining.map((r) => ({ id: r.id, rule: r.rule })),
      );
      const over = remaining.filter((r) => plan.outcomes.get(r.id)?.kind === 'over_quota');
      if (over.length > 0)
        await this.fail(
          over,
          `${fresh.name} has no room for another IP rule (ACR allows ${MAX_IP_RULES}); ask its owner to remove unused rules`,
          false,
        );
      remaining = remaining.filter((r) => plan.outcomes.get(r.id)?.kind !== 'over_quota');
      if (remaining.length === 0) return;

      // "before" for the audit and for rule ownership: the rules at the read, minus values an earlier attempt of these
      // very requests wrote (a write whose answer was lost still counts as the bot's).
      const claimed = await this.earlierWrites(remaining, fresh.ipRules);
      const before = fresh.ipRules.filter((v) => !claimed.some((c) => sameRule(c, v)));
      if (!plan.changed) {
        await this.markApplied(remaining, before, fresh.ipRules, null);
        return;
      }

      const write = await this.recordedWrite(lock, {
        registryId,
        kind: 'add',
        ids: remaining.map((r) => r.id),
        before,
        target: plan.target,
        defaultAction: fresh.defaultAction,
      });
      if ('submitError' in write) {
        last = failureOf(write.submitError);
        if (!isTransient(write.submitError)) return this.fail(remaining, last.message, false);
        continue;
      }
      const res = write.resolution;
      if (res.status === 'succeeded') return;
      if (res.status === 'pending') {
        if (this.stopping) throw new Stopped();
        return this.fail(
          remaining,
          'Azure has not confirmed the change yet; the bot checks again shortly (Retry does the same)',
          true,
        );
      }
      last = res.error;
      remaining = (await Promise.all(remaining.map((r) => this.ctx.store.getRequest(r.id)))).filter(
        (r): r is AccessRequest => r !== null && r.status === 'applying',
      );
      if (remaining.length === 0) return;
    }
    await this.fail(remaining, last.message, last.retryable);
  }

  /**
   * A read to plan a write from, taken again until two reads agree (at most 3 extra): ARM has no ETag, so a change
   * made just after our first read would otherwise be overwritten by a PATCH built from it. This narrows the window
   * to the moment between the last read and the PATCH; the re-read after the write catches what still slips through.
   */
  private async settledRead(registryId: string): Promise<RegistrySnapshot> {
    let fresh = await this.ctx.gateway.readRegistry(registryId);
    for (let i = 0; i < 3; i++) {
      const again = await this.ctx.gateway.readRegistry(registryId);
      const same =
        again.ipRules.length === fresh.ipRules.length &&
        again.ipRules.every((r, j) => r === fresh.ipRules[j]) &&
        again.defaultAction === fresh.defaultAction;
      fresh = again;
      if (same) break;
      this.log.info({ registryId }, 'the firewall changed between two reads; planning from the newer one');
    }
    return fresh;
  }

  /** Values an earlier, unconfirmed write of these requests added that are on the registry now. */
  private async earlierWrites(requests: AccessRequest[], rules: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const r of requests) {
      const op = await this.ctx.store.operationForRequest(r.id);
      if (op?.kind !== 'add') continue;
      for (const v of addedBetween(op.before, op.target))
        if (sameRule(v, r.rule) && presentRules(rules, [v]).length > 0) out.push(v);
    }
    return out;
  }

  private async markApplied(
    requests: AccessRequest[],
    before: string[],
    after: string[],
    correlationId: string | null,
  ): Promise<AccessRequest[]> {
    const out = await this.ctx.store.transitionAll(
      requests.map((r) => ({
        requestId: r.id,
        event: { type: 'applied', before, after, correlationId } as RequestEvent,
      })),
    );
    if (!out.ok) {
      this.log.error({ requestId: out.request?.id, code: out.code }, 'could not mark requests applied');
      return [];
    }
    for (const { request } of out.results) {
      this.ctx.background('cards: applied', async () => {
        await this.publisher.refresh(request);
        await this.publisher.tellRequester(
          request,
          request.endsAt
            ? `Applied: ${request.rule} is allowed on ${request.registry.name} until ${when(request.endsAt)}. Rules take a few minutes to take effect.`
            : `Applied: ${request.rule} is allowed on ${request.registry.name}. Rules take a few minutes to take effect.`,
        );
      });
    }
    return out.results.map((r) => r.request);
  }

  private async fail(requests: AccessRequest[], message: string, retryable: boolean): Promise<void> {
    const applying = requests.filter((r) => r.status === 'applying');
    if (applying.length === 0) return;
    const out = await this.ctx.store.transitionAll(
      applying.map((r) => ({ requestId: r.id, event: { type: 'fail', error: message, retryable } as RequestEvent })),
    );
    if (!out.ok) {
      this.log.error({ requestId: out.request?.id, code: out.code }, 'could not mark requests failed');
      return;
    }
    this.log.warn({ requests: applying.map((r) => r.id), retryable, error: message }, 'apply failed');
    for (const { request } of out.results) {
      this.ctx.background('cards: failed', async () => {
        await this.publisher.refresh(request);
        await this.publisher.tellRequester(
          request,
          `The rule could not be added: ${message}.${retryable ? ' Retry to try again.' : ''}`,
        );
      });
    }
  }

  /** An approved extension: no ARM write, the grant's end moves (capped at policy's maximum from now). */
  private async applyExtension(ext: AccessRequest): Promise<void> {
    const grant = ext.extendsRequestId ? await this.ctx.store.getRequest(ext.extendsRequestId) : null;
    if (grant?.status !== 'applied' || grant.endsAt === null) {
      return this.fail([ext], 'the grant it extends has already ended; request access again', false);
    }
    let rules: string[];
    try {
      rules = (await this.ctx.gateway.readRegistry(grant.registry.id)).ipRules;
    } catch (err) {
      const f = failureOf(err);
      return this.fail([ext], f.message, f.retryable);
    }
    const now = this.ctx.clock.now().getTime();
    const maxMs = this.ctx.policy.configured ? policyFor(this.ctx.policy, grant.registry).durations.maxMs : 0;
    const wanted = Date.parse(grant.endsAt) + (ext.durationMs ?? 0);
    const endsAt = Math.min(wanted, now + maxMs);
    if (endsAt <= Date.parse(grant.endsAt))
      return this.fail([ext], 'the grant already lasts as long as policy allows from now', false);
    const out = await this.ctx.store.transitionAll([
      { requestId: ext.id, event: { type: 'applied', before: rules, after: rules, correlationId: null } },
      {
        requestId: grant.id,
        event: {
          type: 'extend',
          by: ext.requester,
          extensionRequestId: ext.id,
          endsAt: new Date(endsAt).toISOString(),
        },
      },
    ]);
    if (!out.ok) return this.fail([ext], out.reason, false);
    const [applied, extended] = out.results.map((r) => r.request) as [AccessRequest, AccessRequest];
    this.ctx.background('cards: extended', async () => {
      await this.publisher.refresh(applied);
      await this.publisher.refresh(extended);
      await this.publisher.tellRequester(
        applied,
        `Extended: ${grant.rule} on ${grant.registry.name} is now allowed until ${when(extended.endsAt)}.${endsAt < wanted ? ' (Shortened to the longest time policy allows from now.)' : ''}`,
      );
    });
  }

  // ---- resolving a recorded operation --------------------------------------------------------------------------

  /** Decide an operation from what the registry shows: succeeded (and finish its requests), failed, or not known yet. */
  /**
   * One ARM write of the whole rule set, kept resumable: the intent goes on record before the PATCH (a crash after
   * it still leaves evidence to resolve), the poller's state right after it, then the wait and the verifying read.
   * A refused PATCH closes the operation and comes back as `submitError`; a stop before the PATCH closes it and throws.
   */
  private async recordedWrite(
    lock: RegistryLock,
    w: {
      registryId: string;
      kind: 'add' | 'remove';
      ids: string[];
      before: string[];
      target: string[];
      defaultAction: 'Allow' | 'Deny';
    },
  ): Promise<{ submitError: unknown } | { resolution: Resolution }> {
    const op = await this.ctx.store.recordOperation({
      registryId: w.registryId,
      kind: w.kind,
      requestIds: w.ids,
      before: w.before,
      target: w.target,
      submitted: { registryId: w.registryId, operationState: '', correlationId: null },
    });
    try {
      this.checkpoint(lock);
    } catch (err) {
      await this.ctx.store.finishOperation(op.id, { status: 'failed', error: 'not submitted: the bot stopped first' });
      throw err;
    }
    let submitted: { operationState: string; correlationId: string | null };
    try {
      submitted = await this.ctx.gateway.submitNetworkRules(w.registryId, {
        ipRules: w.target,
        defaultAction: w.defaultAction,
      });
    } catch (err) {
      await this.ctx.store.finishOperation(op.id, { status: 'failed', error: failureOf(err).message });
      return { submitError: err };
    }
    await this.ctx.store.updateOperationState(op.id, submitted.operationState);
    return { resolution: await this.resolve({ ...op, ...submitted }, lock) };
  }

  private async resolve(op: ApplyOperation, lock: RegistryLock): Promise<Resolution> {
    let lro: 'ok' | 'failed' | 'unknown' = 'unknown';
    let lroError: FailureInfo | null = null;
    if (op.operationState !== '') {
      try {
        await this.untilStopped(
          this.ctx.gateway.waitForUpdate({
            registryId: op.registryId,
            operationState: op.operationState,
            correlationId: op.correlationId,
          }),
        );
        lro = 'ok';
      } catch (err) {
        if (err instanceof Stopped) return { status: 'pending' };
        if (err instanceof AzureError && err.kind === 'operation_failed') {
          lro = 'failed';
          lroError = failureOf(err);
        } else if (!isUnresolvable(err)) {
          this.log.warn(
            { err, operationId: op.id, registryId: op.registryId },
            'could not learn how a firewall change ended; checking again later',
          );
          return { status: 'pending' };
        }
      }
    }
    this.checkpoint(lock);
    let fresh: RegistrySnapshot;
    try {
      fresh = await this.ctx.gateway.readRegistry(op.registryId);
    } catch (err) {
      if (isTransient(err)) return { status: 'pending' };
      const f = failureOf(err);
      await this.ctx.store.finishOperation(op.id, { status: 'failed', error: f.message });
      return { status: 'failed', error: { ...f, retryable: false } };
    }
    if (lro === 'unknown' && fresh.provisioningState.toLowerCase() === 'updating') {
      const age = this.ctx.clock.now().getTime() - Date.parse(op.createdAt);
      if (age < this.ctx.settings.unknownOperationMs) return { status: 'pending' };
    }

    const adds = addedBetween(op.before, op.target);
    const missing = missingRules(fresh.ipRules, adds);
    const removed = op.before.filter((v) => !op.target.some((t) => sameRule(t, v)));
    const lingering = presentRules(fresh.ipRules, removed);
    if (lro !== 'failed' && missing.length === 0 && lingering.length === 0) {
      if (op.kind === 'remove') await this.finishRemoval(op, fresh);
      else await this.finishAdds(op, fresh);
      await this.ctx.store.finishOperation(op.id, { status: 'succeeded' });
      return { status: 'succeeded' };
    }
    const error =
      lroError ??
      ({
        message:
          missing.length > 0
            ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on ${fresh.name} after the change (someone changed its firewall at the same moment?)`
            : `${lingering.join(', ')} ${lingering.length === 1 ? 'is' : 'are'} still on ${fresh.name} after the change`,
        retryable: true,
        retryAfterSeconds: null,
      } satisfies FailureInfo);
    await this.ctx.store.finishOperation(op.id, { status: 'failed', error: error.message });
    this.log.warn(
      { operationId: op.id, registryId: op.registryId, missing, lingering, lro },
      'firewall change not confirmed by a re-read',
    );
    return { status: 'failed', error };
  }

  /** The write is verified: every request of the operation that is still waiting becomes applied. */
  private async finishAdds(op: ApplyOperation, fresh: RegistrySnapshot): Promise<void> {
    const requests = (await Promise.all(op.requestIds.map((id) => this.ctx.store.getRequest(id)))).filter(
      (r): r is AccessRequest => r !== null,
    );
    // A request failed while its change was still running in Azure (or one a person retried) takes the result now.
    const restart = requests.filter((r) => r.status === 'approved' || (r.status === 'failed' && r.apply.retryable));
    if (restart.length > 0) {
      const out = await this.ctx.store.transitionAll(
        restart.map((r) => ({ requestId: r.id, event: { type: 'start_apply', by: null } as RequestEvent })),
      );
      if (!out.ok)
        this.log.warn(
          { requestId: out.request?.id, code: out.code },
          'could not resume a request of a finished operation',
        );
    }
    const applying = (await Promise.all(op.requestIds.map((id) => this.ctx.store.getRequest(id)))).filter(
      (r): r is AccessRequest => r !== null && r.status === 'applying',
    );
    if (applying.length > 0) await this.markApplied(applying, op.before, fresh.ipRules, op.correlationId);
  }

  // ---- removing ---------------------------------------------------------------------------------------------------

  private async removeEnded(registryId: string, ended: Grant[], lock: RegistryLock): Promise<boolean> {
    let last: FailureInfo = { message: 'no attempt was made', retryable: true, retryAfterSeconds: null };
    for (let attempt = 1; attempt <= this.ctx.settings.applyAttempts; attempt++) {
      if (attempt > 1) await this.backoff(attempt - 1, last);
      this.checkpoint(lock);
      let fresh: RegistrySnapshot;
      try {
        fresh = await this.settledRead(registryId);
      } catch (err) {
        last = failureOf(err);
        if (err instanceof AzureError && err.kind === 'not_found') {
          await this.recordRemovals(registryId, ended, { before: [], after: [], correlationId: null }, true);
          return true;
        }
        if (!isTransient(err)) break;
        continue;
      }
      const active = await this.ctx.store.activeGrants(registryId);
      const plan = planRemovals(
        fresh.ipRules,
        ended.map((g) => ({ id: g.id, rule: g.rule, ruleAdded: g.ruleAdded })),
        active.map((g) => ({ id: g.id, rule: g.rule })),
      );
      // Ownership moves before the write: if we crash after it, the grant that stays still owns its rule.
      for (const a of plan.adopt) await this.ctx.store.transition(a.grantId, { type: 'adopt_rule', value: a.value });
      if (!plan.changed) {
        await this.recordRemovals(registryId, ended, {
          before: fresh.ipRules,
          after: fresh.ipRules,
          correlationId: null,
        });
        return true;
      }
      const write = await this.recordedWrite(lock, {
        registryId,
        kind: 'remove',
        ids: ended.map((g) => g.id),
        before: fresh.ipRules,
        target: plan.target,
        defaultAction: fresh.defaultAction,
      });
      if ('submitError' in write) {
        last = failureOf(write.submitError);
        if (!isTransient(write.submitError)) break;
        continue;
      }
      const res = write.resolution;
      if (res.status === 'succeeded') return true;
      if (res.status === 'pending') return false;
      last = res.error;
    }
    this.log.error(
      { registryId, grants: ended.map((g) => g.id), error: last.message },
      'could not remove the rules of ended grants; the scheduler tries again',
    );
    return false;
  }

  /** After a verified removal write: record each ended grant's outcome with the registry's before/after rules. */
  private async finishRemoval(op: ApplyOperation, fresh: RegistrySnapshot): Promise<void> {
    const grants = (await Promise.all(op.requestIds.map((id) => this.ctx.store.getGrant(id)))).filter(
      (g): g is Grant => g !== null && g.status !== 'active' && g.ruleRemovedAt === null,
    );
    await this.recordRemovals(op.registryId, grants, {
      before: op.before,
      after: fresh.ipRules,
      correlationId: op.correlationId,
    });
  }

  /** Record each ended grant's rule removal (core says whether the value came off, and why not), then tell people. */
  private async recordRemovals(
    registryId: string,
    grants: Grant[],
    change: RuleChange,
    registryGone = false,
  ): Promise<void> {
    const active = await this.ctx.store.activeGrants(registryId);
    for (const g of grants) {
      const neededBy = ownersOf(g.ruleAdded, active);
      const out = await this.ctx.store.transition(g.id, { type: 'remove_rule', change, neededBy, registryGone });
      if (!out.ok) {
        if (out.code !== 'already_recorded')
          this.log.warn({ grantId: g.id, code: out.code }, 'could not record a rule removal');
        continue;
      }
      const note = out.audit.details.note;
      const banner =
        typeof note === 'string'
          ? `The grant ended; ${g.rule} stays on ${g.registryName}: ${note}.`
          : `The grant ended and ${g.rule} was removed from ${g.registryName}.`;
      this.ctx.background('cards: rule removed', () => this.publisher.refresh(out.request, banner));
    }
  }
}
