/**
 * Free N slots on the approval engine (real chat service, store, policy and Azure gateway against the ARM emulator):
 * what is never offered (a rule the bot keeps for an active grant), what is reported (a bot rule whose grant has
 * ended), a merge allowed by broadestPrefix that admits exactly the addresses it listed, and the worker refusing an
 * approved cleanup, with no write, when the registry changed under it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { ActionResult } from '../../src/app/chat.js';
import type { HygieneView } from '../../src/core/quota/index.js';
import type { Reply } from '../../src/core/reply.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { addressesLost } from '../support/quota-fixture.js';
import { CAROL, DANA, DEV_CHANNEL, POLICY_YAML, startEngine, type Engine } from './approvals-harness.js';

const NAME = 'acmeprod';
const POLICY = POLICY_YAML.replace('registries:\n', 'registries:\n  - match: acmeprod\n    broadestPrefix: 24\n');

let emu: ArmEmulator;
let e: Engine;
let dir: string;

const rules = () =>
  (
    emu.state.registry(NAME)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
/** The registry's rules at the start of a test. */
function setRules(values: string[]): void {
  const state = emu.state.get();
  const reg = state.registries.find((r) => r.name === NAME)!;
  (reg.properties as { networkRuleSet: { ipRules: unknown[] } }).networkRuleSet.ipRules = values.map((value) => ({
    action: 'Allow',
    value,
  }));
  emu.state.replace(state);
}
/** Someone else changes the firewall (an out-of-band edit, as the portal would). */
function edit(change: { add?: string[]; remove?: string[] }): void {
  emu.edits.add({ registry: NAME, afterGets: 0, addIpRules: change.add ?? [], removeIpRules: change.remove ?? [] });
}
const patches = () => emu.countRequests({ method: 'PATCH' });

function hygieneOf(reply: Reply | null): HygieneView {
  if (reply?.type !== 'firewall' || !reply.hygiene) throw new Error(`no hygiene in ${JSON.stringify(reply)}`);
  return reply.hygiene;
}
function requestOf(out: ActionResult) {
  if (out.reply.type !== 'request') throw new Error(JSON.stringify(out.reply));
  return out.reply.view.request;
}

async function grant(ip: string) {
  const opened = await e.act('request_access', { registryId: SAMPLE.acmeprod, rule: `${ip}/32`, ip }, DANA);
  if (opened.reply.type !== 'request_form') throw new Error(JSON.stringify(opened.reply));
  const r = requestOf(
    await e.act('submit_request', { ...opened.reply.form.submitData, reason: 'CI', duration: '2h' }, DANA),
  );
  await e.act('approve', { requestId: r.id, version: r.version }, CAROL);
  await e.approvals.idle(20_000);
  return (await e.store.getRequest(r.id))!;
}

