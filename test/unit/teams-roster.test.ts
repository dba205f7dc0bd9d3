/**
 * The Teams roster cache and who a request card's refresh names: ids learned from authenticated activities, by AAD
 * object id and UPN, case-insensitively, for a while; bounded; and the people a card resolves (Teams and email
 * approvers, the requester when they can act; never groups or Slack ids).
 */
import { describe, expect, it } from 'vitest';
import { rosterScope, TeamsRoster } from '../../src/adapters/teams/roster.js';
import { peopleFor } from '../../src/adapters/teams/views.js';
import { createLogger } from '../../src/log.js';
import { view } from '../golden/teams/approval-fixtures.js';

const logger = createLogger('silent');

describe('TeamsRoster cache', () => {
  it('learns a sender by AAD object id and UPN, case-insensitively', () => {
    const roster = new TeamsRoster({ logger });
    roster.learn({
      id: '29:abc',
      name: 'Carol',
      aadObjectId: '6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB',
      userPrincipalName: 'Carol@Acme.example',
    } as never);
    expect(roster.cached('6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab')?.id).toBe('29:abc');
    expect(roster.cached('carol@acme.example')?.id).toBe('29:abc');
    expect(roster.cached('someone@acme.example')).toBeNull();
  });

  it('forgets after the TTL and keeps at most maxEntries', () => {
    let now = 0;
    const roster = new TeamsRoster({ logger, ttlMs: 1000, maxEntries: 2, now: () => now });
    roster.learn({ id: '29:a', name: 'A', aadObjectId: 'a' });
    now = 999;
    expect(roster.cached('a')?.id).toBe('29:a');
    now = 1000;
    expect(roster.cached('a')).toBeNull();
    roster.learn({ id: '29:b', name: 'B', aadObjectId: 'b' });
    roster.learn({ id: '29:c', name: 'C', aadObjectId: 'c' });
    roster.learn({ id: '29:d', name: 'D', aadObjectId: 'd' });
    expect(roster.cached('b')).toBeNull();
    expect(roster.cached('d')?.id).toBe('29:d');
  });

  it('ignores accounts without an id, and keeps nothing for one with neither AAD id nor UPN', () => {
    const roster = new TeamsRoster({ logger });
    expect(roster.learn(undefined)).toBeNull();
    expect(roster.learn({ id: '', name: 'x' })).toBeNull();
    expect(roster.learn({ id: '29:anon', name: 'Anon' })?.id).toBe('29:anon');
    expect(roster.cached('anon')).toBeNull();
  });

  it('resolves a channel card in its team, a chat in itself (thread suffix dropped)', () => {
    expect(rosterScope('19:chan@thread.tacv2;messageid=171', '19:team@thread.tacv2')).toBe('19:team@thread.tacv2');
    expect(rosterScope('19:chat@thread.v2;messageid=171', null)).toBe('19:chat@thread.v2');
    expect(rosterScope('a:1personal', undefined)).toBe('a:1personal');
  });
});

describe('who a request card refreshes for', () => {
  it('pending: Teams and email approvers, then the requester (id, then email); no groups or Slack ids', () => {
    expect(peopleFor(view('pending', 'conversation'))).toEqual([
      ['6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab'],
      ['bob@acme.example'],
      ['0a1b2c3d-0000-4000-8000-00000000000b', 'dana.lee@acme.example'],
    ]);
  });

  it('approved or applying: the requester has nothing to do, so only the approvers', () => {
    for (const s of ['approved', 'applying'] as const) {
      expect(peopleFor({ ...view(s, 'conversation'), actions: [] }).flat()).not.toContain(
        '0a1b2c3d-0000-4000-8000-00000000000b',
      );
    }
  });

  it('a requester from Slack is not looked up in Teams', () => {
    const v = view('pending', 'conversation');
    const slack = {
      ...v,
      request: {
        ...v.request,
        requester: { platform: 'slack' as const, id: 'U0DANA', email: 'dana@acme.example', displayName: 'Dana' },
      },
    };
    expect(peopleFor(slack).flat()).not.toContain('U0DANA');
  });
});
