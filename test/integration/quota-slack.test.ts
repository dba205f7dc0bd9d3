/**
 * Rule-quota hygiene end to end in Slack, on real parts: the bot from startBot (Bolt with our receiver, the approval
 * engine, the Azure gateway against the ARM emulator over HTTPS, SQLite, the YAML policy), Slack requests signed as
 * Slack signs them, the Web API answered by the local Slack API double.
 *
 * `@acr fabrikamprod` on a registry at 200 rules with 3 covered and 2 duplicate rules → the firewall message lists
 * them with their proof and offers "Free 5 slots" → a developer clicks it: a cleanup request in the thread, 0 ARM
 * writes → the approver approves → one PATCH that takes exactly those five rules off, and every address that had
 * access still has it (checked address by address on the emulator's rules before and after, not from the plan) →
 * the audit log has the change with the rules before and after. A pasted denial from that registry
 * (rule_quota_full) offers the same.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, testClock } from '../support/azure.js';
import { startEmulator, type ArmEmulator } from '../support/emulator.js';
import { addressesLost, FABRIKAM, QUOTA_STATE, removedRules } from '../support/quota-fixture.js';
import {
  BOT_IDENTITY,
  CHANNEL,
  USER,
  approvalClickBody,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  startSlackApi,
  userPost,
  type SlackApiCall,
  type SlackApiDouble,
} from '../support/slack-api.js';

const SECRET = 'quota-signing-secret-7f6e5d4c';
const FORM = 'application/x-www-form-urlencoded';
const CAROL = 'U0CAROL1';
const POLICY = `
version: 1
defaults:
  approvers:
    - slack:${CAROL}
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
  pendingTimeout: 1d
channels:
  - slack: ${CHANNEL}
    registries: ["fabrikam*"]
`;

let dir: string;
let emu: ArmEmulator;
let api: SlackApiDouble;
let bot: RunningBot;
let url: string;
const logs: string[] = [];
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));
const blocks = (c: SlackApiCall) => JSON.stringify(c.args.blocks ?? []);
const patches = () => emu.countRequests({ method: 'PATCH' });
const ipRules = () =>
  (
    emu.state.registry(FABRIKAM.name)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);

async function settle(): Promise<void> {
  await bot.approvals.idle(20_000);
  const until = Date.now() + 10_000;
  while ((bot.slack?.inFlight() ?? 0) > 0) {
    if (Date.now() > until) throw new Error('slack listeners still running');
    await new Promise((r) => setTimeout(r, 5));
  }
  await bot.approvals.idle(20_000);
}

function button(call: SlackApiCall, actionId: string): { text: string; value: string } | null {
  for (const b of (call.args.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id: string; value?: string; text: { text: string } }>;
  }>) {
    const hit = b.type === 'actions' ? b.elements?.find((e) => e.action_id === actionId) : undefined;
    if (hit?.value) return { text: hit.text.text, value: hit.value };
  }
  return null;
}

async function mention(text: string, ts: string, event: string): Promise<SlackApiCall> {
  const posts = api.callsTo('chat.postMessage').length;
  await postSigned(
    url,
    eventEnvelope(userPost({ type: 'app_mention', text: `<@${BOT_IDENTITY.user_id}> ${text}`, ts }), event),
    'application/json',
    { secret: SECRET },
  );
  await api.waitFor('chat.postMessage', posts + 1);
  await settle();
  return api
    .callsTo('chat.postMessage')
    .slice(posts)
    .find((c) => c.args.thread_ts === ts)!;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-quota-slack-'));
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  emu = await startEmulator({ state: QUOTA_STATE, lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  api = await startSlackApi({
    users: {
      [USER]: { name: 'Dana Lee', email: 'dana@contoso.com' },
      [CAROL]: { name: 'Carol Approver', email: 'carol@contoso.com' },
    },
  });
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: policyFile,
      SLACK_BOT_TOKEN: 'xoxb-quota-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: api.url,
    },
    createLogger('info', { write: (l: string) => void logs.push(l) }),
    {
      gateway: gatewayFor(emu),
      clock,
      approvals: { debounceMs: 20, retryBaseMs: 10, retryMaxMs: 50, lockTimeoutMs: 20_000, stopTimeoutMs: 5_000 },
    },
  );
  url = `http://127.0.0.1:${bot.port}/slack/events`;
});

afterAll(async () => {
  await bot?.stop();
  await api?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Free N slots in Slack on the real bot, store and ARM emulator', () => {
  const before: string[] = [];
  let firewall: SlackApiCall;
  let requestId: string;
  let card: SlackApiCall;

  it('a pasted denial from the full registry (rule_quota_full) offers Free 5 slots', async () => {
    const ts = '1710000050.000100';
    const paste = `Error response from daemon: Head "https://${FABRIKAM.name}.azurecr.io/v2/web/manifests/2.3.1": denied: client with IP '20.105.33.12' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
    const posts = api.callsTo('chat.postMessage').length;
    await postSigned(url, eventEnvelope(userPost({ text: paste, ts }), 'EvQuota0'), 'application/json', {
      secret: SECRET,
    });
    await api.waitFor('chat.postMessage', posts + 1);
    await settle();
    const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts)!;
    expect(blocks(answer)).toContain('200 of 200');
    expect(button(answer, 'free_slots')?.text).toBe('Free 5 slots');
  });

  it('@acr fabrikamprod: the firewall lists the 2 duplicates and 3 covered rules with their proof and offers Free 5 slots', async () => {
    before.push(...ipRules());
    expect(before).toHaveLength(200);
    firewall = await mention(FABRIKAM.name, '1710000100.000100', 'EvQuota1');
    const json = blocks(firewall);
    expect(json).toContain('Duplicates (2)');
    expect(json).toContain('Covered by a wider rule (3)');
    expect(json).toContain('20.71.44.6 is inside 20.71.44.0/28, which stays');
    expect(json).toContain('51.158.181.11/32 is the same range as 51.158.181.11, which stays');
    expect(json).toContain('without anyone losing access');
    const free = button(firewall, 'free_slots')!;
    expect(free.text).toBe('Free 5 slots');
    expect(JSON.parse(free.value)).toEqual({ registryId: FABRIKAM.id, merges: false, slots: 5 });
  });

  it('Free 5 slots opens a cleanup request for the approver, with 0 ARM writes', async () => {
    const writes = patches();
    const posts = api.callsTo('chat.postMessage').length;
    const res = await postSigned(
      url,
      blockActionsBody({
        actionId: 'free_slots',
        value: button(firewall, 'free_slots')!.value,
        messageTs: firewall.response.ts as string,
        threadTs: '1710000100.000100',
        responseUrl: api.responseUrl('free'),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    await settle();
    const [request] = await bot.store.listRequests({ registry: FABRIKAM.id, kind: 'cleanup' });
    expect(request).toMatchObject({
      status: 'pending',
      kind: 'cleanup',
      rule: 'free 5 slots',
      requester: { id: USER },
    });
    expect(request!.cleanup!.remove.map((r) => r.value).sort()).toEqual(
      [...FABRIKAM.covered, ...FABRIKAM.duplicates].sort(),
    );
    requestId = request!.id;
    const sent = api.callsTo('chat.postMessage').slice(posts);
    card = sent.find((c) => c.args.channel === CHANNEL && c.args.thread_ts === '1710000100.000100')!;
    expect(blocks(card)).toContain('Nobody loses access');
    expect(blocks(card)).toContain('81.2.69.64/29: inside 81.2.69.0/24, which stays');
    expect(sent.filter((c) => c.args.channel === CAROL)).toHaveLength(1);
    expect(patches()).toBe(writes);
  });

  it('the approver approves: one PATCH takes exactly those five rules off and nobody loses an address', async () => {
    const writes = patches();
    const res = await postSigned(
      url,
      approvalClickBody({
        verb: 'approve',
        requestId,
        version: 1,
        user: CAROL,
        messageTs: card.response.ts as string,
        threadTs: '1710000100.000100',
        responseUrl: api.responseUrl('approve'),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    await settle();
    expect((await bot.store.getRequest(requestId))?.status).toBe('applied');
    expect(patches()).toBe(writes + 1);
    const after = ipRules();
    expect(after).toHaveLength(195);
    expect(removedRules(before, after).sort()).toEqual([...FABRIKAM.covered, ...FABRIKAM.duplicates].sort());
    expect(addressesLost(before, after)).toEqual([]);
    // The check can fail: taking off a rule that nothing covers loses its address.
    expect(
      addressesLost(
        before,
        after.filter((v) => v !== '20.71.44.0/28'),
      ).length,
    ).toBe(16);

    const applied = (await bot.store.listAudit({ registry: FABRIKAM.name })).find(
      (e) => e.type === 'applied' && e.requestId === requestId,
    )!;
    expect(applied.before).toEqual(before);
    expect(applied.after).toEqual(after);
    expect(applied.summary).toContain('5 rules taken off');
  });

  it('afterwards the firewall has nothing left to free', async () => {
    const again = await mention(FABRIKAM.name, '1710000200.000100', 'EvQuota2');
    expect(blocks(again)).toContain('195 of 200');
    expect(blocks(again)).toContain('No rule is a duplicate of, or inside, another');
    expect(button(again, 'free_slots')).toBeNull();
  });
});