beforeAll(async () => {
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-quota-engine-'));
  const file = path.join(dir, 'acr-access.db');
  e = await startEngine({
    emu,
    policy: POLICY,
    openStore: (clock) => createStore({ kind: 'sqlite', file }, { clock }),
  });
});
afterEach(async () => {
  await e.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Free N slots on the approval engine', () => {
  it('never offers a rule the bot keeps for an active grant, nor leans on one; reports a bot rule whose grant ended', async () => {
    setRules(['203.0.113.10', '52.174.20.0/28', '20.61.14.36']);
    const g = await grant(SAMPLE.aksOutboundIp);
    expect(g.status).toBe('applied');
    expect(g.ruleAdded).toBe(`${SAMPLE.aksOutboundIp}/32`);
    // Someone adds the AKS egress /24 by hand; the grant's /32 and an old manual address are now inside it.
    edit({ add: ['20.61.14.0/24'] });
    const view = hygieneOf(await e.say(NAME, DANA));
    const covered = view.sections.find((s) => s.title.startsWith('Covered'))!.lines;
    expect(covered).toEqual(['20.61.14.36 is inside 20.61.14.0/24, which stays']);
    expect(view.offers.map((o) => o.label)).toEqual(['Free 1 slot']);

    // The grant is revoked and its rule comes off; someone puts the same value back: the bot says it should not be there.
    await e.act('revoke', { requestId: g.id, version: g.version }, CAROL);
    const r = (await e.store.getRequest(g.id))!;
    await e.act('submit_revoke', { requestId: g.id, version: r.version, reason: 'done' }, CAROL);
    await e.approvals.idle(20_000);
    expect(rules()).not.toContain(`${SAMPLE.aksOutboundIp}/32`);
    edit({ add: [`${SAMPLE.aksOutboundIp}/32`] });
    const after = hygieneOf(await e.say(NAME, DANA));
    expect(after.sections.find((s) => s.title.startsWith('Rules of ended grants'))?.lines).toEqual([
      expect.stringMatching(new RegExp(`^${SAMPLE.aksOutboundIp}/32 was added by the bot for request ${g.id}`)),
    ]);
    expect(after.summary).toContain('outlived its grant');
  });

  it('a merge allowed by broadestPrefix: its own button, and applying it admits exactly the addresses it listed', async () => {
    setRules(['203.0.113.10', '51.4.4.9', '51.4.4.10', '52.174.20.0/28', '52.174.20.5']);
    const view = hygieneOf(await e.say(NAME, DANA));
    expect(view.sections.find((s) => s.title.startsWith('Neighbours'))!.lines).toEqual([
      '51.4.4.9 + 51.4.4.10 → 51.4.4.8/30 (frees 1 slot, adds 2 addresses: 51.4.4.8/32, 51.4.4.11/32)',
    ]);
    expect(view.offers.map((o) => [o.label, o.data.merges])).toEqual([
      ['Free 1 slot', false],
      ['Free 2 slots, merging', true],
    ]);
    const before = rules();
    const r = requestOf(await e.act('free_slots', view.offers[1]!.data, DANA));
    expect(r.cleanup!.widens).toEqual(['51.4.4.8/32', '51.4.4.11/32']);
    await e.act('approve', { requestId: r.id, version: r.version }, CAROL);
    await e.approvals.idle(20_000);
    expect((await e.store.getRequest(r.id))?.status).toBe('applied');
    const after = rules();
    expect(after).toEqual(['203.0.113.10', '52.174.20.0/28', '51.4.4.8/30']);
    expect(addressesLost(before, after)).toEqual([]);
    expect(addressesLost(after, before).map((n) => n & 255)).toEqual([8, 11]);
  });

  it('an approved cleanup whose proof was removed meanwhile fails with the reason and writes nothing', async () => {
    setRules(['203.0.113.10', '198.51.100.0/24', '198.51.100.7', '52.174.20.0/28']);
    const view = hygieneOf(await e.say(NAME, DANA, DEV_CHANNEL));
    const r = requestOf(await e.act('free_slots', view.offers[0]!.data, DANA));
    expect(r).toMatchObject({ kind: 'cleanup', status: 'pending', rule: 'free 1 slot' });
    // Someone removes the wider rule before the approval is applied.
    edit({ remove: ['198.51.100.0/24'] });
    const writes = patches();
    await e.act('approve', { requestId: r.id, version: r.version }, CAROL);
    await e.approvals.idle(20_000);
    const failed = (await e.store.getRequest(r.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.apply.retryable).toBe(false);
    expect(failed.apply.lastError).toContain(
      '198.51.100.0/24, which made 198.51.100.7 redundant, is no longer on the registry',
    );
    expect(patches()).toBe(writes);
    expect(rules()).toEqual(['203.0.113.10', '198.51.100.7', '52.174.20.0/28']);
  });

  it('a second click while a cleanup is open shows that request instead of making another', async () => {
    setRules(['203.0.113.10', '203.0.113.10/32', '52.174.20.0/28']);
    const view = hygieneOf(await e.say(NAME, DANA));
    const first = requestOf(await e.act('free_slots', view.offers[0]!.data, DANA));
    const again = await e.act('free_slots', view.offers[0]!.data, CAROL);
    expect(requestOf(again).id).toBe(first.id);
    expect(await e.store.listRequests({ kind: 'cleanup' })).toHaveLength(1);
  });
});
