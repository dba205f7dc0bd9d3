/**
 * The one table of which button a request card may offer to whom in which status, cell by cell, and the request
 * facts that narrow it. Every copy of a card is drawn from it, so an ended request has no live button anywhere.
 */
import { describe, expect, it } from 'vitest';
import {
  actionsForRoles,
  REQUEST_ACTIONS,
  REQUEST_ROLES,
  statusAllows,
  type RequestAction,
  type RequestRole,
} from '../../src/core/approvals/index.js';
import { REQUEST_STATUSES, type RequestStatus } from '../../src/core/requests/types.js';

const EXPECTED: Record<RequestStatus, Record<RequestRole, RequestAction[]>> = {
  pending: { requester: ['narrow', 'cancel'], approver: ['approve', 'deny', 'narrow'], other: [] },
  approved: { requester: [], approver: [], other: [] },
  applying: { requester: [], approver: [], other: [] },
  applied: { requester: ['extend', 'revoke'], approver: ['revoke'], other: [] },
  failed: { requester: ['retry'], approver: ['retry'], other: [] },
  expired: { requester: [], approver: [], other: [] },
  revoked: { requester: [], approver: [], other: [] },
  denied: { requester: [], approver: [], other: [] },
  cancelled: { requester: [], approver: [], other: [] },
  timed_out: { requester: [], approver: [], other: [] },
};

const GRANT = {
  kind: 'grant' as const,
  endsAt: '2026-03-02T13:00:00.000Z',
  apply: { attempts: 1, lastError: 'throttled', retryable: true, correlationId: null },
};

describe('the request action table', () => {
  for (const status of REQUEST_STATUSES) {
    for (const role of REQUEST_ROLES) {
      it(`${status} × ${role}: ${EXPECTED[status][role].join(', ') || 'nothing'}`, () => {
        expect([...REQUEST_ACTIONS[status][role]]).toEqual(EXPECTED[status][role]);
        expect(actionsForRoles({ ...GRANT, status }, [role])).toEqual(EXPECTED[status][role]);
      });
    }
  }

  it('covers every status', () => {
    expect(Object.keys(REQUEST_ACTIONS).sort()).toEqual([...REQUEST_STATUSES].sort());
  });

  it('a failure that cannot be retried offers no Retry', () => {
    const r = { ...GRANT, status: 'failed' as const, apply: { ...GRANT.apply, retryable: false } };
    expect(actionsForRoles(r, ['requester', 'approver'])).toEqual([]);
    expect(statusAllows(r, 'retry')).toBe(false);
  });

  it('a permanent grant cannot be extended; an extension is neither extended nor revoked', () => {
    expect(actionsForRoles({ ...GRANT, status: 'applied', endsAt: null }, ['requester'])).toEqual(['revoke']);
    expect(actionsForRoles({ ...GRANT, status: 'applied', kind: 'extension' }, ['requester', 'approver'])).toEqual([]);
  });

  it('someone who is requester and approver gets both cells, in button order, once each', () => {
    expect(actionsForRoles({ ...GRANT, status: 'pending' }, ['requester', 'approver'])).toEqual([
      'approve',
      'deny',
      'narrow',
      'cancel',
    ]);
  });

  it('no ended status allows any button to anyone', () => {
    for (const status of ['expired', 'revoked', 'denied', 'cancelled', 'timed_out'] as const)
      for (const a of ['approve', 'deny', 'narrow', 'cancel', 'retry', 'extend', 'revoke'] as const)
        expect(statusAllows({ ...GRANT, status }, a)).toBe(false);
  });
});
