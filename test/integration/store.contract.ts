/**
 * The store contract: one suite, run against SQLite (store.sqlite.test.ts) and PostgreSQL (store.postgres.test.ts).
 * Each test gets a fresh database (a temp file / a schema of its own) and a controllable clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/app/ports.js';
import { RegistryLockTimeoutError, userConversationKey, type Store } from '../../src/app/store.js';
import { LATEST_SCHEMA_VERSION, SchemaTooNewError } from '../../src/adapters/store/index.js';
import { HOUR_MS, MINUTE_MS } from '../../src/core/policy/duration.js';
import type { AccessRequest, NewRequest, Party, RequestEvent } from '../../src/core/requests/index.js';

export class TestClock implements Clock {
  constructor(public t = Date.parse('2026-03-01T10:00:00.000Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** One fresh database for one test. */
export interface StoreDatabase {
  /** A new store with its own connection(s)/pool on this database, migrated; `auditSinks` as createStore takes them. */
  open(clock: Clock, options?: { auditSinks?: readonly string[] }): Promise<Store>;
  /** Run SQL directly on this database (to tamper, as an operator or a newer release would). */
  raw(sql: string): Promise<void>;
  drop(): Promise<void>;
}

export const REG = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/Acr1';
const dan: Party = { platform: 'slack', id: 'U0DAN0001', email: 'dan@contoso.com', displayName: 'Dan' };
const bob: Party = { platform: 'slack', id: 'U0BOB0001', email: 'bob@contoso.com', displayName: 'Bob' };
const carol: Party = {
  platform: 'teams',
  id: '33333333-3333-4333-8333-333333333333',
  email: 'carol@contoso.com',
  displayName: 'Carol',
};
const approver = (i: number): Party => ({
  platform: 'slack',
  id: `U0APP${String(i).padStart(4, '0')}`,
  email: `approver${i}@contoso.com`,
  displayName: `Approver ${i}`,
});
const CHANGE = { before: ['20.1.1.1/32'], after: ['20.1.1.1/32', '203.0.113.7/32'], correlationId: 'corr-apply' };

export function newRequest(over: Partial<NewRequest> = {}): NewRequest {
  return {
    kind: 'grant',
    extendsRequestId: null,
    registry: { id: REG, name: 'Acr1', loginServer: 'acr1.azurecr.io' },
    rule: '203.0.113.7/32',
    durationMs: 4 * HOUR_MS,
    reason: 'CI runner',
    ticket: null,
    requester: dan,
    channel: { platform: 'slack', conversationId: 'C0PLATFORM' },
    breakGlass: false,
    requiredApprovals: 1,
    pendingTimeoutMs: 24 * HOUR_MS,
    reminderIntervalMs: 4 * HOUR_MS,
    ...over,
  };
}

