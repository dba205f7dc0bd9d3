/**
 * tools/demo-policy.yaml with the Agents Playground's user as the Playground sends it (Teams aadObjectId
 * 00000000-0000-0000-0000-0000000000020, a name, no email): Alex can request access and gets the approval card;
 * his own Approve is refused; a break-glass request he can confirm himself, and the rule is added. Engine only
 * (the Playground itself is driven in test/e2e).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { ConversationRef } from '../../src/app/chat.js';
import type { Actor } from '../../src/core/actor.js';
import { DEMO_POLICY_FILE } from '../../tools/demo.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { startEngine, type Engine } from './approvals-harness.js';

const ALEX: Actor = {
  platform: 'teams',
  id: '00000000-0000-0000-0000-0000000000020',
  platformUserId: 'user-id-0',
  displayName: 'Alex Wilber',
  email: null,
};
const PERSONAL: ConversationRef = {
  platform: 'teams',
  kind: 'personal',
  conversationId: 'personal-chat-alex',
  threadId: null,
  messageId: 'm1',
};

let emu: ArmEmulator;
let engine: Engine;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-demo-policy-'));
  engine = await startEngine({
    emu,
    openStore: (clock) => createStore({ kind: 'sqlite', file: path.join(dir, 'demo.db') }, { clock }),
    policy: fs.readFileSync(DEMO_POLICY_FILE, 'utf8'),
  });
});

afterAll(async () => {
  await engine?.close();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function submit(ip: string, breakGlass: boolean) {
  const opened = await engine.act(
    'request_access',
    { registryId: SAMPLE.acmeprod, rule: `${ip}/32`, ip },
    ALEX,
    PERSONAL,
  );
  expect(opened.reply.type).toBe('request_form');
  if (opened.reply.type !== 'request_form') throw new Error('no form');
  expect(opened.reply.form.breakGlass).toEqual({ available: true, maxDurationMs: 30 * 60_000 });
  const out = await engine.act(
    'submit_request',
    { ...opened.reply.form.submitData, reason: 'CI is blocked', duration: '1h', breakGlass },
    ALEX,
    PERSONAL,
  );
  if (out.reply.type !== 'request') throw new Error(JSON.stringify(out.reply));
  return out.reply.view.request;
}

it('the Playground user reaches the approval card; his own approval is refused; break-glass takes it to the registry', async () => {
  const r = await submit('20.61.14.37', false);
  expect(r).toMatchObject({ status: 'pending', requester: { id: ALEX.id } });
  await engine.approvals.idle();
  const card = engine.notifier.sent.find(
    (s) => s.kind === 'post' && s.conversation?.conversationId === PERSONAL.conversationId,
  )!;
  expect(card.reply).toMatchObject({
    type: 'request',
    view: {
      audience: 'conversation',
      approversSummary: '1 approval from Megan Bowen or Adele Vance',
    },
  });
  const mine = await engine.act('approve', { requestId: r.id, version: r.version }, ALEX, PERSONAL);
  expect(mine.reply).toMatchObject({
    type: 'notice',
    title: 'Not authorized',
    text: expect.stringMatching(/cannot approve your own request/),
  });

  const glass = await submit('20.61.14.38', true);
  expect(glass).toMatchObject({ breakGlass: true, durationMs: 30 * 60_000 });
  // Break-glass applies on submit: no Approve click follows.
  expect(glass.status).not.toBe('pending');
  await engine.approvals.idle();
  expect(await engine.store.getRequest(glass.id)).toMatchObject({ status: 'applied' });
  const rules = (
    emu.state.registry('acmeprod')!.properties!.networkRuleSet as { ipRules: { value: string }[] }
  ).ipRules.map((x) => x.value);
  expect(rules).toContain('20.61.14.38/32');
});

it('a submit sent straight to the endpoint for an address in a named service tag is refused, as the card refuses it', async () => {
  const ip = '20.61.97.140'; // AzureContainerRegistry.WestEurope in the sample's service tags
  const out = await engine.act(
    'submit_request',
    { registryId: SAMPLE.acmeprod, rule: `${ip}/32`, ip, reason: 'forged', duration: '1h' },
    ALEX,
    PERSONAL,
  );
  expect(out.reply).toMatchObject({
    type: 'notice',
    text: expect.stringMatching(/AzureContainerRegistry\.WestEurope.*would admit all of them/),
  });
  const made = await engine.store.listRequests({ registry: SAMPLE.acmeprod, rule: `${ip}/32`, limit: 10 });
  expect(made).toEqual([]);
});
