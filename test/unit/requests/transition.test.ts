import { describe, expect, it } from 'vitest';
import {
  DECISION_EVENTS,
  REQUEST_STATUSES,
  TRANSITIONS,
  openRequest,
  transition,
  type AccessRequest,
  type NewRequest,
  type Party,
  type RequestEvent,
  type RequestEventType,
  type RequestStatus,
} from '../../../src/core/requests/index.js';
import { HOUR_MS, MINUTE_MS } from '../../../src/core/policy/duration.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

const dan: Party = { platform: 'slack', id: 'U0DAN0001', email: 'dan@contoso.com', displayName: 'Dan' };
const bob: Party = { platform: 'slack', id: 'U0BOB0001', email: 'bob@contoso.com', displayName: 'Bob' };
const carol: Party = {
  platform: 'teams',
  id: '33333333-3333-4333-8333-333333333333',
  email: 'carol@contoso.com',
  displayName: 'Carol',
};
const danInTeams: Party = {
  platform: 'teams',
  id: '44444444-4444-4444-8444-444444444444',
  email: 'dan@contoso.com',
  displayName: 'Dan (Teams)',
};

const CHANGE = { before: ['1.1.1.1'], after: ['1.1.1.1', '203.0.113.7/32'], correlationId: 'corr-1' };

