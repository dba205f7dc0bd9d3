/**
 * Auto-approval and scheduled access end to end in Teams, on real parts: the bot from startBot (CloudAdapter with
 * tokens from a local authority, the Bot Connector double), the approval engine, the Azure gateway against the ARM
 * emulator over HTTPS, a SQLite file, the YAML policy and a controlled clock.
 *
 * 1. Monday 10:00 in Berlin, a paste from AKS cluster aks-prod's outbound address: approved by rule aks-egress and
 *    applied with no click; the thread card says which rule.
 * 2. A request scheduled for Saturday (outside the rule's weekday window) through the form's date and time inputs
 *    waits for the approver, who approves it ahead; after a restart on the same store the scheduler adds the rule
 *    when the window opens and removes it when it closes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, testClock } from '../support/azure.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
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

const NAME = 'acmeprod';
const IP = SAMPLE.aksOutboundIp;
const RULE = `${IP}/32`;
const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const TEAM = '19:team-general@thread.tacv2';
const DANA = { id: '29:dana-teams-id', name: 'Dana Lee', aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b' };
const CAROL = { id: '29:carol-teams-id', name: 'Carol Diaz', aadObjectId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' };
const POLICY = `
version: 1
defaults:
  approvers: ["teams:${CAROL.aadObjectId}"]
  duration: { default: 1h, max: 1d }
  pendingTimeout: 1d
  maxLeadTime: 7d
  notify: { directMessages: true }
  autoApprove:
    - name: aks-egress
      owner: { aksClusters: ["aks-*"] }
      maxDuration: 4h
      window: { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00", timeZone: Europe/Berlin }
`;

type Action = CardAction;
type Card = { body: unknown[]; actions?: Action[] };
type InvokeBody = { statusCode: number; type: string; value: Card };

// Monday 2 March 2026, 09:00 UTC = 10:00 in Berlin.
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));
const SATURDAY = Date.parse('2026-03-07T09:00:00Z');
const logs: string[] = [];
let dir: string;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: RunningBot;
let url: string;

const cardOf = (a: CapturedActivity): Card => cardOfActivity<Card>(a);
const text = (c: unknown) => JSON.stringify(c);
const patches = () => emu.countRequests({ method: 'PATCH' });
const ipRules = () =>
  (
    emu.state.registry(NAME)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const hasRule = () => ipRules().some((v) => v === IP || v === RULE);
const bearer = async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;
const settle = () => bot.approvals.idle(20_000);

async function boot(): Promise<void> {
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: path.join(dir, 'policy.yaml'),
      ...authority.settings(),
      TEAMS_ALLOWED_TENANTS: 'tenant-1',
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
}

async function click(o: {
  thread: string;
  verb: string;
  data: Record<string, unknown>;
  from: Record<string, unknown>;
  replyToId: string;
}): Promise<InvokeBody> {
  const { thread, ...rest } = o;
  const activity = cardActionActivity({ serviceUrl: connector.serviceUrl, conversationId: thread, ...rest });
  const r = await postActivity(url, activity, await bearer());
  expect(r.status).toBe(200);
  return JSON.parse(r.body || '{}') as InvokeBody;
}

/** Paste in a new thread and submit the request form with these inputs; the thread and the card it posted. */
async function request(rootId: string, inputs: Record<string, string>) {
  const thread = `${CHANNEL_CONVERSATION};messageid=${rootId}`;
  const start = connector.captured.length;
  await postActivity(
    url,
    teamsActivity({ serviceUrl: connector.serviceUrl, id: rootId, text: PASTE, from: DANA }),
    await bearer(),
  );
  const reply = (await connector.waitFor(start + 1)).at(-1)!;
  const replyId = `reply-${connector.captured.indexOf(reply) + 1}`;
  const ask = executeActions(cardOf(reply)).find((a) => a.verb === 'request_access')!;
  const form = (await click({ thread, verb: 'request_access', data: ask.data!, from: DANA, replyToId: replyId })).value;
  expect(text(form)).toContain('"type":"Input.Date"');
  expect(text(form)).toContain('"type":"Input.Time"');
  const submit = executeActions(form).find((a) => a.verb === 'submit_request')!;
  const before = connector.captured.length;
  await click({ thread, verb: 'submit_request', data: { ...submit.data, ...inputs }, from: DANA, replyToId: replyId });
  await settle();
  const posted = connector.captured
    .slice(before)
    .find((c) => c.method === 'POST' && c.url === `/v3/conversations/${thread}/activities`)!;
  return { thread, posted, replyId: `reply-${connector.captured.indexOf(posted) + 1}` };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-teams-auto-'));
  fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  authority = await startTokenAuthority();
  connector = await startConnectorDouble({
    roster: {
      [TEAM]: [
        { ...DANA, userPrincipalName: 'dana.lee@acme.example' },
        { ...CAROL, userPrincipalName: 'carol@acme.example' },
      ],
    },
  });
  await boot();
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await authority?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Teams: approved by rule, and scheduled access across a restart', () => {
  it('a request from the AKS cluster in the tenant, on a weekday morning in Berlin, is applied with no click', async () => {
    const before = patches();
    const { posted } = await request('1716000000001', { reason: 'Release 1.42 from aks-prod', duration: '1h' });
    const [r] = await bot.store.listRequests({ registry: NAME });
    expect(r).toMatchObject({ status: 'applied', approvals: [], approvedByRule: { name: 'aks-egress' } });
    expect(patches() - before).toBe(1);
    expect(hasRule()).toBe(true);
    expect(text(cardOf(posted))).toContain('rule aks-egress');
    const audit = await bot.store.listAudit({ registry: NAME });
    expect(audit.find((e) => e.type === 'approved')).toMatchObject({
      actor: null,
      summary: 'Approved by rule aks-egress',
    });

    clock.advance(61 * 60_000);
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
  });

  let requestId: string;
  const end = SATURDAY + 2 * 3_600_000;

  it("a request for Saturday (outside the rule's window) waits for the approver, who approves ahead; nothing is written", async () => {
    const { thread, posted, replyId } = await request('1716000000002', {
      reason: 'Weekend migration',
      duration: '2h',
      startDate: '2026-03-07',
      startTime: '09:00',
    });
    const r = (await bot.store.listRequests({ registry: NAME, status: 'pending' }))[0]!;
    expect(r).toMatchObject({ startsAt: new Date(SATURDAY).toISOString(), approvedByRule: null });
    requestId = r.id;
    expect(text(cardOf(posted))).toContain('Access window');
    expect(text(cardOf(posted))).toContain('Decide by');

    const before = patches();
    const answer = await click({
      thread,
      verb: 'approve',
      data: { requestId, version: r.version },
      from: CAROL,
      replyToId: replyId,
    });
    expect(answer.statusCode).toBe(200);
    await settle();
    await bot.approvals.tick();
    await settle();
    expect((await bot.store.getRequest(requestId))?.status).toBe('approved');
    expect(patches()).toBe(before);
    expect(hasRule()).toBe(false);
  });

  it('after a restart the rule goes in when the window opens and comes out when it closes', async () => {
    await bot.stop();
    await boot();
    await settle();
    const before = patches();
    clock.advance(SATURDAY - 60_000 - clock.now().getTime());
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);

    clock.advance(2 * 60_000);
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(true);
    expect(await bot.store.getRequest(requestId)).toMatchObject({
      status: 'applied',
      endsAt: new Date(end).toISOString(),
    });

    clock.advance(end + 60_000 - clock.now().getTime());
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
    expect((await bot.store.getRequest(requestId))?.status).toBe('expired');
    expect(patches() - before).toBe(2);
  });
});
