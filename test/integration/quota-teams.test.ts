/**
 * Rule-quota hygiene end to end in Teams, on real parts: the bot from startBot (CloudAdapter with strict Bot
 * Framework authentication, the approval engine, the Azure gateway against the ARM emulator over HTTPS, SQLite, the
 * YAML policy), activities signed by a local token authority, the Bot Connector double capturing what the bot sends.
 *
 * A pasted denial from a registry at 200 rules (3 covered, 2 duplicates) → the rule_quota_full card lists them with
 * their proof and offers "Free 5 slots" → a developer clicks it: the cleanup request card in the thread and a DM to
 * the approver, 0 ARM writes → the approver's Approve (from her DM card) → one PATCH that takes exactly those five
 * rules off, and every address that had access still has it (checked address by address on the emulator's rules,
 * not from the plan) → `@bot fabrikamprod` shows 195 rules and nothing left to free.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, testClock } from '../support/azure.js';
import {
  CHANNEL_CONVERSATION,
  FixedTokenCredentialsFactory,
  TEST_APP_ID,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTokenAuthority,
  teamsActivity,
  type CapturedActivity,
  type ConnectorDouble,
  type TokenAuthority,
  cardOf as cardOfActivity,
  executeActions,
  type CardAction,
} from '../support/bot-framework.js';
import { startEmulator, type ArmEmulator } from '../support/emulator.js';
import { addressesLost, FABRIKAM, QUOTA_STATE, removedRules } from '../support/quota-fixture.js';

const TEAM = '19:team-general@thread.tacv2';
const DANA = { id: '29:dana-teams-id', name: 'Dana Lee', aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b' };
const CAROL = { id: '29:carol-teams-id', name: 'Carol Diaz', aadObjectId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' };
const POLICY = `
version: 1
defaults:
  approvers:
    - teams:${CAROL.aadObjectId}
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
  pendingTimeout: 1d
  notify:
    directMessages: true
`;
const ROOT_ID = '1716000000001';
const THREAD = `${CHANNEL_CONVERSATION};messageid=${ROOT_ID}`;
const PASTE = `Error response from daemon: Head "https://${FABRIKAM.name}.azurecr.io/v2/web/manifests/2.3.1": denied: client with IP '20.105.33.12' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

type Action = CardAction;
type Card = { body: unknown[]; actions?: Action[] };

let dir: string;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: RunningBot;
let url: string;
const logs: string[] = [];
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

const cardOf = (a: CapturedActivity): Card => cardOfActivity<Card>(a);
const text = (c: Card) => JSON.stringify(c);
const patches = () => emu.countRequests({ method: 'PATCH' });
const ipRules = () =>
  (
    emu.state.registry(FABRIKAM.name)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const bearer = async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;

async function click(o: { verb: string; data: Record<string, unknown>; from: Record<string, unknown> }) {
  const activity = cardActionActivity({
    serviceUrl: connector.serviceUrl,
    conversationId: THREAD,
    replyToId: 'reply-1',
    ...o,
  });
  const r = await postActivity(url, activity, await bearer());
  return { status: r.status, body: JSON.parse(r.body || '{}') as { statusCode: number; value: Card } };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-quota-teams-'));
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  emu = await startEmulator({ state: QUOTA_STATE, lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  authority = await startTokenAuthority();
  connector = await startConnectorDouble({
    roster: {
      [TEAM]: [
        { ...DANA, userPrincipalName: 'dana.lee@fabrikam.example' },
        { ...CAROL, userPrincipalName: 'carol@fabrikam.example' },
      ],
    },
  });
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: policyFile,
      ...authority.settings(),
    },
    createLogger('info', { write: (l: string) => void logs.push(l) }),
    {
      gateway: gatewayFor(emu),
      clock,
      approvals: { debounceMs: 20, retryBaseMs: 10, retryMaxMs: 50, lockTimeoutMs: 20_000, stopTimeoutMs: 5_000 },
      teams: { credentialsFactory: new FixedTokenCredentialsFactory(TEST_APP_ID) },
    },
  );
  url = `http://127.0.0.1:${bot.port}/api/messages`;
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await authority?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Free N slots in Teams on the real bot, store and ARM emulator', () => {
  const before: string[] = [];
  let free: Action;
  let requestId: string;

  it('a pasted denial from the full registry: the rule_quota_full card lists what can go and offers Free 5 slots', async () => {
    before.push(...ipRules());
    expect(before).toHaveLength(200);
    const r = await postActivity(
      url,
      teamsActivity({ serviceUrl: connector.serviceUrl, id: ROOT_ID, text: PASTE, from: DANA }),
      await bearer(),
    );
    expect(r.status).toBe(200);
    const [reply] = await connector.waitFor(1);
    const card = cardOf(reply!);
    const json = text(card);
    expect(json).toContain('Duplicates (2)');
    expect(json).toContain('Covered by a wider rule (3)');
    expect(json).toContain('4.231.18.30/32 is inside 4.231.18.28/30, which stays');
    expect(json).toContain('52.149.118.16/28 is the same range as 52.149.118.16/28, which stays');
    free = executeActions(card).find((a) => a.verb === 'free_slots')!;
    expect(free).toMatchObject({ title: 'Free 5 slots', data: { registryId: FABRIKAM.id, merges: false, slots: 5 } });
  });

  it('Free 5 slots: the cleanup request card in the thread and a DM to the approver, 0 ARM writes', async () => {
    const writes = patches();
    const sentBefore = connector.captured.length;
    const r = await click({ verb: 'free_slots', data: free.data!, from: DANA });
    expect(r.status).toBe(200);
    expect(text(r.body.value)).toContain('Request sent: free 5 slots on fabrikamprod');
    await bot.approvals.idle(20_000);
    const [request] = await bot.store.listRequests({ registry: FABRIKAM.id, kind: 'cleanup' });
    expect(request).toMatchObject({ status: 'pending', requester: { platform: 'teams', id: DANA.aadObjectId } });
    requestId = request!.id;
    const sent = connector.captured.slice(sentBefore);
    const thread = sent.find((c) => c.method === 'POST' && c.url === `/v3/conversations/${THREAD}/activities`)!;
    expect(text(cardOf(thread))).toContain('Nobody loses access through the 5 rules taken off');
    expect(text(cardOf(thread))).toContain('20.71.44.6: inside 20.71.44.0/28, which stays');
    const dm = connector.conversations.find((c) => (c.body.members as Array<{ id: string }>)[0]!.id === CAROL.id)!;
    const dmCard = sent.find((c) => c.url === `/v3/conversations/${dm.id}/activities`)!;
    expect(executeActions(cardOf(dmCard)).map((a) => a.verb)).toContain('approve');
    expect(patches()).toBe(writes);
  });

  it('the approver approves: one PATCH takes exactly the five redundant rules off, and nobody loses an address', async () => {
    const writes = patches();
    const version = (await bot.store.getRequest(requestId))!.version;
    const r = await click({ verb: 'approve', data: { requestId, version }, from: CAROL });
    expect(r.status).toBe(200);
    await bot.approvals.idle(20_000);
    expect((await bot.store.getRequest(requestId))?.status).toBe('applied');
    expect(patches()).toBe(writes + 1);
    const after = ipRules();
    expect(after).toHaveLength(195);
    expect(removedRules(before, after).sort()).toEqual([...FABRIKAM.covered, ...FABRIKAM.duplicates].sort());
    expect(addressesLost(before, after)).toEqual([]);
    const events = await bot.store.listAudit({ registry: FABRIKAM.name });
    const applied = events.find((e) => e.type === 'applied' && e.requestId === requestId)!;
    expect(applied.before).toEqual(before);
    expect(applied.after).toEqual(after);
  });

  it('@bot fabrikamprod afterwards: 195 of 200 rules and nothing left to free', async () => {
    const sentBefore = connector.captured.length;
    await postActivity(
      url,
      teamsActivity({
        serviceUrl: connector.serviceUrl,
        id: '1716000000050',
        text: FABRIKAM.name,
        mentionBot: true,
        from: DANA,
      }),
      await bearer(),
    );
    const [answer] = (await connector.waitFor(sentBefore + 1)).slice(sentBefore);
    const json = text(cardOf(answer!));
    expect(json).toContain('195 of 200');
    expect(json).toContain('No rule is a duplicate of, or inside, another');
    expect(executeActions(cardOf(answer!)).some((a) => a.verb === 'free_slots')).toBe(false);
  });
});