function input(over: Partial<NewRequest> = {}): NewRequest {
  return {
    kind: 'grant',
    extendsRequestId: null,
    registry: {
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr1',
      name: 'acr1',
      loginServer: 'acr1.azurecr.io',
    },
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

function open(over: Partial<NewRequest> = {}): AccessRequest {
  const r = openRequest(input(over), { id: 'req-1', now: T0 });
  if (!r.ok) throw new Error(r.reason);
  return r.request;
}

/** Drive a request through real transitions; throws when one is refused, so fixtures are always reachable states. */
function drive(r: AccessRequest, steps: Array<[RequestEvent, Date]>): AccessRequest {
  let cur = r;
  for (const [event, now] of steps) {
    const out = transition(cur, event, now);
    if (!out.ok) throw new Error(`${event.type}: ${out.reason}`);
    cur = out.request;
  }
  return cur;
}

/** A request in each status, reached through the machine itself. */
function inStatus(status: RequestStatus): AccessRequest {
  const r = open();
  const approve: [RequestEvent, Date] = [{ type: 'approve', by: bob, as: 'approver' }, at(MINUTE_MS)];
  const start: [RequestEvent, Date] = [{ type: 'start_apply', by: null }, at(2 * MINUTE_MS)];
  const applied: [RequestEvent, Date] = [{ type: 'applied', ...CHANGE }, at(3 * MINUTE_MS)];
  switch (status) {
    case 'pending':
      return r;
    case 'approved':
      return drive(r, [approve]);
    case 'applying':
      return drive(r, [approve, start]);
    case 'applied':
      return drive(r, [approve, start, applied]);
    case 'failed':
      return drive(r, [approve, start, [{ type: 'fail', error: 'ARM 503', retryable: true }, at(3 * MINUTE_MS)]]);
    case 'expired':
      return drive(r, [approve, start, applied, [{ type: 'expire' }, at(5 * HOUR_MS)]]);
    case 'revoked':
      return drive(r, [approve, start, applied, [{ type: 'revoke', by: carol, reason: 'done' }, at(HOUR_MS)]]);
    case 'denied':
      return drive(r, [[{ type: 'deny', by: bob, reason: 'no' }, at(MINUTE_MS)]]);
    case 'cancelled':
      return drive(r, [[{ type: 'cancel', by: dan }, at(MINUTE_MS)]]);
    case 'timed_out':
      return drive(r, [[{ type: 'time_out' }, at(25 * HOUR_MS)]]);
  }
}

/** For each event: one that is valid whenever the table allows the move, and the time to send it at. */
const VALID: Record<RequestEventType, [RequestEvent, Date]> = {
  approve: [{ type: 'approve', by: carol, as: 'approver' }, at(10 * MINUTE_MS)],
  auto_approve: [{ type: 'auto_approve', rule: 'aks-egress', source: 'defaults.autoApprove[0]' }, at(MINUTE_MS)],
  deny: [{ type: 'deny', by: carol, reason: 'not needed' }, at(10 * MINUTE_MS)],
  cancel: [{ type: 'cancel', by: dan, reason: 'fixed otherwise' }, at(10 * MINUTE_MS)],
  time_out: [{ type: 'time_out' }, at(24 * HOUR_MS)],
  narrow: [{ type: 'narrow', by: carol, durationMs: HOUR_MS }, at(10 * MINUTE_MS)],
  remind: [{ type: 'remind' }, at(4 * HOUR_MS)],
  note_unreached: [{ type: 'note_unreached', approvers: [{ kind: 'slack', value: 'U0ERIN001' }] }, at(MINUTE_MS)],
  start_apply: [{ type: 'start_apply', by: null }, at(10 * MINUTE_MS)],
  applied: [{ type: 'applied', ...CHANGE }, at(10 * MINUTE_MS)],
  fail: [{ type: 'fail', error: 'ARM 429', retryable: true }, at(10 * MINUTE_MS)],
  warn_expiry: [{ type: 'warn_expiry' }, at(3 * HOUR_MS)],
  extend: [
    { type: 'extend', by: null, extensionRequestId: 'req-2', endsAt: at(8 * HOUR_MS).toISOString() },
    at(3 * HOUR_MS),
  ],
  expire: [
    { type: 'expire', change: { before: CHANGE.after, after: CHANGE.before, correlationId: 'corr-2' } },
    at(5 * HOUR_MS),
  ],
  revoke: [{ type: 'revoke', by: carol, reason: 'incident over' }, at(HOUR_MS)],
  adopt_rule: [{ type: 'adopt_rule', value: '203.0.113.0/30' }, at(HOUR_MS)],
  remove_rule: [
    { type: 'remove_rule', change: { ...CHANGE, before: CHANGE.after, after: CHANGE.before } },
    at(6 * HOUR_MS),
  ],
};

const EVENT_TYPES = Object.keys(TRANSITIONS) as RequestEventType[];
const cells = REQUEST_STATUSES.flatMap((s) => EVENT_TYPES.map((e) => [s, e] as const));

describe('the transition table, cell by cell', () => {
  it('covers every event and only real statuses', () => {
    expect(EVENT_TYPES.sort()).toEqual([
      'adopt_rule',
      'applied',
      'approve',
      'auto_approve',
      'cancel',
      'deny',
      'expire',
      'extend',
      'fail',
      'narrow',
      'note_unreached',
      'remind',
      'remove_rule',
      'revoke',
      'start_apply',
      'time_out',
      'warn_expiry',
    ]);
    for (const edge of Object.values(TRANSITIONS))
      for (const s of [...edge.from, ...edge.to]) expect(REQUEST_STATUSES).toContain(s);
  });

  it('matches the documented lifecycle', () => {
    const edges = new Set<string>();
    for (const e of Object.values(TRANSITIONS))
      for (const f of e.from) for (const t of e.to) if (f !== t && !e.stays) edges.add(`${f}->${t}`);
    expect([...edges].sort()).toEqual(
      [
        'applied->expired',
        'applied->revoked',
        'applying->applied',
        'applying->failed',
        'approved->applying',
        'failed->applying',
        'pending->approved',
        'pending->cancelled',
        'pending->denied',
        'pending->timed_out',
      ].sort(),
    );
  });

  it.each(cells)('%s + %s', (status, type) => {
    const request = inStatus(status);
    expect(request.status).toBe(status);
    const [event, now] = VALID[type];
    const out = transition(request, event, now);
    if (TRANSITIONS[type].from.includes(status)) {
      expect(out.ok, !out.ok ? out.reason : '').toBe(true);
      if (!out.ok) return;
      expect(TRANSITIONS[type].to).toContain(out.request.status);
      if (TRANSITIONS[type].stays) expect(out.request.status).toBe(status);
      expect(out.request.version).toBe(request.version + 1);
      expect(out.request.updatedAt).toBe(now.toISOString());
      // Every transition yields its audit event: who, when, from/to, about which request and rule.
      expect(out.audit).toMatchObject({
        at: now.toISOString(),
        requestId: request.id,
        registryName: 'acr1',
        rule: '203.0.113.7/32',
        fromStatus: status,
        toStatus: out.request.status,
      });
      expect(out.audit.summary.length).toBeGreaterThan(5);
      // The input is never mutated.
      expect(request.status).toBe(status);
    } else {
      expect(out.ok).toBe(false);
      if (out.ok) return;
      if (type === 'remove_rule' && status === 'applied') {
        expect(out.code).toBe('still_active');
        return;
      }
      expect(out.code).toBe(DECISION_EVENTS.includes(type) ? 'already_decided' : 'invalid_transition');
      expect(out.reason).toMatch(status.replace('_', ' '));
    }
  });
});

describe('creating a request', () => {
  it('opens pending with deadlines and a requested audit event', () => {
    const r = openRequest(input(), { id: 'req-1', now: T0 });
    expect(r).toMatchObject({
      ok: true,
      request: {
        id: 'req-1',
        version: 1,
        status: 'pending',
        pendingUntil: '2026-03-02T10:00:00.000Z',
        nextReminderAt: '2026-03-01T14:00:00.000Z',
        approvals: [],
      },
      audit: {
        type: 'requested',
        actor: dan,
        fromStatus: null,
        toStatus: 'pending',
        summary: 'Dan requested 203.0.113.7/32 for 4h on acr1',
      },
    });
  });

  it.each([
    [{ requiredApprovals: 0 }, /requiredApprovals/],
    [{ durationMs: -1 }, /durationMs/],
    [{ pendingTimeoutMs: 0 }, /pendingTimeoutMs/],
    [{ reminderIntervalMs: 0 }, /reminderIntervalMs/],
    [{ rule: ' ' }, /required/],
    [{ kind: 'extension' as const }, /extension must name/],
    [{ kind: 'extension' as const, extendsRequestId: 'r0', durationMs: null }, /finite/],
    [{ extendsRequestId: 'r0' }, /only an extension/],
  ])('refuses %o', (over, msg) => {
    expect(openRequest(input(over), { id: 'x', now: T0 })).toMatchObject({
      ok: false,
      code: 'invalid_request',
      reason: expect.stringMatching(msg),
    });
  });
});

describe('approvals (N-of-M)', () => {
  const two = () => open({ requiredApprovals: 2 });

  it('records approvals until N distinct approvers, then approves', () => {
    const first = transition(two(), { type: 'approve', by: bob, as: 'approver', comment: 'ok' }, at(MINUTE_MS));
    expect(first).toMatchObject({
      ok: true,
      request: { status: 'pending', approvals: [{ by: bob, as: 'approver', comment: 'ok' }] },
      audit: { type: 'approval_recorded', summary: 'Bob approved (1 of 2)' },
    });
    if (!first.ok) return;
    const second = transition(first.request, { type: 'approve', by: carol, as: 'approver' }, at(2 * MINUTE_MS));
    expect(second).toMatchObject({
      ok: true,
      request: { status: 'approved', nextReminderAt: null },
      audit: { type: 'approved', fromStatus: 'pending', toStatus: 'approved' },
    });
  });

  it('the same approver twice counts once (also across platforms by email)', () => {
    const first = transition(two(), { type: 'approve', by: carol, as: 'approver' }, at(MINUTE_MS));
    if (!first.ok) throw new Error();
    expect(transition(first.request, { type: 'approve', by: carol, as: 'approver' }, at(2 * MINUTE_MS))).toMatchObject({
      ok: false,
      code: 'already_approved',
    });
    const carolSlack: Party = { platform: 'slack', id: 'U0CAROL01', email: 'carol@contoso.com', displayName: null };
    expect(
      transition(first.request, { type: 'approve', by: carolSlack, as: 'approver' }, at(2 * MINUTE_MS)),
    ).toMatchObject({ ok: false, code: 'already_approved' });
  });

  it('refuses the requester approving as an approver, on either platform', () => {
    expect(transition(open(), { type: 'approve', by: dan, as: 'approver' }, at(MINUTE_MS))).toMatchObject({
      ok: false,
      code: 'self_approval',
    });
    expect(transition(open(), { type: 'approve', by: danInTeams, as: 'approver' }, at(MINUTE_MS))).toMatchObject({
      ok: false,
      code: 'self_approval',
    });
  });

  it('self-approval (policy allowed) counts as one approval', () => {
    expect(transition(two(), { type: 'approve', by: dan, as: 'self' }, at(MINUTE_MS))).toMatchObject({
      ok: true,
      request: { status: 'pending' },
    });
    expect(transition(open(), { type: 'approve', by: bob, as: 'self' }, at(MINUTE_MS))).toMatchObject({
      ok: false,
      code: 'invalid_event',
    });
  });

  it('break-glass completes at once, only on a break-glass request, only by the requester', () => {
    const bg = open({ breakGlass: true, requiredApprovals: 3 });
    expect(transition(bg, { type: 'approve', by: dan, as: 'break_glass' }, at(MINUTE_MS))).toMatchObject({
      ok: true,
      request: { status: 'approved' },
      audit: { type: 'approved', details: { breakGlass: true }, summary: expect.stringMatching(/break-glass/) },
    });
    expect(transition(open(), { type: 'approve', by: dan, as: 'break_glass' }, at(MINUTE_MS))).toMatchObject({
      ok: false,
      code: 'self_approval',
    });
    expect(transition(bg, { type: 'approve', by: bob, as: 'break_glass' }, at(MINUTE_MS))).toMatchObject({
      ok: false,
      code: 'invalid_event',
    });
  });

  it('the loser of two clicks gets "already decided", naming who decided', () => {
    const won = transition(open(), { type: 'deny', by: bob, reason: 'no' }, at(MINUTE_MS));
    if (!won.ok) throw new Error();
    const lost = transition(won.request, { type: 'approve', by: carol, as: 'approver' }, at(MINUTE_MS));
    expect(lost).toMatchObject({ ok: false, code: 'already_decided' });
    expect(!lost.ok && lost.reason).toBe(
      'This request was already decided: it is denied by Bob at 2026-03-01T10:01:00.000Z.',
    );
  });
});

describe('narrowing, reminders, timeouts', () => {
  it('narrowing only shortens; approvals so far still count', () => {
    const r = open({ durationMs: 4 * HOUR_MS });
    expect(transition(r, { type: 'narrow', by: bob, durationMs: 4 * HOUR_MS }, at(1))).toMatchObject({
      ok: false,
      code: 'not_narrower',
    });
    expect(transition(r, { type: 'narrow', by: bob, durationMs: 8 * HOUR_MS }, at(1))).toMatchObject({
      ok: false,
      code: 'not_narrower',
    });
    expect(transition(r, { type: 'narrow', by: bob, durationMs: 0 }, at(1))).toMatchObject({
      ok: false,
      code: 'invalid_event',
    });
    expect(transition(r, { type: 'narrow', by: bob, durationMs: HOUR_MS }, at(1))).toMatchObject({
      ok: true,
      request: { durationMs: HOUR_MS },
      audit: {
        type: 'narrowed',
        summary: 'Bob shortened the duration from 4h to 1h',
        details: { fromDurationMs: 4 * HOUR_MS, toDurationMs: HOUR_MS },
      },
    });
    expect(
      transition(open({ durationMs: null }), { type: 'narrow', by: bob, durationMs: HOUR_MS }, at(1)),
    ).toMatchObject({ ok: true });
  });

  it('reminders: not before due, then every interval; never when off', () => {
    const r = open();
    expect(transition(r, { type: 'remind' }, at(4 * HOUR_MS - 1))).toMatchObject({ ok: false, code: 'not_due' });
    const once = transition(r, { type: 'remind' }, at(4 * HOUR_MS + 5));
    expect(once).toMatchObject({
      ok: true,
      request: { remindersSent: 1, nextReminderAt: at(8 * HOUR_MS + 5).toISOString() },
      audit: { type: 'reminded' },
    });
    expect(transition(open({ reminderIntervalMs: null }), { type: 'remind' }, at(10 * HOUR_MS))).toMatchObject({
      ok: false,
      code: 'not_due',
    });
  });

  it('times out only after pendingUntil', () => {
    expect(transition(open(), { type: 'time_out' }, at(24 * HOUR_MS - 1))).toMatchObject({
      ok: false,
      code: 'not_due',
    });
    expect(transition(open(), { type: 'time_out' }, at(24 * HOUR_MS))).toMatchObject({
      ok: true,
      request: { status: 'timed_out', decision: { by: null } },
      audit: { actor: null },
    });
  });
});

describe('apply, failure and retry', () => {
  it('applied starts the grant clock from the moment it is applied, with the rule diff', () => {
    const r = inStatus('applying');
    const out = transition(r, { type: 'applied', ...CHANGE }, at(HOUR_MS));
    expect(out).toMatchObject({
      ok: true,
      request: {
        status: 'applied',
        appliedAt: at(HOUR_MS).toISOString(),
        endsAt: at(5 * HOUR_MS).toISOString(),
        apply: { correlationId: 'corr-1' },
      },
      audit: {
        type: 'applied',
        before: CHANGE.before,
        after: CHANGE.after,
        correlationId: 'corr-1',
        details: { diff: { added: ['203.0.113.7/32'], removed: [] } },
      },
    });
  });

  it('a permanent grant has no end', () => {
    const r = drive(open({ durationMs: null }), [
      [{ type: 'approve', by: bob, as: 'approver' }, at(1)],
      [{ type: 'start_apply', by: null }, at(2)],
      [{ type: 'applied', ...CHANGE }, at(3)],
    ]);
    expect(r.endsAt).toBeNull();
    expect(transition(r, { type: 'expire' }, at(1000 * HOUR_MS))).toMatchObject({ ok: false, code: 'invalid_event' });
    expect(transition(r, { type: 'warn_expiry' }, at(1))).toMatchObject({ ok: false, code: 'invalid_event' });
    expect(transition(r, { type: 'revoke', by: carol }, at(5))).toMatchObject({ ok: true });
  });

  it('retryable failures go back to applying and count attempts; others do not', () => {
    const failed = inStatus('failed');
    expect(failed.apply).toMatchObject({ attempts: 1, lastError: 'ARM 503', retryable: true });
    expect(transition(failed, { type: 'start_apply', by: carol }, at(HOUR_MS))).toMatchObject({
      ok: true,
      request: { status: 'applying', apply: { attempts: 2 } },
      audit: { summary: 'Carol retried 203.0.113.7/32 (attempt 2)', details: { retry: true } },
    });
    const fatal = drive(inStatus('applying'), [
      [{ type: 'fail', error: 'rule quota full', retryable: false }, at(HOUR_MS)],
    ]);
    expect(transition(fatal, { type: 'start_apply', by: carol }, at(2 * HOUR_MS))).toMatchObject({
      ok: false,
      code: 'not_retryable',
      reason: expect.stringMatching(/quota/),
    });
  });
});

describe('expiry, revoke and extension', () => {
  it('expires only at the end, and says whether the rule removal is still to do', () => {
    const r = inStatus('applied');
    expect(r.endsAt).toBe(at(4 * HOUR_MS + 3 * MINUTE_MS).toISOString());
    expect(transition(r, { type: 'expire' }, at(4 * HOUR_MS))).toMatchObject({ ok: false, code: 'not_due' });
    expect(transition(r, { type: 'expire' }, at(5 * HOUR_MS))).toMatchObject({
      ok: true,
      audit: { details: { ruleRemoval: 'pending' }, before: null },
    });
    expect(
      transition(
        r,
        {
          type: 'expire',
          change: { before: CHANGE.after, after: CHANGE.before, correlationId: 'c2' },
          note: 'rule kept: covered by another grant',
        },
        at(5 * HOUR_MS),
      ),
    ).toMatchObject({
      ok: true,
      audit: {
        details: { ruleRemoval: 'done', diff: { added: [], removed: ['203.0.113.7/32'] } },
        summary: expect.stringMatching(/rule kept/),
      },
    });
  });

  it('revoke records who and why', () => {
    expect(
      transition(inStatus('applied'), { type: 'revoke', by: carol, reason: 'incident over' }, at(HOUR_MS)),
    ).toMatchObject({
      ok: true,
      request: { status: 'revoked', decision: { by: carol, reason: 'incident over' } },
      audit: { type: 'revoked', actor: carol },
    });
  });

  it('warns once per end; an extension moves the end and re-arms the warning', () => {
    const r = inStatus('applied');
    const warned = drive(r, [[{ type: 'warn_expiry' }, at(3 * HOUR_MS)]]);
    expect(transition(warned, { type: 'warn_expiry' }, at(3 * HOUR_MS + 1))).toMatchObject({
      ok: false,
      code: 'invalid_event',
    });
    const ext = transition(
      warned,
      { type: 'extend', by: dan, extensionRequestId: 'req-2', endsAt: at(8 * HOUR_MS).toISOString() },
      at(3 * HOUR_MS + 2),
    );
    expect(ext).toMatchObject({
      ok: true,
      request: { endsAt: at(8 * HOUR_MS).toISOString(), expiryWarnedAt: null, extendedBy: ['req-2'] },
      audit: { type: 'extended', details: { fromEndsAt: r.endsAt } },
    });
    if (!ext.ok) return;
    expect(
      transition(
        ext.request,
        { type: 'extend', by: dan, extensionRequestId: 'req-2', endsAt: at(9 * HOUR_MS).toISOString() },
        at(4 * HOUR_MS),
      ),
    ).toMatchObject({ ok: false, code: 'invalid_event', reason: expect.stringMatching(/already applied/) });
  });

  it('refuses extensions that shorten, come too late, or target an extension', () => {
    const r = inStatus('applied');
    expect(
      transition(
        r,
        { type: 'extend', by: dan, extensionRequestId: 'e', endsAt: at(HOUR_MS).toISOString() },
        at(30 * MINUTE_MS),
      ),
    ).toMatchObject({ ok: false, code: 'invalid_event' });
    expect(
      transition(r, { type: 'extend', by: dan, extensionRequestId: 'e', endsAt: 'soon' }, at(30 * MINUTE_MS)),
    ).toMatchObject({ ok: false, code: 'invalid_event' });
    expect(
      transition(
        r,
        { type: 'extend', by: dan, extensionRequestId: 'e', endsAt: at(9 * HOUR_MS).toISOString() },
        at(5 * HOUR_MS),
      ),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/already ended/) });
  });

  it('an extension request runs the same approval path and has no end of its own', () => {
    const ext = drive(open({ kind: 'extension', extendsRequestId: 'req-1', durationMs: 2 * HOUR_MS }), [
      [{ type: 'approve', by: bob, as: 'approver' }, at(1)],
      [{ type: 'start_apply', by: null }, at(2)],
      [{ type: 'applied', before: CHANGE.after, after: CHANGE.after, correlationId: null }, at(3)],
    ]);
    expect(ext).toMatchObject({ status: 'applied', endsAt: null, kind: 'extension' });
    expect(
      transition(
        ext,
        { type: 'extend', by: null, extensionRequestId: 'x', endsAt: at(9 * HOUR_MS).toISOString() },
        at(4),
      ),
    ).toMatchObject({ ok: false, code: 'invalid_event' });
  });
});

