/**
 * Auto-approval and scheduled access end to end in Slack, on real parts: the bot from startBot (Bolt with our
 * receiver, the approval engine, the Azure gateway against the ARM emulator over HTTPS, a SQLite file, the YAML
 * policy), signed Slack requests and the local Slack API double, a controlled clock.
 *
 * 1. Monday 10:00 in Berlin, a paste from the AKS cluster aks-prod's outbound address (a public IP in the tenant):
 *    the request is approved by rule aks-egress and applied with no click; the card and the approver's DM say so.
 * 2. A request scheduled for Saturday (outside the rule's weekday window) waits for a person; the approver approves
 *    it ahead of time; nothing is written. The bot restarts on the same store; at the start the scheduler adds the
 *    rule, at the end it removes it.
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
  CHANNEL,
  USER,
  approvalClickBody,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  startSlackApi,
  userPost,
  viewSubmissionBody,
  type SlackApiCall,
  type SlackApiDouble,
} from '../support/slack-api.js';

const SECRET = 'auto-signing-secret-7e6d5c4b';
const FORM = 'application/x-www-form-urlencoded';
const CAROL = 'U0CAROL1';
const NAME = 'acmeprod';
const IP = SAMPLE.aksOutboundIp;
const RULE = `${IP}/32`;
const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const POLICY = `
version: 1
defaults:
  approvers: [slack:${CAROL}]
  duration: { default: 1h, max: 1d }
  pendingTimeout: 1d
  maxLeadTime: 7d
  notify: { directMessages: true }
  autoApprove:
    - name: aks-egress
      owner: { aksClusters: [aks-prod] }
      maxDuration: 4h
      window: { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00", timeZone: Europe/Berlin }
channels:
  - slack: ${CHANNEL}
    registries: ["acme*"]
`;

// Monday 2 March 2026, 09:00 UTC = 10:00 in Berlin.
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));
// Saturday 7 March 2026, 09:00 UTC = 10:00 in Berlin: outside the rule's weekday window.
const SATURDAY = Date.parse('2026-03-07T09:00:00Z');
const logs: string[] = [];
let dir: string;
let emu: ArmEmulator;
let api: SlackApiDouble;
let bot: RunningBot;
let url: string;

const patches = () => emu.countRequests({ method: 'PATCH' });
const ipRules = () =>
  (
    emu.state.registry(NAME)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const hasRule = () => ipRules().some((v) => v === IP || v === RULE);
const blocks = (c: SlackApiCall) => JSON.stringify(c.args.blocks ?? []);
type View = { callback_id: string; private_metadata: string; blocks: Array<Record<string, unknown>> };

async function boot(): Promise<void> {
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: path.join(dir, 'policy.yaml'),
      SLACK_BOT_TOKEN: 'xoxb-auto-token',
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
}

async function settle(): Promise<void> {
  await bot.approvals.idle(20_000);
  const until = Date.now() + 10_000;
  while ((bot.slack?.inFlight() ?? 0) > 0) {
    if (Date.now() > until) throw new Error('slack listeners still running');
    await new Promise((r) => setTimeout(r, 5));
  }
  await bot.approvals.idle(20_000);
}

function buttonValue(call: SlackApiCall, actionId: string): string {
  for (const b of (call.args.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id: string; value?: string }>;
  }>) {
    const hit = b.type === 'actions' ? b.elements?.find((e) => e.action_id === actionId) : undefined;
    if (hit?.value) return hit.value;
  }
  throw new Error(`no ${actionId} button on the message`);
}

/** Paste the error in a new thread, click Request access, and return the modal the bot opened. */
async function openForm(pasteTs: string, eventId: string): Promise<View> {
  const posts = api.callsTo('chat.postMessage').length;
  await postSigned(url, eventEnvelope(userPost({ text: PASTE, ts: pasteTs }), eventId), 'application/json', {
    secret: SECRET,
  });
  await api.waitFor('chat.postMessage', posts + 1);
  await settle();
  const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === pasteTs)!;
  const updates = api.callsTo('views.update').length;
  await postSigned(
    url,
    blockActionsBody({
      actionId: 'request_access',
      value: buttonValue(answer, 'request_access'),
      messageTs: answer.response.ts as string,
      threadTs: pasteTs,
      responseUrl: api.responseUrl(`ra-${eventId}`),
      triggerId: `trig-${eventId}`,
    }),
    FORM,
    { secret: SECRET },
  );
  const update = (await api.waitFor('views.update', updates + 1)).at(-1)!;
  await settle();
  return update.args.view as View;
}

