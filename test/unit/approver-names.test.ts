/**
 * Approvers by name wherever the bot lists them: the approvers summary lists a person policy names on both
 * platforms once (and still asks for the approvals policy asks for, counted as policy counts them), the "you are not
 * an approver" refusal and the start-up log of approvers nobody can reach name them as cards do: policy's name, the
 * people directory's (here a real SQLite store), else the entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/adapters/policy/load.js';
import { createStore } from '../../src/adapters/store/index.js';
import { unreachableApprovers } from '../../src/app/approvals/names.js';
import { approversSummary } from '../../src/app/approvals/views.js';
import { People } from '../../src/app/people.js';
import type { Store } from '../../src/app/store.js';
import type { Actor } from '../../src/core/actor.js';
import { NO_NAMES } from '../../src/core/people.js';
import { canApprove, type ApprovalSubject } from '../../src/core/policy/evaluate.js';
import { unreachableParts } from '../../src/core/policy/reach.js';
import { createLogger } from '../../src/log.js';

const CAROL_AAD = '33333333-3333-4333-8333-333333333333';
const DAVE_AAD = '55555555-5555-4555-8555-555555555555';
const registry = {
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/prodacr',
  name: 'prodacr',
};
const policy = parsePolicy(
  `
version: 1
defaults:
  approvers:
    - { id: "teams:${CAROL_AAD}", name: Carol Diaz }
    - { id: "slack:U0CAROL01", name: Carol Diaz }
    - "teams:${DAVE_AAD}"
  minApprovals: 2
  notify: { directMessages: false }
`,
  'policy.yaml',
);
const book = (platform: string, id: string) => (platform === 'teams' && id === DAVE_AAD ? 'Dave Kim' : null);
const actor = (platform: 'teams' | 'slack', id: string, email: string | null = null): Actor => ({
  platform,
  id,
  email,
  displayName: null,
});
const subject = (over: Partial<ApprovalSubject> = {}): ApprovalSubject => ({
  registry,
  requester: { platform: 'slack', id: 'U0DAN0001', email: 'dan@contoso.com' },
  status: 'pending',
  breakGlass: false,
  requiredApprovals: 2,
  approvals: [],
  ...over,
});

let dir: string | null = null;
let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  store = null;
  dir = null;
});

describe('approvers by name', () => {
  it('the summary lists each distinct name once and still asks for what policy asks', () => {
    expect(approversSummary(policy, registry, undefined, book)).toBe('2 approvals from Carol Diaz or Dave Kim');
    expect(approversSummary(policy, registry, undefined, NO_NAMES)).toBe(
      `2 approvals from Carol Diaz or Teams user ${DAVE_AAD}`,
    );
  });

  it('counting stays policy’s: one person on two platforms is one approver only when their emails say so', () => {
    const teamsCarol = { platform: 'teams' as const, id: CAROL_AAD, email: 'carol@contoso.com' };
    const approved = subject({ approvals: [{ by: teamsCarol, at: '2026-03-02T09:00:00Z', as: 'approver' }] } as never);
    expect(canApprove(policy, actor('slack', 'U0CAROL01', 'carol@contoso.com'), approved)).toMatchObject({
      ok: false,
      code: 'already_approved',
    });
    expect(canApprove(policy, actor('slack', 'U0CAROL01', null), approved)).toMatchObject({ ok: true });
  });

  it('"You are not an approver" names the approvers as cards do', () => {
    const eve = actor('teams', '66666666-6666-4666-8666-666666666666');
    const named = canApprove(policy, eve, subject(), book);
    expect(named).toMatchObject({ ok: false, code: 'not_an_approver' });
    expect(!named.ok && named.reason).toBe('You are not an approver for prodacr. Approvers: Carol Diaz, Dave Kim.');
    const unnamed = canApprove(policy, eve, subject());
    expect(!unnamed.ok && unnamed.reason).toContain(`Teams user ${DAVE_AAD}`);
  });

  it('the start-up log names unreachable approvers from the people directory', async () => {
    expect(unreachableParts(policy, new Set(['slack']), book)[0]!.approvers).toEqual(['Carol Diaz', 'Dave Kim']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-approver-names-'));
    const clock = { now: () => new Date('2026-03-02T09:00:00Z') };
    store = await createStore({ kind: 'sqlite', file: path.join(dir, 'db.sqlite') }, { clock });
    await store.savePersonName('teams', DAVE_AAD, 'Dave Kim');
    const people = new People({ store, lookup: null, clock, logger: createLogger('silent') });
    const parts = await unreachableApprovers({ policy, people }, new Set(['slack']));
    expect(parts).toEqual([
      { source: 'defaults', registries: ['every other registry'], approvers: ['Carol Diaz', 'Dave Kim'] },
    ]);
  });
});