export function storeContract(backend: string, makeDatabase: () => Promise<StoreDatabase>): void {
  describe(`Store contract: ${backend}`, () => {
    let db: StoreDatabase;
    let clock: TestClock;
    let store: Store;
    const extra: Store[] = [];

    beforeEach(async () => {
      db = await makeDatabase();
      clock = new TestClock();
      store = await db.open(clock);
    });

    afterEach(async () => {
      await Promise.allSettled([store.close(), ...extra.splice(0).map((s) => s.close())]);
      await db.drop();
    });

    /** A second store on the same database: another connection pool, as a second bot instance would have. */
    async function second(): Promise<Store> {
      const s = await db.open(clock);
      extra.push(s);
      return s;
    }

    async function create(over: Partial<NewRequest> = {}, s: Store = store): Promise<AccessRequest> {
      const out = await s.createRequest(newRequest(over));
      if (!out.ok) throw new Error(out.reason);
      return out.request;
    }

    async function step(id: string, event: RequestEvent, s: Store = store): Promise<AccessRequest> {
      const out = await s.transition(id, event);
      if (!out.ok) throw new Error(`${event.type}: ${out.reason}`);
      return out.request;
    }

    async function appliedGrant(over: Partial<NewRequest> = {}): Promise<AccessRequest> {
      const r = await create(over);
      await step(r.id, { type: 'approve', by: bob, as: 'approver' });
      await step(r.id, { type: 'start_apply', by: null });
      return step(r.id, { type: 'applied', ...CHANGE });
    }

    describe('migrations', () => {
      it('a new database is at the latest schema version and healthy', async () => {
        expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        const h = await store.health();
        expect(h.ok).toBe(true);
        expect(h.detail).toContain(`schema v${LATEST_SCHEMA_VERSION}`);
      });

      it('re-running them is a no-op that keeps the data; instances starting together both succeed', async () => {
        const r = await create();
        const [a, b] = await Promise.all([second(), second()]);
        expect(await a.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
        expect((await b.getRequest(r.id))?.reason).toBe('CI runner');
        expect(await b.listAudit({ requestId: r.id })).toHaveLength(1);
      });

      it('a database written by a newer release is refused with a clear message', async () => {
        await db.raw(
          `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${LATEST_SCHEMA_VERSION + 1}, 'from the future', '2030-01-01T00:00:00.000Z')`,
        );
        const err = await db.open(clock).then(
          (s) => {
            extra.push(s);
            return null;
          },
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(SchemaTooNewError);
        expect((err as Error).message).toContain(
          `schema is at version ${LATEST_SCHEMA_VERSION + 1}, but this acr-access-bot only knows versions up to ${LATEST_SCHEMA_VERSION}`,
        );
        expect(await store.health()).toMatchObject({ ok: false });
      });
    });

    describe('requests', () => {
      it('creates a pending request with its audit event, and reads it back whole', async () => {
        const out = await store.createRequest(newRequest());
        expect(out).toMatchObject({
          ok: true,
          duplicate: false,
          request: { status: 'pending', version: 1, createdAt: '2026-03-01T10:00:00.000Z' },
          audit: { type: 'requested', toStatus: 'pending' },
        });
        if (!out.ok) return;
        expect(await store.getRequest(out.request.id)).toEqual(out.request);
        expect(await store.listAudit({ requestId: out.request.id })).toEqual([out.audit]);
        expect(await store.getRequest('nope')).toBeNull();
      });

      it('an idempotency key makes a double click create one request', async () => {
        const [a, b] = await Promise.all([
          store.createRequest(newRequest(), { idempotencyKey: 'slack:click:1' }),
          (await second()).createRequest(newRequest(), { idempotencyKey: 'slack:click:1' }),
        ]);
        expect(a.ok && b.ok).toBe(true);
        if (!a.ok || !b.ok) return;
        expect(a.request.id).toBe(b.request.id);
        expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
        expect(await store.listRequests()).toHaveLength(1);
        expect(await store.listAudit()).toHaveLength(1);
      });

      it('refuses an invalid request and an extension of a request that does not exist', async () => {
        expect(await store.createRequest(newRequest({ requiredApprovals: 0 }))).toMatchObject({
          ok: false,
          code: 'invalid_request',
        });
        expect(
          await store.createRequest(newRequest({ kind: 'extension', extendsRequestId: 'missing' }), {
            idempotencyKey: 'k1',
          }),
        ).toMatchObject({ ok: false, code: 'invalid_request', reason: expect.stringMatching(/does not exist/) });
        expect(await store.listRequests()).toEqual([]);
        // The refused attempt did not use up its idempotency key: a corrected retry goes through.
        expect(await store.createRequest(newRequest(), { idempotencyKey: 'k1' })).toMatchObject({
          ok: true,
          duplicate: false,
        });
        // A key claimed for another purpose is not mistaken for a created request.
        expect(await store.claimEvent('k2')).toBe(true);
        expect(await store.createRequest(newRequest(), { idempotencyKey: 'k2' })).toMatchObject({
          ok: false,
          code: 'invalid_request',
          reason: expect.stringMatching(/already used/),
        });
        expect(await store.listRequests()).toHaveLength(1);
      });

      it('a transition updates the request, its approvals and the audit log together', async () => {
        const r = await create({ requiredApprovals: 2 });
        clock.advance(MINUTE_MS);
        const first = await store.transition(r.id, { type: 'approve', by: bob, as: 'approver', comment: 'fine' });
        expect(first).toMatchObject({
          ok: true,
          duplicate: false,
          request: { status: 'pending', version: 2 },
          audit: { type: 'approval_recorded', actor: bob, at: '2026-03-01T10:01:00.000Z' },
        });
        const second_ = await store.transition(r.id, { type: 'approve', by: carol, as: 'approver' });
        expect(second_).toMatchObject({
          ok: true,
          request: { status: 'approved', version: 3, approvals: [{ by: bob }, { by: carol }] },
        });
        expect(await store.getRequest(r.id)).toMatchObject({ status: 'approved', version: 3 });
        expect((await store.listAudit({ requestId: r.id })).map((e) => e.type)).toEqual([
          'requested',
          'approval_recorded',
          'approved',
        ]);
      });

      it('refusals are values: not found, already decided, stale card', async () => {
        expect(await store.transition('nope', { type: 'time_out' })).toMatchObject({
          ok: false,
          code: 'not_found',
          request: null,
        });
        const r = await create();
        await step(r.id, { type: 'deny', by: bob, reason: 'no' });
        const lost = await store.transition(r.id, { type: 'approve', by: carol, as: 'approver' });
        expect(lost).toMatchObject({ ok: false, code: 'already_decided', request: { status: 'denied' } });
        expect(!lost.ok && lost.reason).toMatch(/already decided: it is denied by Bob/);
        const r2 = await create();
        await step(r2.id, { type: 'narrow', by: bob, durationMs: HOUR_MS });
        expect(
          await store.transition(r2.id, { type: 'approve', by: carol, as: 'approver' }, { expectedVersion: 1 }),
        ).toMatchObject({ ok: false, code: 'stale', request: { version: 2 } });
        // Nothing was written by any refusal.
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['requested', 'denied', 'requested', 'narrowed']);
      });

      it('an idempotency key makes a retried transition a no-op that returns the first result', async () => {
        const r = await create({ requiredApprovals: 2 });
        const a = await store.transition(
          r.id,
          { type: 'approve', by: bob, as: 'approver' },
          { idempotencyKey: 'teams:invoke:42' },
        );
        const b = await store.transition(
          r.id,
          { type: 'approve', by: bob, as: 'approver' },
          { idempotencyKey: 'teams:invoke:42' },
        );
        expect(a).toMatchObject({ ok: true, duplicate: false });
        expect(b).toMatchObject({ ok: true, duplicate: true });
        if (a.ok && b.ok) expect(b.audit.seq).toBe(a.audit.seq);
        expect(await store.listAudit({ requestId: r.id })).toHaveLength(2);
      });

      it('lists requests by status, registry (id or name, any case), requester and extension', async () => {
        const a = await create();
        clock.advance(1000);
        const b = await create({ registry: { id: `${REG}2`, name: 'acr2', loginServer: null } });
        clock.advance(1000);
        await step(a.id, { type: 'approve', by: bob, as: 'approver' });
        expect((await store.listRequests({ status: 'pending' })).map((r) => r.id)).toEqual([b.id]);
        expect(
          (await store.listRequests({ status: ['pending', 'approved'], order: 'oldest' })).map((r) => r.id),
        ).toEqual([a.id, b.id]);
        expect((await store.listRequests()).map((r) => r.id)).toEqual([b.id, a.id]);
        expect((await store.listRequests({ registry: 'ACR1' })).map((r) => r.id)).toEqual([a.id]);
        expect((await store.listRequests({ registry: REG.toLowerCase() })).map((r) => r.id)).toEqual([a.id]);
        expect(await store.listRequests({ requesterId: 'U0OTHER01' })).toEqual([]);
        expect(await store.listRequests({ status: [] })).toEqual([]);
        expect(await store.listRequests({ limit: 1 })).toHaveLength(1);
      });

      it("the worker's queue: approved and applying requests of one registry by id, oldest first; several by id in one read", async () => {
        const a = await create();
        clock.advance(1000);
        const b = await create();
        clock.advance(1000);
        // Another registry whose name is this one's id tail: a name never matches an id.
        const other = await create({ registry: { id: `${REG}2`, name: REG, loginServer: null } });
        const pending = await create();
        for (const r of [a, b, other]) await step(r.id, { type: 'approve', by: bob, as: 'approver' });
        await step(b.id, { type: 'start_apply', by: null });
        expect((await store.requestsToApply(REG.toUpperCase())).map((r) => [r.id, r.status])).toEqual([
          [a.id, 'approved'],
          [b.id, 'applying'],
        ]);
        expect((await store.getRequests([pending.id, 'nope', a.id])).map((r) => r.id).sort()).toEqual(
          [a.id, pending.id].sort(),
        );
        expect(await store.getRequests([])).toEqual([]);
      });
    });

    describe('concurrency: two bot instances, one request', () => {
      it('50 concurrent approve clicks from two connection pools make exactly one transition', async () => {
        const other = await second();
        const r = await create();
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 === 0 ? store : other).transition(r.id, { type: 'approve', by: approver(i), as: 'approver' }),
          ),
        );
        const won = outcomes.filter((o) => o.ok);
        expect(won).toHaveLength(1);
        const lost = outcomes.filter((o) => !o.ok);
        expect(lost).toHaveLength(49);
        for (const o of lost)
          expect(o).toMatchObject({ ok: false, code: 'already_decided', request: { status: 'approved' } });
        const final = await other.getRequest(r.id);
        expect(final).toMatchObject({ status: 'approved', version: 2 });
        expect(final!.approvals).toHaveLength(1);
        const audit = await store.listAudit({ requestId: r.id });
        expect(audit.map((e) => e.type)).toEqual(['requested', 'approved']);
      });

      it('N-of-M under contention: 10 approvers at once on a 3-approval request → 3 recorded, 1 approval transition', async () => {
        const other = await second();
        const r = await create({ requiredApprovals: 3 });
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? store : other).transition(r.id, { type: 'approve', by: approver(i), as: 'approver' }),
          ),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
        expect(outcomes.filter((o) => !o.ok && o.code === 'already_decided')).toHaveLength(7);
        const final = await store.getRequest(r.id);
        expect(final).toMatchObject({ status: 'approved', version: 4 });
        expect(new Set(final!.approvals.map((a) => a.by.id)).size).toBe(3);
        expect((await store.listAudit({ requestId: r.id })).filter((e) => e.type === 'approved')).toHaveLength(1);
      });

      it('one approver double-clicking on two instances counts once', async () => {
        const other = await second();
        const r = await create({ requiredApprovals: 2 });
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? store : other).transition(r.id, { type: 'approve', by: bob, as: 'approver' }),
          ),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok && o.code === 'already_approved')).toHaveLength(9);
        expect(await store.getRequest(r.id)).toMatchObject({ status: 'pending', version: 2 });
      });

      it('deny and approve racing: exactly one wins, the other is told it was already decided', async () => {
        const other = await second();
        const r = await create();
        const [a, d] = await Promise.all([
          store.transition(r.id, { type: 'approve', by: bob, as: 'approver' }),
          other.transition(r.id, { type: 'deny', by: carol, reason: 'no' }),
        ]);
        expect([a.ok, d.ok].filter(Boolean)).toHaveLength(1);
        const loser = a.ok ? d : a;
        expect(loser).toMatchObject({ ok: false, code: 'already_decided' });
      });

      it('claimEvent: a retried chat event is processed once, across instances', async () => {
        const other = await second();
        const claims = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claimEvent('slack:Ev0123', 'slack_event')),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.claimEvent('slack:Ev0124')).toBe(true);
        clock.advance(HOUR_MS);
        expect(await store.claimEvent('slack:Ev0125')).toBe(true);
        expect(await store.pruneEvents(new Date(clock.t - MINUTE_MS))).toBe(2);
        expect(await store.claimEvent('slack:Ev0123')).toBe(true);
        expect(await store.claimEvent('slack:Ev0125')).toBe(false);
      });
    });

    describe('batches and extensions', () => {
      it('transitionAll applies many requests in one commit and creates their grants', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const r = await create({ rule: `203.0.113.${10 + i}/32` });
          await step(r.id, { type: 'approve', by: bob, as: 'approver' });
          await step(r.id, { type: 'start_apply', by: null });
          ids.push(r.id);
        }
        clock.advance(MINUTE_MS);
        const out = await store.transitionAll(
          ids.map((requestId) => ({ requestId, event: { type: 'applied', ...CHANGE } })),
        );
        expect(out).toMatchObject({ ok: true, duplicate: false });
        if (!out.ok) return;
        expect(out.results.map((r) => r.request.status)).toEqual(['applied', 'applied', 'applied']);
        const grants = await store.activeGrants(REG.toUpperCase());
        expect(grants.map((g) => g.rule).sort()).toEqual(['203.0.113.10/32', '203.0.113.11/32', '203.0.113.12/32']);
        expect(grants[0]).toMatchObject({
          status: 'active',
          startsAt: '2026-03-01T10:01:00.000Z',
          endsAt: '2026-03-01T14:01:00.000Z',
          registryId: REG,
          registryName: 'Acr1',
          ruleRemovedAt: null,
        });
        const audit = await store.listAudit({ requestId: ids[0]! });
        expect(audit.at(-1)).toMatchObject({
          type: 'applied',
          before: CHANGE.before,
          after: CHANGE.after,
          correlationId: 'corr-apply',
          details: { diff: { added: ['203.0.113.7/32'], removed: [] } },
        });
      });

      it('a batch with one refused step writes nothing and says which step', async () => {
        const a = await create();
        const b = await create();
        await step(a.id, { type: 'approve', by: bob, as: 'approver' });
        const out = await store.transitionAll([
          { requestId: a.id, event: { type: 'start_apply', by: null } },
          { requestId: b.id, event: { type: 'start_apply', by: null } },
        ]);
        expect(out).toMatchObject({
          ok: false,
          index: 1,
          code: 'invalid_transition',
          request: { id: b.id, status: 'pending' },
        });
        expect(await store.getRequest(a.id)).toMatchObject({ status: 'approved', version: 2 });
        expect(await store.transitionAll([])).toMatchObject({ ok: false, code: 'invalid_batch' });
        expect(
          await store.transitionAll([
            { requestId: a.id, event: { type: 'time_out' } },
            { requestId: a.id, event: { type: 'time_out' } },
          ]),
        ).toMatchObject({ ok: false, code: 'invalid_batch' });
      });

      it('an approved extension moves the grant end atomically with its own completion', async () => {
        const grant = await appliedGrant();
        const ext = await create({
          kind: 'extension',
          extendsRequestId: grant.id,
          durationMs: 2 * HOUR_MS,
          reason: 'still debugging',
        });
        await step(ext.id, { type: 'approve', by: carol, as: 'approver' });
        await step(ext.id, { type: 'start_apply', by: null });
        const newEnd = new Date(Date.parse(grant.endsAt!) + 2 * HOUR_MS).toISOString();
        const out = await store.transitionAll([
          {
            requestId: ext.id,
            event: { type: 'applied', before: CHANGE.after, after: CHANGE.after, correlationId: null },
          },
          { requestId: grant.id, event: { type: 'extend', by: dan, extensionRequestId: ext.id, endsAt: newEnd } },
        ]);
        expect(out.ok).toBe(true);
        expect(await store.getGrant(grant.id)).toMatchObject({ status: 'active', endsAt: newEnd });
        expect(await store.getGrant(ext.id)).toBeNull();
        expect((await store.listRequests({ extendsRequestId: grant.id })).map((r) => r.id)).toEqual([ext.id]);
      });
    });

    describe('scheduler queries', () => {
      it('pending past timeout and reminders due', async () => {
        const a = await create({ pendingTimeoutMs: HOUR_MS, reminderIntervalMs: 30 * MINUTE_MS });
        const b = await create({ pendingTimeoutMs: 2 * HOUR_MS, reminderIntervalMs: null });
        const t = (ms: number): Date => new Date(clock.t + ms);
        expect(await store.requestsPendingPast(t(HOUR_MS - 1))).toEqual([]);
        expect((await store.requestsPendingPast(t(HOUR_MS))).map((r) => r.id)).toEqual([a.id]);
        expect((await store.requestsPendingPast(t(3 * HOUR_MS))).map((r) => r.id)).toEqual([a.id, b.id]);
        expect((await store.remindersDue(t(30 * MINUTE_MS))).map((r) => r.id)).toEqual([a.id]);
        clock.advance(30 * MINUTE_MS);
        await step(a.id, { type: 'remind' });
        expect(await store.remindersDue(clock.now())).toEqual([]);
        expect((await store.remindersDue(t(30 * MINUTE_MS))).map((r) => r.id)).toEqual([a.id]);
        clock.advance(30 * MINUTE_MS);
        await step(a.id, { type: 'time_out' });
        expect((await store.requestsPendingPast(t(3 * HOUR_MS))).map((r) => r.id)).toEqual([b.id]);
        expect(await store.remindersDue(t(10 * HOUR_MS))).toEqual([]);
      });

      it('grants ending before T, expiry warnings, expiry, and the rule removal that survives a restart', async () => {
        const g = await appliedGrant();
        const permanent = await appliedGrant({ durationMs: null, rule: '203.0.113.8/32' });
        const end = new Date(g.endsAt!);
        expect(await store.grantsEndingBefore(new Date(end.getTime() - 1))).toEqual([]);
        expect((await store.grantsEndingBefore(end)).map((x) => x.id)).toEqual([g.id]);
        clock.t = end.getTime() - 15 * MINUTE_MS;
        await step(g.id, { type: 'warn_expiry' });
        expect(await store.grantsEndingBefore(end, { unwarnedOnly: true })).toEqual([]);
        expect((await store.grantsEndingBefore(end))[0]).toMatchObject({ expiryWarnedAt: clock.now().toISOString() });
        clock.t = end.getTime();
        await step(g.id, { type: 'expire' });
        expect(await store.grantsEndingBefore(end)).toEqual([]);
        expect((await store.activeGrants()).map((x) => x.id)).toEqual([permanent.id]);
        // Decision committed, removal still to do: a restarted worker finds it here.
        const restarted = await second();
        expect((await restarted.grantsAwaitingRemoval()).map((x) => x.id)).toEqual([g.id]);
        expect((await restarted.grantsAwaitingRemoval(REG.toLowerCase())).map((x) => x.id)).toEqual([g.id]);
        expect(await restarted.grantsAwaitingRemoval(`${REG}2`)).toEqual([]);
        const removal = { before: CHANGE.after, after: CHANGE.before, correlationId: 'corr-remove' };
        const rec = await restarted.transition(g.id, { type: 'remove_rule', change: removal });
        expect(rec).toMatchObject({
          ok: true,
          audit: {
            type: 'rule_removed',
            requestId: g.id,
            before: CHANGE.after,
            after: CHANGE.before,
            correlationId: 'corr-remove',
            details: { diff: { removed: ['203.0.113.7/32'] } },
          },
        });
        expect(await store.transition(g.id, { type: 'remove_rule', change: removal })).toMatchObject({
          ok: false,
          code: 'already_recorded',
        });
        expect(await store.transition(permanent.id, { type: 'remove_rule', change: removal })).toMatchObject({
          ok: false,
          code: 'still_active',
        });
        expect(await store.transition('nope', { type: 'remove_rule', change: removal })).toMatchObject({
          ok: false,
          code: 'not_found',
        });
        expect(await store.grantsAwaitingRemoval()).toEqual([]);
        expect(await store.getGrant(g.id)).toMatchObject({
          status: 'expired',
          ruleRemovedAt: clock.now().toISOString(),
        });
      });

      it('a grant owns its rule only when its write added it; an active grant can take a rule over', async () => {
        // CHANGE adds 203.0.113.7/32: the bot owns it (as written in the rules after the write).
        const added = await appliedGrant();
        expect(await store.getGrant(added.id)).toMatchObject({ ruleAdded: '203.0.113.7/32' });
        // Already admitted before the write (written without /32 by someone else): the bot owns nothing.
        const covered = await appliedGrant({ rule: '20.1.1.1/32' });
        expect(await store.getGrant(covered.id)).toMatchObject({ ruleAdded: null });
        // ARM may give the value back without the /32: it is still the same rule.
        const r = await create({ rule: '198.51.100.9/32' });
        await step(r.id, { type: 'approve', by: bob, as: 'approver' });
        await step(r.id, { type: 'start_apply', by: null });
        await step(r.id, {
          type: 'applied',
          before: ['20.1.1.1/32'],
          after: ['20.1.1.1/32', '198.51.100.9'],
          correlationId: null,
        });
        expect(await store.getGrant(r.id)).toMatchObject({ ruleAdded: '198.51.100.9' });

        expect((await store.transition(covered.id, { type: 'adopt_rule', value: '20.1.1.1/32' })).ok).toBe(true);
        expect(await (await second()).getGrant(covered.id)).toMatchObject({ ruleAdded: '20.1.1.1/32' });
        await step(added.id, { type: 'expire' }).catch(() => undefined);
        clock.advance(5 * HOUR_MS);
        await step(added.id, { type: 'expire' });
        expect((await store.transition(added.id, { type: 'adopt_rule', value: '203.0.113.7/32' })).ok).toBe(false);
        expect((await store.transition('nope', { type: 'adopt_rule', value: '203.0.113.7/32' })).ok).toBe(false);
      });

      it('a revoke that already removed the rule needs no later removal', async () => {
        const g = await appliedGrant();
        await step(g.id, {
          type: 'revoke',
          by: carol,
          reason: 'done',
          change: { before: CHANGE.after, after: CHANGE.before, correlationId: 'c' },
        });
        expect(await store.getGrant(g.id)).toMatchObject({ status: 'revoked', ruleRemovedAt: expect.any(String) });
        expect(await store.grantsAwaitingRemoval()).toEqual([]);
      });
    });

    describe('audit log', () => {
      it('filters by registry, time and sequence, and keeps rule lists and correlation ids', async () => {
        const a = await create();
        clock.advance(HOUR_MS);
        const since = clock.now();
        const b = await create({ registry: { id: `${REG}2`, name: 'acr2', loginServer: null } });
        const note = await store.appendAudit({
          at: clock.now().toISOString(),
          type: 'drift',
          requestId: null,
          registryId: REG,
          registryName: 'Acr1',
          rule: null,
          actor: null,
          fromStatus: null,
          toStatus: null,
          before: ['1.2.3.4'],
          after: ['1.2.3.4', '5.6.7.8'],
          correlationId: 'corr-x',
          summary: 'A rule appeared that no grant explains',
          details: { unexpected: ['5.6.7.8'] },
        });
        expect(note.seq).toBeGreaterThan(0);
        const all = await store.listAudit();
        expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
        expect((await store.listAudit({ registry: 'acr1' })).map((e) => e.requestId)).toEqual([a.id, null]);
        expect((await store.listAudit({ registry: REG })).map((e) => e.type)).toEqual(['requested', 'drift']);
        expect((await store.listAudit({ since })).map((e) => e.requestId)).toEqual([b.id, null]);
        expect(await store.listAudit({ afterSeq: note.seq })).toEqual([]);
        expect((await store.listAudit({ afterSeq: all[0]!.seq, limit: 1 })).map((e) => e.requestId)).toEqual([b.id]);
        expect(all.at(-1)).toEqual(note);
      });

      it('is append-only: the database refuses updates and deletes', async () => {
        await create();
        await expect(db.raw("UPDATE audit_events SET summary = 'rewritten'")).rejects.toThrow(/append-only/);
        await expect(db.raw('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
        expect(await store.listAudit()).toHaveLength(1);
      });
    });

    describe('request counts', () => {
      it('counts requests per status (for the requests gauge)', async () => {
        expect(await store.countRequests()).toEqual({});
        await appliedGrant();
        await create({ rule: '203.0.113.8/32' });
        await create({ rule: '203.0.113.9/32' });
        expect(await store.countRequests()).toEqual({ applied: 1, pending: 2 });
      });
    });

    describe('audit outbox', () => {
      const SINKS = ['webhook', 'slack-channel'];

      it('queues every audit event for each sink in its own transaction, oldest first, and nothing for a refusal', async () => {
        const out = await db.open(clock, { auditSinks: SINKS });
        extra.push(out);
        expect(out.auditSinks).toEqual(SINKS);
        const r = await create({}, out);
        await step(r.id, { type: 'approve', by: bob, as: 'approver' }, out);
        // Refused: nothing committed, so nothing queued.
        expect((await out.transition(r.id, { type: 'approve', by: carol, as: 'approver' })).ok).toBe(false);
        const batch = await out.transitionAll([
          { requestId: r.id, event: { type: 'start_apply', by: null } },
          { requestId: 'no-such-request', event: { type: 'start_apply', by: null } },
        ]);
        expect(batch.ok).toBe(false);
        const note = await out.appendAudit({
          at: clock.now().toISOString(),
          type: 'note',
          requestId: null,
          registryId: REG,
          registryName: 'Acr1',
          rule: null,
          actor: null,
          fromStatus: null,
          toStatus: null,
          before: null,
          after: null,
          correlationId: null,
          summary: 'A note',
          details: {},
        });
        const logged = (await out.listAudit()).map((e) => e.seq);
        expect(logged).toHaveLength(3);
        expect(logged.at(-1)).toBe(note.seq);
        expect(await out.outboxBacklog()).toEqual([
          { sink: 'webhook', pending: 3, oldestAt: '2026-03-01T10:00:00.000Z' },
          { sink: 'slack-channel', pending: 3, oldestAt: '2026-03-01T10:00:00.000Z' },
        ]);
        // Each sink drains on its own, in log order.
        const taken: number[] = [];
        for (let e = await out.nextForSink('webhook'); e; e = await out.nextForSink('webhook')) {
          expect(e).toMatchObject({ sink: 'webhook', attempts: 0, lastError: null });
          taken.push(e.event.seq);
          await out.markDelivered('webhook', e.event.seq);
        }
        expect(taken).toEqual(logged);
        expect((await out.nextForSink('slack-channel'))?.event).toEqual((await out.listAudit())[0]);
        expect(await out.outboxBacklog()).toEqual([
          { sink: 'webhook', pending: 0, oldestAt: null },
          { sink: 'slack-channel', pending: 3, oldestAt: '2026-03-01T10:00:00.000Z' },
        ]);
        // A store opened without sinks (the default) queues nothing.
        await create();
        expect((await out.outboxBacklog()).map((b) => b.pending)).toEqual([0, 3]);
      });

      it('a failed delivery counts its attempts and waits, and the queue outlives the store that wrote it', async () => {
        const first = await db.open(clock, { auditSinks: ['webhook'] });
        const r = await create({}, first);
        const seq = (await first.nextForSink('webhook'))!.event.seq;
        await first.markFailed(
          'webhook',
          seq,
          'the audit webhook answered HTTP 503',
          new Date('2026-03-01T10:00:02.000Z'),
        );
        await first.markFailed(
          'webhook',
          seq,
          'the audit webhook is unreachable: ECONNREFUSED',
          new Date('2026-03-01T10:00:06.000Z'),
        );
        await first.close();
        const again = await db.open(clock, { auditSinks: ['webhook'] });
        extra.push(again);
        const e = await again.nextForSink('webhook');
        expect(e).toMatchObject({
          sink: 'webhook',
          attempts: 2,
          nextAttemptAt: '2026-03-01T10:00:06.000Z',
          lastError: 'the audit webhook is unreachable: ECONNREFUSED',
          event: { type: 'requested', requestId: r.id },
        });
        await again.markDelivered('webhook', e!.event.seq);
        expect(await again.nextForSink('webhook')).toBeNull();
      });
    });

    describe('apply operations', () => {
      it('keeps the serialized poller state so a restarted process can resume', async () => {
        const r = await appliedGrant();
        const op = await store.recordOperation({
          registryId: REG,
          kind: 'add',
          requestIds: [r.id, 'other-request'],
          before: ['20.1.1.1/32'],
          target: ['20.1.1.1/32', '203.0.113.7/32'],
          submitted: { registryId: REG, operationState: '{"state":{"status":"running"}}', correlationId: 'corr-patch' },
        });
        expect(op).toMatchObject({ status: 'submitted', correlationId: 'corr-patch' });
        await store.updateOperationState(op.id, '{"state":{"status":"running","n":2}}');
        const restarted = await second();
        const open = await restarted.openOperations();
        expect(open).toEqual([
          { ...op, operationState: '{"state":{"status":"running","n":2}}', updatedAt: op.updatedAt },
        ]);
        // The PATCH's correlation id arrives with its poller state (the operation is on record before the PATCH).
        await store.updateOperationState(op.id, '{"state":{"status":"running","n":3}}', 'corr-accepted');
        expect((await restarted.openOperations())[0]).toMatchObject({ correlationId: 'corr-accepted' });
        expect(await restarted.openOperations(REG.toUpperCase())).toHaveLength(1);
        expect((await restarted.operationForRequest(r.id))?.id).toBe(op.id);
        expect(await restarted.operationForRequest(r.id.slice(0, 8))).toBeNull();
        await restarted.finishOperation(op.id, { status: 'succeeded' });
        expect(await store.openOperations()).toEqual([]);
        expect(await store.operationForRequest(r.id)).toMatchObject({ status: 'succeeded', error: null });
      });
    });

    describe('conversations and cards', () => {
      it('stores conversation references, and every posted copy of a card with the person it is for', async () => {
        const ref = {
          platform: 'teams' as const,
          kind: 'personal' as const,
          conversationId: 'a:1personal',
          threadId: null,
          messageId: null,
          platformData: { serviceUrl: 'https://smba.example/', conversation: { id: 'a:1personal' } },
        };
        const key = userConversationKey('teams', carol.id.toUpperCase());
        await store.saveConversation(key, ref);
        expect(await store.getConversation(userConversationKey('teams', carol.id))).toEqual(ref);
        await store.saveConversation(key, { ...ref, platformData: { serviceUrl: 'https://smba2.example/' } });
        expect((await store.getConversation(key))?.platformData).toEqual({ serviceUrl: 'https://smba2.example/' });
        expect(await store.getConversation('user:slack:U0NOBODY')).toBeNull();

        const r = await create();
        const thread = {
          platform: 'slack' as const,
          kind: 'channel' as const,
          conversationId: 'C0PLATFORM',
          threadId: '1700000000.000100',
          messageId: '1700000000.000100',
        };
        const dm = { ...thread, conversationId: 'D0BOB', threadId: null };
        const bob = {
          platform: 'slack' as const,
          id: 'U0BOB',
          email: null,
          displayName: 'Bob',
          role: 'approver' as const,
        };
        await store.saveCard({
          requestId: r.id,
          purpose: 'thread',
          conversation: thread,
          messageId: '1700000001.000200',
          viewer: null,
        });
        await store.saveCard({
          requestId: r.id,
          purpose: 'approver_dm',
          conversation: dm,
          messageId: '1700000001.000300',
          viewer: bob,
        });
        // A second DM in the same conversation is another copy, not a replacement of the first.
        await store.saveCard({
          requestId: r.id,
          purpose: 'approver_dm',
          conversation: dm,
          messageId: '1700000001.000400',
          viewer: bob,
        });
        clock.advance(1000);
        // The same message saved again (a click answered on it) is updated in place.
        await store.saveCard({
          requestId: r.id,
          purpose: 'answer',
          conversation: dm,
          messageId: '1700000001.000300',
          viewer: { ...bob, email: 'bob@contoso.com' },
        });
        const cards = await store.listCards(r.id);
        expect(cards).toHaveLength(3);
        expect(cards.map((c) => c.messageId).sort()).toEqual([
          '1700000001.000200',
          '1700000001.000300',
          '1700000001.000400',
        ]);
        expect(cards.find((c) => c.purpose === 'thread')).toMatchObject({ conversation: thread, viewer: null });
        expect(cards.find((c) => c.messageId === '1700000001.000300')).toEqual({
          requestId: r.id,
          purpose: 'answer',
          conversation: dm,
          messageId: '1700000001.000300',
          viewer: { ...bob, email: 'bob@contoso.com' },
          updatedAt: clock.now().toISOString(),
        });
        expect(await store.listCards((await create()).id)).toEqual([]);
      });
    });

    describe('people directory', () => {
      it('keeps one name per person for every instance, and writes only when a name is new or changed', async () => {
        const aad = '6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB';
        expect(await store.savePersonName('teams', aad, 'Carol Diaz')).toBe(true);
        expect(await store.savePersonName('slack', 'U0ERIN001', 'Erin Ops')).toBe(true);
        clock.advance(60_000);
        // The same name again (any case of the AAD id) changes no row.
        expect(await store.savePersonName('teams', aad.toLowerCase(), 'Carol Diaz')).toBe(false);
        const other = await second();
        expect(await other.personNames('teams', [aad, '00000000-0000-4000-8000-000000000000'])).toEqual([
          {
            platform: 'teams',
            userId: aad.toLowerCase(),
            displayName: 'Carol Diaz',
            seenAt: '2026-03-01T10:00:00.000Z',
          },
        ]);
        // Slack ids are case-sensitive, and platforms do not mix.
        expect(await other.personNames('slack', ['u0erin001', aad])).toEqual([]);
        expect(await other.savePersonName('teams', aad, 'Carol Diaz-Moreno')).toBe(true);
        expect(await store.personNames('teams', [aad.toLowerCase()])).toEqual([
          {
            platform: 'teams',
            userId: aad.toLowerCase(),
            displayName: 'Carol Diaz-Moreno',
            seenAt: '2026-03-01T10:01:00.000Z',
          },
        ]);
        expect(await store.personNames('slack', [])).toEqual([]);
      });

      it('a request records who could not be reached, with its audit event, for every instance', async () => {
        const r = await create();
        expect(r.unreached).toBeNull();
        const who = [{ kind: 'teams' as const, value: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' }];
        const after = await step(r.id, { type: 'note_unreached', approvers: who });
        expect(after).toMatchObject({ status: 'pending', unreached: who, version: r.version + 1 });
        expect((await (await second()).getRequest(r.id))?.unreached).toEqual(who);
        expect((await store.listAudit({ requestId: r.id })).map((e) => e.type)).toEqual([
          'requested',
          'approvers_unreached',
        ]);
      });
    });

    describe('per-registry apply lock', () => {
      it('excludes a second holder on another instance, and is per registry', async () => {
        const other = await second();
        let inside = 0;
        let maxInside = 0;
        const order: string[] = [];
        const critical = (s: Store, who: string) =>
          s.withRegistryLock(REG, async () => {
            inside += 1;
            maxInside = Math.max(maxInside, inside);
            order.push(`${who}+`);
            // Yield several times so an overlapping holder would get in.
            for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
            order.push(`${who}-`);
            inside -= 1;
          });
        await Promise.all(Array.from({ length: 10 }, (_, i) => critical(i % 2 ? store : other, `w${i}`)));
        expect(maxInside).toBe(1);
        for (let i = 0; i < order.length; i += 2) expect(order[i]!.slice(0, -1)).toBe(order[i + 1]!.slice(0, -1));
        // Another registry is not blocked by a held one.
        await store.withRegistryLock(REG, async () => {
          await expect(other.withRegistryLock(`${REG}-other`, async () => 'free')).resolves.toBe('free');
        });
      });

      it('is released when the holder throws, and the error reaches the caller', async () => {
        await expect(store.withRegistryLock(REG, async () => Promise.reject(new Error('ARM 500')))).rejects.toThrow(
          'ARM 500',
        );
        await expect((await second()).withRegistryLock(REG, async () => 'next')).resolves.toBe('next');
      });

      it('a waiter gives up after its timeout with a clear error', async () => {
        const other = await second();
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let entered!: () => void;
        const inside = new Promise<void>((r) => (entered = r));
        const holder = store.withRegistryLock(REG, async () => {
          entered();
          await held;
        });
        await inside;
        const err = await other.withRegistryLock(REG, async () => 'never', { timeoutMs: 300 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RegistryLockTimeoutError);
        expect((err as Error).message).toMatch(/held its lock/);
        release();
        await holder;
        await expect(other.withRegistryLock(REG, async () => 'after')).resolves.toBe('after');
      });
    });
  });
}

/**
 * Version 4 copies each grant's rule facts into its request's record: run it on a database at version 3 holding an
 * ended grant whose removal is done, an active one, and a request that never became a grant.
 */
export async function grantFactsMigrate(
  driver: import('../../src/adapters/store/driver.js').Driver,
  migrateTo: (versions: number) => Promise<number[]>,
): Promise<Array<Record<string, unknown>>> {
  await migrateTo(3);
  const at = '2026-01-05T10:00:00.000Z';
  await driver.tx(async (sql) => {
    for (const [id, status] of [
      ['r1', 'expired'],
      ['r2', 'applied'],
      ['r3', 'denied'],
    ])
      await sql.run(
        "INSERT INTO requests (id, version, kind, status, registry_id, registry_name, ip_rule, requester_platform, requester_id, pending_until, created_at, updated_at, data) VALUES (?, 1, 'grant', ?, '/x', 'x', '1.2.3.4/32', 'slack', 'U1', ?, ?, ?, ?)",
        [id, status, at, at, at, JSON.stringify({ id, status })],
      );
    const grant =
      'INSERT INTO grants (id, registry_id, registry_name, ip_rule, starts_at, ends_at, status, expiry_warned_at, rule_removed_at, updated_at, rule_added) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)';
    await sql.run(grant, ['r1', '/x', 'x', '1.2.3.4/32', at, at, 'expired', '2026-01-05T14:00:00.123Z', at, '1.2.3.4']);
    await sql.run(grant, ['r2', '/x', 'x', '1.2.3.5/32', at, null, 'active', null, at, null]);
  });
  expect(await migrateTo(4)).toEqual([4]);
  const rows = await driver.read<{ data: unknown }>('SELECT data FROM requests ORDER BY id');
  return rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>);
}

export const GRANT_FACTS_AFTER_V4 = [
  { id: 'r1', status: 'expired', ruleAdded: '1.2.3.4', ruleRemovedAt: '2026-01-05T14:00:00.123Z' },
  { id: 'r2', status: 'applied', ruleAdded: null, ruleRemovedAt: null },
  { id: 'r3', status: 'denied', ruleAdded: null, ruleRemovedAt: null },
];

/** Requests stored before version 5 get `ticket: null`; one that already has a ticket keeps it. */
export async function ticketMigrate(
  driver: import('../../src/adapters/store/driver.js').Driver,
  migrateTo: (versions: number) => Promise<number[]>,
): Promise<Array<Record<string, unknown>>> {
  await migrateTo(4);
  const at = '2026-01-05T10:00:00.000Z';
  await driver.tx(async (sql) => {
    for (const [id, data] of [
      ['r1', { id: 'r1' }],
      ['r2', { id: 'r2', ticket: 'CHG0012345' }],
    ] as const)
      await sql.run(
        "INSERT INTO requests (id, version, kind, status, registry_id, registry_name, ip_rule, requester_platform, requester_id, pending_until, created_at, updated_at, data) VALUES (?, 1, 'grant', 'pending', '/x', 'x', '1.2.3.4/32', 'slack', 'U1', ?, ?, ?, ?)",
        [id, at, at, at, JSON.stringify(data)],
      );
  });
  expect(await migrateTo(5)).toEqual([5]);
  const rows = await driver.read<{ data: unknown }>('SELECT data FROM requests ORDER BY id');
  return rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>);
}

export const TICKETS_AFTER_V5 = [
  { id: 'r1', ticket: null },
  { id: 'r2', ticket: 'CHG0012345' },
];
