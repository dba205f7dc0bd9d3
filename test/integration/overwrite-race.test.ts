/**
 * The race the bot cannot close, reproduced and detected: someone adds a rule in the moment between the bot's last
 * read of a registry and its PATCH (the emulator applies an edit right after the read that settles the plan is
 * answered). The PATCH, built from that read, replaces the rule set and the rule is lost; the Activity Log check after
 * the write finds the other write in that window and tells the audit log and the approvers, with who and when.
 * Control: an apply with nobody else writing reports nothing (the bot's own PATCH is not mistaken for another's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { Party } from '../../src/core/requests/index.js';
import { OUT_OF_BAND_CALLER } from '../../tools/arm-emulator/routes/activity-log.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { startEngine, type Engine } from './approvals-harness.js';
import { newRequest } from './store.contract.js';

const BOB: Party = { platform: 'slack', id: 'U0BOB0001', email: 'bob@contoso.com', displayName: 'Bob' };
let emu: ArmEmulator;
let dir: string;
let e: Engine | null = null;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-race-'));
});
// An emulator per test: its Activity Log keeps every write it answered, and each test reads a window of its own.
beforeEach(async () => {
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
});
afterEach(async () => {
  await e?.close();
  e = null;
  await emu?.close();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const rulesOf = (): string[] => {
  const set = emu.state.registry('acmeprod')?.properties?.networkRuleSet as
    | { ipRules?: { value: string }[] }
    | undefined;
  return (set?.ipRules ?? []).map((r) => r.value);
};

/** One approved request for `rule` on acmeprod, then the worker applies it; resolves when everything has settled. */
async function applyOne(name: string, rule: string): Promise<{ engine: Engine; id: string }> {
  const engine = await startEngine({
    emu,
    openStore: (clock) => createStore({ kind: 'sqlite', file: path.join(dir, `${name}.db`) }, { clock }),
    settings: { activityLogRecheckMs: 0 },
    start: false,
  });
  const created = await engine.store.createRequest(
    newRequest({ registry: { id: SAMPLE.acmeprod, name: 'acmeprod', loginServer: 'acmeprod.azurecr.io' }, rule }),
  );
  if (!created.ok) throw new Error(created.reason);
  const approved = await engine.store.transition(created.request.id, { type: 'approve', by: BOB, as: 'approver' });
  expect(approved.ok).toBe(true);
  return { engine, id: created.request.id };
}

it('a rule added between the last read and the PATCH is overwritten, and the write that made it is reported', async () => {
  const started = await applyOne('race', '52.232.64.40/32');
  e = started.engine;
  // The worker reads twice (two reads that agree settle the plan); the edit lands right after the second is answered.
  emu.edits.add({ registry: 'acmeprod', afterGets: 2, addIpRules: ['40.40.40.40'] });
  await e.approvals.start();
  await e.approvals.idle(30_000);

  // The race, reproduced: the PATCH was built from the read before the edit, so the edit's rule is gone.
  expect(emu.countRequests({ method: 'PATCH' })).toBe(1);
  expect(rulesOf()).toContain('52.232.64.40/32');
  expect(rulesOf()).not.toContain('40.40.40.40');

  // Detected: the audit log says who wrote, when, and that the change may have been overwritten.
  const reported = (await e.store.listAudit({ registry: 'acmeprod' })).filter((a) => a.type === 'concurrent_write');
  expect(reported).toHaveLength(1);
  const [event] = reported;
  // The bot's own write is the one the request was applied with.
  const ours = (await e.store.getRequest(started.id))?.apply.correlationId;
  expect(ours).toEqual(expect.any(String));
  expect(event!.correlationId).toBe(ours);
  expect(event).toMatchObject({
    registryName: 'acmeprod',
    summary: expect.stringMatching(new RegExp(`written by ${OUT_OF_BAND_CALLER} at .*may have been overwritten`)),
    details: { operationKind: 'add', writes: [{ caller: OUT_OF_BAND_CALLER, status: 'Succeeded' }] },
  });
  expect((event!.details.writes as Array<{ correlationId: string }>)[0]!.correlationId).not.toBe(ours);
  expect(event!.before).not.toContain('40.40.40.40');

  // Reported: every approver is told (DMs, as policy asks), with the same words.
  const warned = e.notifier.sent.filter(
    (s) =>
      s.kind === 'direct' &&
      s.reply.type === 'notice' &&
      s.reply.title === 'A firewall change may have been overwritten',
  );
  expect(warned.map((s) => s.person?.userId ?? s.person?.email).sort()).toEqual(
    ['U0BOB0001', 'U0ERIN001', 'carol@contoso.com'].sort(),
  );
  expect(warned[0]!.reply.type === 'notice' && warned[0]!.reply.text).toBe(event!.summary);
  // The query the bot made: its own registry, a window that starts before its PATCH.
  expect(emu.countRequests({ method: 'GET', path: /eventtypes\/management\/values$/i })).toBeGreaterThanOrEqual(1);
});

it('with nobody else writing, the same apply reports nothing (its own PATCH is recognised)', async () => {
  e = (await applyOne('quiet', '52.232.64.41/32')).engine;
  await e.approvals.start();
  await e.approvals.idle(30_000);
  expect(rulesOf()).toContain('52.232.64.41/32');
  expect(emu.countRequests({ method: 'GET', path: /eventtypes\/management\/values$/i })).toBe(1);
  expect((await e.store.listAudit()).filter((a) => a.type === 'concurrent_write')).toEqual([]);
  expect(e.notifier.sent.filter((s) => s.reply.type === 'notice')).toEqual([]);
});
