/**
 * Scheduled access and approval by a rule, in the state machine: a request may name when its window opens; the
 * approval deadline runs from the request (never past the window's end); approving early is fine, but the rule is
 * not applied before the window opens, and the grant ends when the window closes. `auto_approve` approves at once,
 * naming the rule, and refuses what no rule may approve.
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, DAY_MS } from '../../../src/core/policy/duration.js';
import { checkStart } from '../../../src/core/policy/start.js';
import {
  openRequest,
  transition,
  type AccessRequest,
  type NewRequest,
  type Party,
} from '../../../src/core/requests/index.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const dan: Party = { platform: 'slack', id: 'U0DAN0001', email: 'dan@contoso.com', displayName: 'Dan' };
const carol: Party = { platform: 'slack', id: 'U0CAROL01', email: 'carol@contoso.com', displayName: 'Carol' };
const CHANGE = { before: [], after: ['203.0.113.7/32'], correlationId: 'c1' };

function open(over: Partial<NewRequest> = {}): AccessRequest {
  const out = openRequest(
    {
      kind: 'grant',
      extendsRequestId: null,
      registry: {
        id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/a',
        name: 'a',
        loginServer: null,
      },
      rule: '203.0.113.7/32',
      durationMs: 2 * HOUR_MS,
      reason: 'night deploy',
      ticket: null,
      requester: dan,
      channel: null,
      breakGlass: false,
      requiredApprovals: 1,
      pendingTimeoutMs: DAY_MS,
      reminderIntervalMs: 4 * HOUR_MS,
      ...over,
    },
    { id: 'r1', now: T0 },
  );
  if (!out.ok) throw new Error(out.reason);
  return out.request;
}

function step(r: AccessRequest, event: Parameters<typeof transition>[1], when: Date): AccessRequest {
  const out = transition(r, event, when);
  if (!out.ok) throw new Error(`${out.code}: ${out.reason}`);
  return out.request;
}

describe('scheduled access', () => {
  it('keeps the approval deadline apart from the window, and never past its end', () => {
    const later = open({ startsAt: at(3 * DAY_MS).toISOString() });
    expect(later.startsAt).toBe(at(3 * DAY_MS).toISOString());
    expect(later.pendingUntil).toBe(at(DAY_MS).toISOString());
    const soon = open({ startsAt: at(HOUR_MS).toISOString() });
    expect(soon.pendingUntil).toBe(at(3 * HOUR_MS).toISOString());
    expect(open({ startsAt: at(-MINUTE_MS).toISOString() }).startsAt).toBeNull();
  });

  it('approved ahead of time, applied only once the window opens, ending when it closes', () => {
    const r = open({ startsAt: at(5 * HOUR_MS).toISOString() });
    const approved = step(r, { type: 'approve', by: carol, as: 'approver' }, at(10 * MINUTE_MS));
    expect(approved.status).toBe('approved');
    const early = transition(approved, { type: 'start_apply', by: null }, at(4 * HOUR_MS));
    expect(early).toMatchObject({ ok: false, code: 'not_due' });
    const applying = step(approved, { type: 'start_apply', by: null }, at(5 * HOUR_MS));
    const applied = step(applying, { type: 'applied', ...CHANGE }, at(5 * HOUR_MS + 2 * MINUTE_MS));
    expect(applied.endsAt).toBe(at(7 * HOUR_MS).toISOString());
  });

  it('the start is checked against now and maxLeadTime', () => {
    const p = { maxLeadTimeMs: 2 * DAY_MS, source: 'defaults' };
    expect(checkStart(p, { startsAt: at(DAY_MS).toISOString(), now: T0 }, false)).toEqual({
      ok: true,
      startsAt: at(DAY_MS).toISOString(),
    });
    expect(checkStart(p, { startsAt: at(3 * DAY_MS).toISOString(), now: T0 }, false)).toMatchObject({
      ok: false,
      code: 'start_too_far',
    });
    expect(checkStart(p, { startsAt: at(-HOUR_MS).toISOString(), now: T0 }, false)).toMatchObject({
      ok: false,
      code: 'start_in_past',
    });
    expect(checkStart(p, { startsAt: 'tomorrow', now: T0 }, false)).toMatchObject({ ok: false, code: 'invalid_start' });
    expect(
      checkStart({ ...p, maxLeadTimeMs: null }, { startsAt: at(HOUR_MS).toISOString(), now: T0 }, false),
    ).toMatchObject({ ok: false, code: 'scheduling_off' });
    expect(checkStart(p, { startsAt: at(HOUR_MS).toISOString(), now: T0 }, true)).toMatchObject({
      ok: false,
      code: 'invalid_start',
    });
    expect(checkStart(p, { startsAt: '', now: T0 }, false)).toEqual({ ok: true, startsAt: null });
  });
});

describe('approval by a rule', () => {
  it('approves at once and names the rule', () => {
    const out = transition(
      open(),
      { type: 'auto_approve', rule: 'aks-egress', source: 'defaults.autoApprove[0]' },
      at(MINUTE_MS),
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.request).toMatchObject({
      status: 'approved',
      approvals: [],
      nextReminderAt: null,
      approvedByRule: { name: 'aks-egress', source: 'defaults.autoApprove[0]', at: at(MINUTE_MS).toISOString() },
    });
    expect(out.audit).toMatchObject({ type: 'approved', actor: null, summary: 'Approved by rule aks-egress' });
  });

  it('refuses break-glass and permanent requests', () => {
    const ev = { type: 'auto_approve', rule: 'r', source: 's' } as const;
    expect(transition(open({ breakGlass: true }), ev, at(1))).toMatchObject({ ok: false });
    expect(transition(open({ durationMs: null }), ev, at(1))).toMatchObject({ ok: false });
  });
});