async function submit(form: View, values: { reason: string; duration: string; startsAt?: number | null }) {
  const ephemerals = api.callsTo('chat.postEphemeral').length;
  const res = await postSigned(url, viewSubmissionBody({ view: form, values }), FORM, { secret: SECRET });
  expect(res.status).toBe(200);
  expect(res.body).toBe('');
  await api.waitFor('chat.postEphemeral', ephemerals + 1);
  await settle();
  return api.callsTo('chat.postEphemeral').at(-1)!;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-slack-auto-'));
  fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  api = await startSlackApi({
    users: {
      [USER]: { name: 'Dana Lee', email: 'dana@contoso.com' },
      [CAROL]: { name: 'Carol Approver', email: 'carol@contoso.com' },
    },
  });
  await boot();
});

afterAll(async () => {
  await bot?.stop();
  await api?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Slack: approved by rule, and scheduled access across a restart', () => {
  it('a request from the AKS cluster in the tenant, on a weekday morning in Berlin, is applied with no click', async () => {
    const form = await openForm('1710000300.000100', 'EvAuto1');
    expect(JSON.stringify(form.blocks)).toContain('"type":"datetimepicker"');
    const before = patches();
    const posts = api.callsTo('chat.postMessage').length;
    const told = await submit(form, { reason: 'Release 1.42 from aks-prod', duration: '1h' });
    expect(String(told.args.text) + blocks(told)).toContain('Approved by rule aks-egress');

    const [r] = await bot.store.listRequests({ registry: NAME });
    expect(r).toMatchObject({
      status: 'applied',
      approvals: [],
      approvedByRule: { name: 'aks-egress', source: 'defaults.autoApprove[0]' },
    });
    expect(patches() - before).toBe(1);
    expect(hasRule()).toBe(true);

    const audit = await bot.store.listAudit({ registry: NAME });
    expect(audit.find((e) => e.type === 'approved')).toMatchObject({
      actor: null,
      summary: 'Approved by rule aks-egress',
    });

    const card = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.thread_ts === '1710000300.000100')!;
    const shown =
      api
        .callsTo('chat.update')
        .filter((c) => c.args.ts === card.response.ts)
        .at(-1) ?? card;
    expect(blocks(shown)).toContain('rule aks-egress');
    expect(blocks(shown)).not.toContain('"action_id":"approve"');
    const dm = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.channel === CAROL)!;
    expect(String(dm.args.text) + blocks(dm)).toContain('Approved by rule aks-egress');

    clock.advance(61 * 60_000);
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
  });

  let requestId: string;
  let cardTs: string;
  const start = SATURDAY;
  const end = SATURDAY + 2 * 3_600_000;

  it("a request for Saturday falls outside the rule's window and waits for a person; approved ahead, nothing is written", async () => {
    const form = await openForm('1710000400.000100', 'EvAuto2');
    const posts = api.callsTo('chat.postMessage').length;
    const told = await submit(form, { reason: 'Weekend migration', duration: '2h', startsAt: start / 1000 });
    expect(String(told.args.text) + blocks(told)).toMatch(/waiting for 1 approval/);

    const r = (await bot.store.listRequests({ registry: NAME, status: 'pending' }))[0]!;
    expect(r).toMatchObject({ startsAt: new Date(start).toISOString(), approvedByRule: null, durationMs: 7_200_000 });
    expect(r.pendingUntil).toBe(new Date(clock.now().getTime() + 86_400_000).toISOString());
    requestId = r.id;
    const card = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.thread_ts === '1710000400.000100')!;
    cardTs = card.response.ts as string;
    expect(blocks(card)).toContain('Access window');
    expect(blocks(card)).toContain('Decide by');

    const before = patches();
    await postSigned(
      url,
      approvalClickBody({
        verb: 'approve',
        requestId,
        version: r.version,
        user: CAROL,
        messageTs: cardTs,
        threadTs: '1710000400.000100',
        responseUrl: api.responseUrl('carol-ahead'),
      }),
      FORM,
      { secret: SECRET },
    );
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
    clock.advance(start - 60_000 - clock.now().getTime());
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
    expect(patches()).toBe(before);

    clock.advance(2 * 60_000);
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(true);
    const applied = await bot.store.getRequest(requestId);
    expect(applied).toMatchObject({ status: 'applied', endsAt: new Date(end).toISOString() });

    clock.advance(end + 60_000 - clock.now().getTime());
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
    expect((await bot.store.getRequest(requestId))?.status).toBe('expired');
    expect(patches() - before).toBe(2);
  });
});
