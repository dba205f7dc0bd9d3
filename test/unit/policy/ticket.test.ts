/** Policy `requireTicket`: one check for every way a request is made, and the reference carried into the request's audit. */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/adapters/policy/load.js';
import type { Actor } from '../../../src/core/actor.js';
import { MAX_TICKET, planRequest, type RequestAsk } from '../../../src/core/policy/index.js';
import { newRequestFrom, openRequest, partyOf } from '../../../src/core/requests/index.js';

const policy = parsePolicy(
  `
version: 1
defaults:
  approvers: [alice@contoso.com]
registries:
  - match: prod*
    requireTicket: true
`,
  'policy.yaml',
);
const dan: Actor = { platform: 'slack', id: 'U0DAN0001', email: 'dan@contoso.com', displayName: 'Dan' };
const prod = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/prodacr',
  name: 'prodacr',
};
const dev = { ...prod, id: prod.id.replace('prodacr', 'devacr'), name: 'devacr' };
const ask = (over: Partial<RequestAsk> = {}): RequestAsk => ({
  actor: dan,
  channel: { platform: 'slack', conversationId: 'C0PLATFORM' },
  registry: prod,
  rule: '20.50.1.2',
  duration: null,
  reason: 'release pipeline',
  ...over,
});

describe('requireTicket', () => {
  it('refuses a request without a ticket where policy requires one, saying which entry', () => {
    for (const ticket of [null, '', '   ']) {
      const out = planRequest(policy, ask({ ticket }));
      expect(out).toMatchObject({ ok: false, code: 'ticket_required' });
      expect(!out.ok && out.reason).toContain('registries[0]');
    }
    expect(planRequest(policy, ask())).toMatchObject({ ok: false, code: 'ticket_required' });
  });

  it('takes the reference trimmed where required, and optionally elsewhere', () => {
    expect(planRequest(policy, ask({ ticket: '  CHG0012345 ' }))).toMatchObject({ ok: true, ticket: 'CHG0012345' });
    expect(planRequest(policy, ask({ registry: dev }))).toMatchObject({ ok: true, ticket: null });
    expect(planRequest(policy, ask({ registry: dev, ticket: 'OPS-7' }))).toMatchObject({ ok: true, ticket: 'OPS-7' });
  });

  it('refuses a reference that is not one printable line of bounded length, wherever it is given', () => {
    for (const ticket of ['CHG1\nCHG2', 'CHG\u202E1', 'x'.repeat(MAX_TICKET + 1)]) {
      expect(planRequest(policy, ask({ ticket }))).toMatchObject({ ok: false, code: 'invalid_ticket' });
      expect(planRequest(policy, ask({ registry: dev, ticket }))).toMatchObject({ ok: false, code: 'invalid_ticket' });
    }
    expect(planRequest(policy, ask({ ticket: 'x'.repeat(MAX_TICKET) }))).toMatchObject({ ok: true });
  });

  it('the request keeps the ticket and its requested audit event carries it', () => {
    const terms = planRequest(policy, ask({ ticket: 'CHG0012345' }));
    if (!terms.ok) throw new Error(terms.reason);
    const opened = openRequest(
      newRequestFrom(terms, {
        requester: partyOf(dan),
        channel: null,
        registry: { ...prod, loginServer: null },
      }),
      { id: 'r1', now: new Date('2026-03-01T10:00:00Z') },
    );
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.request.ticket).toBe('CHG0012345');
    expect(opened.audit.details.ticket).toBe('CHG0012345');
    expect(opened.audit.summary).toContain('for ticket CHG0012345');
  });
});