describe('who owns a rule, and its removal when the grant ends', () => {
  it('a grant owns the value its write added, as ARM gives it back; nothing when a rule already admitted it', () => {
    const applied = (before: string[], after: string[]): AccessRequest =>
      drive(inStatus('applying'), [[{ type: 'applied', before, after, correlationId: null }, at(HOUR_MS)]]);
    expect(applied(CHANGE.before, CHANGE.after).ruleAdded).toBe('203.0.113.7/32');
    expect(applied(['1.1.1.1'], ['1.1.1.1', '203.0.113.7']).ruleAdded).toBe('203.0.113.7');
    expect(applied(['203.0.113.7'], ['203.0.113.7']).ruleAdded).toBeNull();
    expect(applied(['203.0.113.0/24'], ['203.0.113.0/24']).ruleAdded).toBeNull();
  });

  it('another grant can take a value over while it is applied, and the audit says so', () => {
    const out = transition(inStatus('applied'), { type: 'adopt_rule', value: '203.0.113.7/32' }, at(HOUR_MS));
    expect(out).toMatchObject({
      ok: true,
      request: { ruleAdded: '203.0.113.7/32', status: 'applied' },
      audit: { type: 'rule_adopted', details: { value: '203.0.113.7/32' } },
    });
    expect(transition(inStatus('expired'), { type: 'adopt_rule', value: 'x' }, at(HOUR_MS))).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
  });

  it('records the removal once, with the reason read from the rules around the write', () => {
    const ended = inStatus('expired');
    expect(ended).toMatchObject({ ruleAdded: '203.0.113.7/32', ruleRemovedAt: null });
    const removal = { before: CHANGE.after, after: CHANGE.before, correlationId: 'corr-rm' };
    const removed = transition(ended, { type: 'remove_rule', change: removal }, at(6 * HOUR_MS));
    expect(removed).toMatchObject({
      ok: true,
      request: { status: 'expired', ruleRemovedAt: at(6 * HOUR_MS).toISOString() },
      audit: {
        type: 'rule_removed',
        summary: '203.0.113.7/32 removed from acr1',
        correlationId: 'corr-rm',
        details: { note: null, diff: { added: [], removed: ['203.0.113.7/32'] } },
      },
    });
    if (!removed.ok) return;
    expect(transition(removed.request, { type: 'remove_rule', change: removal }, at(7 * HOUR_MS))).toMatchObject({
      ok: false,
      code: 'already_recorded',
    });
    const kept = (change: typeof removal, neededBy: string[] = []): string =>
      (() => {
        const out = transition(ended, { type: 'remove_rule', change, neededBy }, at(6 * HOUR_MS));
        return out.ok ? out.audit.summary : out.reason;
      })();
    expect(kept({ ...removal, after: removal.before }, ['req-9'])).toBe(
      '203.0.113.7/32 kept on acr1: still needed by active grant req-9',
    );
    expect(kept({ ...removal, before: ['1.1.1.1'] })).toMatch(/no longer on the registry \(removed by someone else\)/);
    const notOurs = drive(inStatus('applying'), [
      [{ type: 'applied', before: ['203.0.113.0/24'], after: ['203.0.113.0/24'], correlationId: null }, at(HOUR_MS)],
      [{ type: 'revoke', by: carol }, at(2 * HOUR_MS)],
    ]);
    const same = { before: ['203.0.113.0/24'], after: ['203.0.113.0/24'], correlationId: null };
    expect(transition(notOurs, { type: 'remove_rule', change: same }, at(3 * HOUR_MS))).toMatchObject({
      ok: true,
      audit: { summary: expect.stringMatching(/kept on acr1: the bot did not add this rule/) },
    });
    expect(
      transition(notOurs, { type: 'remove_rule', change: same, registryGone: true }, at(3 * HOUR_MS)),
    ).toMatchObject({ ok: true, audit: { summary: '203.0.113.7/32 kept on acr1: the registry no longer exists' } });
  });
});
