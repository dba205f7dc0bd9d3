/**
 * Who hears about a request: when no approver can be reached (every DM fails and policy names no notify channel), the
 * thread card says who could not be reached and the requester is told plainly in the thread; when one DM arrives,
 * neither happens. Real chat service, approvals engine, SQLite file and ARM emulator; the recording Notifier plays
 * platforms that cannot DM (RecordingNotifier.unreachable).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { Reply } from '../../src/core/reply.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { DANA, DEV_CHANNEL, startEngine, type Engine } from './approvals-harness.js';

const POLICY = `
version: 1
defaults:
  approvers:
    - teams:6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab
    - { id: "slack:U0ERIN001", name: Erin Ops }
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
  notify:
    directMessages: true
`;

let emu: ArmEmulator;
let dir: string;
let e: Engine;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
});
afterEach(async () => {
  await e?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function engine(): Promise<Engine> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-unreached-'));
  const file = path.join(dir, 'acr-access.db');
  return startEngine({ emu, policy: POLICY, openStore: (clock) => createStore({ kind: 'sqlite', file }, { clock }) });
}

async function request(): Promise<void> {
  const ip = SAMPLE.aksOutboundIp;
  const opened = await e.act('request_access', { registryId: SAMPLE.acmeprod, rule: `${ip}/32`, ip }, DANA);
  if (opened.reply.type !== 'request_form') throw new Error(JSON.stringify(opened.reply));
  await e.act('submit_request', { ...opened.reply.form.submitData, reason: 'CI', duration: '2h' }, DANA);
  await e.approvals.idle(10_000);
}

const text = (r: Reply) => JSON.stringify(r);

describe('who hears about a request', () => {
  it('nobody reachable: the thread card names who could not be reached and the requester is told plainly', async () => {
    e = await engine();
    e.notifier.unreachable.add('teams').add('slack');
    await request();
    const inThread = e.notifier.sent.filter((s) => s.conversation?.conversationId === DEV_CHANNEL.conversationId);
    const told = inThread.filter((s) => s.kind === 'post' && s.reply.type === 'notice');
    expect(told).toHaveLength(1);
    expect(text(told[0]!.reply)).toContain('Nobody has been told about your request');
    expect(text(told[0]!.reply)).toContain('Teams user 6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab or Erin Ops');
    const card = e.notifier.current().get(inThread.find((s) => s.reply.type === 'request')!.messageId!)!;
    expect(card.type).toBe('request');
    expect(text(card)).toContain('could not reach Teams user 6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab or Erin Ops');
    expect(e.logs.some((l) => l.includes('no approver could be reached'))).toBe(true);
  });

  it('who could not be reached is kept on the request: a later drawing on another instance says it, by name once known', async () => {
    e = await engine();
    e.notifier.unreachable.add('teams').add('slack');
    await request();
    const [r] = await e.store.listRequests({ registry: SAMPLE.acmeprod });
    expect(r!.unreached).toEqual([
      { kind: 'teams', value: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' },
      { kind: 'slack', value: 'U0ERIN001', name: 'Erin Ops' },
    ]);
    expect((await e.store.listAudit({ requestId: r!.id })).map((a) => a.type)).toContain('approvers_unreached');
    // Another instance on the same database, which never saw the request go out; the directory has learnt a name.
    await e.store.savePersonName('teams', '6F1C2D3E-4A5B-4C6D-8E7F-0123456789AB', 'Carol Diaz');
    const other = await startEngine({
      emu,
      policy: POLICY,
      start: false,
      openStore: (clock) => createStore({ kind: 'sqlite', file: path.join(dir, 'acr-access.db') }, { clock }),
    });
    try {
      const seen = await other.act('refresh_request', { requestId: r!.id }, DANA);
      expect(text(seen.reply)).toContain('could not reach Carol Diaz or Erin Ops');
    } finally {
      await other.close();
    }
  });

  it('one approver reached by DM: no warning on the card, nothing more in the thread', async () => {
    e = await engine();
    e.notifier.unreachable.add('teams');
    await request();
    expect(e.notifier.dmsTo('U0ERIN001')).toHaveLength(1);
    expect(e.notifier.sent.filter((s) => s.reply.type === 'notice')).toHaveLength(0);
    expect(JSON.stringify([...e.notifier.current().values()])).not.toContain('could not reach');
    expect((await e.store.listRequests({ registry: SAMPLE.acmeprod }))[0]!.unreached).toBeNull();
  });
});
