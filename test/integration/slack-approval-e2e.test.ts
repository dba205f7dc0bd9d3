/**
 * The approval flow end to end in Slack, on real parts: the bot from startBot (restify, Bolt with our receiver, the
 * real chat service with the approval engine, the real Azure gateway against the ARM emulator over HTTPS, a SQLite
 * store in a temp file, the YAML policy from POLICY_FILE, a controllable clock), Slack requests signed as Slack
 * signs them, and the Web API answered by the local Slack API double.
 *
 * paste → diagnosis in the thread → Request access → modal → submit (a missing reason first) → request card in the
 * thread + DM to each approver → refusals (another user, the requester) with 0 ARM writes → approver double-clicks
 * Approve → one PATCH, rule present, card updated in place, requester told by DM → clock past the end + scheduler
 * tick → rule gone → `@acr audit acmeprod` shows every step with the rules added and removed. Then: ARM failing
 * → the card's Retry → applied → Revoke (modal) → rule gone; `@acr requests`, Narrow (shorter only) and Deny (with a
 * reason) through modals with 0 ARM writes.
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
  BOT_IDENTITY,
  CHANNEL,
  USER,
  approvalClickBody,
  blockActionsBody,
  dmChannelOf,
  eventEnvelope,
  postSigned,
  slashCommandBody,
  startSlackApi,
  userPost,
  viewSubmissionBody,
  type SlackApiCall,
  type SlackApiDouble,
} from '../support/slack-api.js';

const SECRET = 'e2e-signing-secret-5d4c3b2a';
const FORM = 'application/x-www-form-urlencoded';
const CAROL = 'U0CAROL1';
const ERIN = 'U0ERIN01';
const OLLI = 'U0OLLI01';
const NAME = 'acmeprod';
const IP = SAMPLE.aksOutboundIp;
const RULE = `${IP}/32`;
const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const POLICY = `
version: 1
defaults:
  approvers:
    - slack:${CAROL}
    - erin@contoso.com
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
  pendingTimeout: 1d
  reminderInterval: 4h
  notify:
    directMessages: true
channels:
  - slack: ${CHANNEL}
    registries: ["acme*"]
`;

let dir: string;
let emu: ArmEmulator;
let api: SlackApiDouble;
let bot: RunningBot;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));
const logs: string[] = [];

const PASTE_TS = '1710000100.000100';
let url: string;
const count = (method: string) => api.callsTo(method).length;
const blocks = (c: SlackApiCall) => JSON.stringify(c.args.blocks ?? []);
const patches = () => emu.countRequests({ method: 'PATCH' });
const ipRules = () =>
  (
    emu.state.registry(NAME)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const hasRule = () => ipRules().some((v) => v === IP || v === RULE);
type View = { id?: string; callback_id: string; private_metadata: string; blocks: Array<Record<string, unknown>> };

/** Everything the bot does after a request is answered: Slack listeners and the approval engine's side effects. */
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

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-slack-e2e-'));
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  api = await startSlackApi({
    users: {
      [USER]: { name: 'Dana Lee', email: 'dana@contoso.com' },
      [CAROL]: { name: 'Carol Approver', email: 'carol@contoso.com' },
      [ERIN]: { name: 'Erin Ops', email: 'Erin@Contoso.com' },
      [OLLI]: { name: 'Olli Outsider', email: 'olli@contoso.com' },
    },
  });
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: policyFile,
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
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

describe('Slack approval flow on the real bot, store and ARM emulator', () => {
  let diagnosisTs: string;
  let requestValue: string;
  let form: View;
  let card: SlackApiCall;
  let requestId: string;

  it('a pasted denial gets the diagnosis in its thread with a Request access button for the /32', async () => {
    const res = await postSigned(
      url,
      eventEnvelope(userPost({ text: PASTE, ts: PASTE_TS }), 'EvE2E1'),
      'application/json',
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    await api.waitFor('chat.postMessage');
    await settle();
    const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === PASTE_TS)!;
    diagnosisTs = answer.response.ts as string;
    requestValue = buttonValue(answer, 'request_access');
    expect(JSON.parse(requestValue)).toMatchObject({ registryId: SAMPLE.acmeprod, rule: RULE, ip: IP });
  });

  it("Request access opens a modal with the click's trigger and fills it with the policy's form", async () => {
    const updates = count('views.update');
    const res = await postSigned(
      url,
      blockActionsBody({
        actionId: 'request_access',
        value: requestValue,
        messageTs: diagnosisTs,
        threadTs: PASTE_TS,
        responseUrl: api.responseUrl('ra'),
        triggerId: 'trig-e2e-1',
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const update = (await api.waitFor('views.update', updates + 1)).at(-1)!;
    await settle();
    expect(api.callsTo('views.open').at(-1)!.args.trigger_id).toBe('trig-e2e-1');
    form = update.args.view as View;
    expect(form.callback_id).toBe('submit_request');
    const json = JSON.stringify(form);
    expect(json).toContain(RULE);
    expect(json).toContain('"block_id":"reason"');
    expect(json).toContain('"initial_option"');
    // Carol has no name in policy: her Slack profile (users.info) names her; Erin is named by email.
    expect(json).toContain('1 approval from Carol Approver or erin@contoso.com');
    expect(json).not.toContain(`Slack user ${CAROL}`);
    expect(form.private_metadata.length).toBeLessThanOrEqual(3000);
    expect(JSON.parse(form.private_metadata).conversation).toMatchObject({
      channel: CHANNEL,
      threadTs: PASTE_TS,
      messageTs: diagnosisTs,
      kind: 'channel',
    });
  });

  it('submitting without a reason puts an error on the reason input; no request is made', async () => {
    const res = await postSigned(
      url,
      viewSubmissionBody({ view: form, values: { reason: '', duration: '1h' } }),
      FORM,
      { secret: SECRET },
    );
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { reason: expect.any(String) } });
    await settle();
    expect(await bot.store.listRequests({ registry: SAMPLE.acmeprod })).toHaveLength(0);
  });

  it('submitting with a reason and 1 hour: the card in the thread, a DM to each approver, the requester told privately', async () => {
    const posts = count('chat.postMessage');
    const ephemerals = count('chat.postEphemeral');
    const res = await postSigned(
      url,
      viewSubmissionBody({
        view: form,
        values: { reason: 'Release 1.42 from the AKS egress (INC-4821) <!channel>', duration: '1h' },
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await api.waitFor('chat.postEphemeral', ephemerals + 1);
    await settle();

    const [request] = await bot.store.listRequests({ registry: SAMPLE.acmeprod });
    expect(request).toMatchObject({
      status: 'pending',
      rule: RULE,
      durationMs: 3_600_000,
      requester: { platform: 'slack', id: USER },
    });
    requestId = request!.id;

    const sent = api.callsTo('chat.postMessage').slice(posts);
    card = sent.find((c) => c.args.channel === CHANNEL && c.args.thread_ts === PASTE_TS)!;
    expect(card).toBeDefined();
    expect(JSON.parse(buttonValue(card, 'approve'))).toEqual({ requestId, version: request!.version });
    expect(blocks(card)).toContain('"action_id":"deny"');
    expect(blocks(card)).toContain('&lt;!channel&gt;');
    expect(blocks(card)).not.toContain('<!channel>');
    expect(blocks(card)).toContain('1 approval from Carol Approver or erin@contoso.com');

    expect(sent.filter((c) => c.args.channel === CAROL)).toHaveLength(1);
    expect(api.callsTo('users.lookupByEmail').map((c) => c.args.email)).toContain('erin@contoso.com');
    expect(sent.filter((c) => c.args.channel === ERIN)).toHaveLength(1);

    const told = api.callsTo('chat.postEphemeral').at(-1)!;
    expect(told.args).toMatchObject({ channel: CHANNEL, user: USER, thread_ts: PASTE_TS });
    expect(String(told.args.text)).toContain(RULE);
  });

  const click = (user: string, version: number, responseId: string) =>
    postSigned(
      url,
      approvalClickBody({
        verb: 'approve',
        requestId,
        version,
        user,
        messageTs: card.response.ts as string,
        threadTs: PASTE_TS,
        responseUrl: api.responseUrl(responseId),
      }),
      FORM,
      { secret: SECRET },
    );

  it('a non-approver\'s Approve: a private "not authorized", 0 ARM writes, the card untouched', async () => {
    const before = patches();
    const updates = count('chat.update');
    const ephemerals = count('chat.postEphemeral');
    expect((await click(OLLI, 1, 'olli')).status).toBe(200);
    const told = (await api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
    await settle();
    expect(told.args).toMatchObject({ user: OLLI, channel: CHANNEL });
    expect(`${String(told.args.text)} ${blocks(told)}`).toMatch(/not authori[sz]ed|not an approver|cannot approve/i);
    expect(patches()).toBe(before);
    expect(count('chat.update')).toBe(updates);
    expect((await bot.store.getRequest(requestId))?.status).toBe('pending');
  });

  it("the approver's own id clicking Approve from team TEVIL: refused before any listener, 0 ARM writes", async () => {
    const before = { patches: patches(), updates: count('chat.update'), work: api.workCalls().length };
    const version = (await bot.store.getRequest(requestId))!.version;
    const body = approvalClickBody({
      verb: 'approve',
      requestId,
      version,
      user: CAROL,
      team: 'TEVIL',
      messageTs: card.response.ts as string,
      threadTs: PASTE_TS,
      responseUrl: api.responseUrl('evil'),
    });
    expect((await postSigned(url, body, FORM, { secret: SECRET })).status).toBe(200);
    // The same words as a slash command from that workspace: told why in the ack, nothing run.
    const command = slashCommandBody({
      text: 'requests',
      responseUrl: api.responseUrl('evil-cmd'),
      user: CAROL,
    }).replace('team_id=T0TEST', 'team_id=TEVIL');
    const answered = await postSigned(url, command, FORM, { secret: SECRET });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatch(/only for its own organisation/);
    await settle();
    expect(patches()).toBe(before.patches);
    expect(count('chat.update')).toBe(before.updates);
    expect(api.workCalls().length).toBe(before.work);
    const request = await bot.store.getRequest(requestId);
    expect(request?.status).toBe('pending');
    expect(request?.version).toBe(version);
    expect(logs.filter((l) => l.includes('outside SLACK_ALLOWED_TEAMS') && l.includes('TEVIL'))).toHaveLength(2);
  });

  it("the requester's own Approve is refused privately with 0 ARM writes", async () => {
    const before = patches();
    const ephemerals = count('chat.postEphemeral');
    await click(USER, 1, 'self');
    const told = (await api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
    await settle();
    expect(told.args).toMatchObject({ user: USER });
    expect(`${String(told.args.text)} ${blocks(told)}`).toMatch(/own request|self/i);
    expect(patches()).toBe(before);
    expect((await bot.store.getRequest(requestId))?.status).toBe('pending');
  });

  it('the approver double-clicks Approve: one approval, one PATCH, the rule in the registry, the card updated in place, the requester told by DM', async () => {
    const before = patches();
    const updates = count('chat.update');
    const posts = count('chat.postMessage');
    expect(hasRule()).toBe(false);
    const [a, b] = await Promise.all([click(CAROL, 1, 'carol-1'), click(CAROL, 1, 'carol-2')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await settle();

    expect(patches() - before).toBe(1);
    expect(hasRule()).toBe(true);
    const r = await bot.store.getRequest(requestId);
    expect(r).toMatchObject({ status: 'applied', approvals: [{ by: { id: CAROL } }] });

    const cardUpdates = api
      .callsTo('chat.update')
      .slice(updates)
      .filter((c) => c.args.channel === CHANNEL && c.args.ts === card.response.ts);
    expect(cardUpdates.length).toBeGreaterThan(0);
    const latest = cardUpdates.at(-1)!;
    expect(String(latest.args.text)).toContain('Applied');
    expect(blocks(latest)).not.toContain('"action_id":"approve"');
    // The approvers' DM copies are kept up to date too.
    expect(
      api
        .callsTo('chat.update')
        .slice(updates)
        .some((c) => c.args.channel === dmChannelOf(CAROL)),
    ).toBe(true);

    const dms = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .filter((c) => c.args.channel === USER);
    expect(dms.length).toBeGreaterThan(0);
    expect(dms.map((c) => String(c.args.text) + blocks(c)).join('\n')).toMatch(/Approved by Carol Approver/);
  });

  it('after the grant ends the scheduler removes the rule, and the cards say so', async () => {
    const before = patches();
    const updates = count('chat.update');
    clock.advance(61 * 60_000);
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
    expect(patches() - before).toBe(1);
    expect((await bot.store.getRequest(requestId))?.status).toBe('expired');
    const latest = api
      .callsTo('chat.update')
      .slice(updates)
      .filter((c) => c.args.ts === card.response.ts)
      .at(-1);
    expect(String(latest?.args.text)).toContain('Expired');
  });

  it('@acr audit acmeprod answers in the thread with every step and the rules added and removed', async () => {
    const ts = '1710000200.000100';
    const posts = count('chat.postMessage');
    await postSigned(
      url,
      eventEnvelope(
        userPost({ type: 'app_mention', text: `<@${BOT_IDENTITY.user_id}> audit ${NAME}`, ts, user: CAROL }),
        'EvE2EAudit',
      ),
      'application/json',
      { secret: SECRET },
    );
    await api.waitFor('chat.postMessage', posts + 1);
    await settle();
    const answer = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.thread_ts === ts)!;
    const json = blocks(answer);
    for (const step of ['Requested', 'Approved', 'Applied', 'Expired']) expect(json).toContain(`*${step}*`);
    expect(json).toContain(`+ \`${RULE}\``);
    expect(json).toMatch(new RegExp(`− \\\`${RULE.replace(/[./]/g, '\\$&')}\\\``));

    const events = await bot.store.listAudit({ registry: NAME });
    const applied = events.find((e) => e.type === 'applied')!;
    expect(applied.after!.length - applied.before!.length).toBe(1);
    const removed = events.filter((e) => e.before && e.after && e.before.length - e.after.length === 1);
    expect(removed.length).toBeGreaterThan(0);
  });

  it('ARM failing every PATCH: the card shows the failure with Retry; Retry after ARM recovers applies the rule; Revoke removes it', async () => {
    const ip = SAMPLE.buildVmIp;
    const ts = '1710000300.000100';
    const paste = PASTE.replaceAll(IP, ip);
    await postSigned(url, eventEnvelope(userPost({ text: paste, ts }), 'EvE2ERetry'), 'application/json', {
      secret: SECRET,
    });
    await settle();
    const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts)!;
    const updates = count('views.update');
    await postSigned(
      url,
      blockActionsBody({
        actionId: 'request_access',
        value: buttonValue(answer, 'request_access'),
        messageTs: answer.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('ra2'),
        triggerId: 'trig-e2e-2',
      }),
      FORM,
      { secret: SECRET },
    );
    const view = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View;
    await settle();
    const posts = count('chat.postMessage');
    await postSigned(
      url,
      viewSubmissionBody({ view, values: { reason: 'Build VM smoke test', duration: '1h' } }),
      FORM,
      { secret: SECRET },
    );
    await settle();
    const retryCard = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.channel === CHANNEL && c.args.thread_ts === ts)!;
    const { requestId: id } = JSON.parse(buttonValue(retryCard, 'approve')) as { requestId: string };

    const fault = emu.faults.add({ method: 'PATCH', path: `/registries/${NAME}`, status: 503, times: null });
    const updatesBefore = count('chat.update');
    await postSigned(
      url,
      approvalClickBody({
        verb: 'approve',
        requestId: id,
        version: 1,
        user: CAROL,
        messageTs: retryCard.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('r1'),
      }),
      FORM,
      { secret: SECRET },
    );
    await settle();
    const failed = await bot.store.getRequest(id);
    expect(failed).toMatchObject({ status: 'failed', apply: { retryable: true } });
    const failedCard = api
      .callsTo('chat.update')
      .slice(updatesBefore)
      .filter((c) => c.args.ts === retryCard.response.ts)
      .at(-1)!;
    expect(blocks(failedCard)).toContain('"action_id":"retry_apply"');
    expect(blocks(failedCard)).toContain('Last error');

    emu.faults.remove(fault);
    await postSigned(
      url,
      approvalClickBody({
        verb: 'retry_apply',
        requestId: id,
        version: failed!.version,
        user: CAROL,
        messageTs: retryCard.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('r2'),
      }),
      FORM,
      { secret: SECRET },
    );
    await settle();
    expect((await bot.store.getRequest(id))?.status).toBe('applied');
    expect(ipRules().some((v) => v === ip || v === `${ip}/32`)).toBe(true);
    const appliedCard = api
      .callsTo('chat.update')
      .filter((c) => c.args.ts === retryCard.response.ts)
      .at(-1)!;
    expect(String(appliedCard.args.text)).toContain('Applied');

    // An approver revokes it early from the card: a modal (reason optional), then the rule goes.
    const applied = await bot.store.getRequest(id);
    const { version } = JSON.parse(buttonValue(appliedCard, 'revoke')) as { version: number };
    expect(version).toBe(applied!.version);
    const viewUpdates = count('views.update');
    await postSigned(
      url,
      approvalClickBody({
        verb: 'revoke',
        requestId: id,
        version,
        user: CAROL,
        messageTs: retryCard.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('r3'),
        triggerId: 'trig-e2e-revoke',
      }),
      FORM,
      { secret: SECRET },
    );
    const revokeForm = (await api.waitFor('views.update', viewUpdates + 1)).at(-1)!.args.view as View;
    await settle();
    expect(revokeForm.callback_id).toBe('submit_revoke');
    const writes = patches();
    expect(
      (
        await postSigned(url, viewSubmissionBody({ view: revokeForm, values: { reason: '' }, user: CAROL }), FORM, {
          secret: SECRET,
        })
      ).body,
    ).toBe('');
    await settle();
    expect((await bot.store.getRequest(id))?.status).toBe('revoked');
    expect(ipRules().some((v) => v === ip || v === `${ip}/32`)).toBe(false);
    expect(patches() - writes).toBe(1);
    expect(
      String(
        api
          .callsTo('chat.update')
          .filter((c) => c.args.ts === retryCard.response.ts)
          .at(-1)!.args.text,
      ),
    ).toContain('Revoked');
  });

  it('@acr requests lists what waits for the approver; Narrow (a shorter duration only) and Deny (a reason) go through modals, 0 ARM writes', async () => {
    const ip = SAMPLE.natGatewayIp;
    const ts = '1710000400.000100';
    await postSigned(
      url,
      eventEnvelope(userPost({ text: PASTE.replaceAll(IP, ip), ts }), 'EvE2ENarrow'),
      'application/json',
      { secret: SECRET },
    );
    await settle();
    const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts)!;
    let updates = count('views.update');
    await postSigned(
      url,
      blockActionsBody({
        actionId: 'request_access',
        value: buttonValue(answer, 'request_access'),
        messageTs: answer.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('ra3'),
        triggerId: 'trig-e2e-3',
      }),
      FORM,
      { secret: SECRET },
    );
    const requestForm = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View;
    await settle();
    let posts = count('chat.postMessage');
    await postSigned(
      url,
      viewSubmissionBody({ view: requestForm, values: { reason: 'NAT egress for the batch jobs', duration: '4h' } }),
      FORM,
      { secret: SECRET },
    );
    await settle();
    const threadCard = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.channel === CHANNEL && c.args.thread_ts === ts)!;
    const { requestId: id } = JSON.parse(buttonValue(threadCard, 'approve')) as { requestId: string };
    const writes = patches();

    // @acr requests, from the approver: the pending request, in a snapshot list without buttons (the cards have them).
    const listTs = '1710000400.000200';
    posts = count('chat.postMessage');
    await postSigned(
      url,
      eventEnvelope(
        userPost({ type: 'app_mention', text: `<@${BOT_IDENTITY.user_id}> requests`, ts: listTs, user: CAROL }),
        'EvE2EList',
      ),
      'application/json',
      { secret: SECRET },
    );
    await api.waitFor('chat.postMessage', posts + 1);
    await settle();
    const list = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.thread_ts === listTs)!;
    expect(blocks(list)).toContain(`${ip}/32`);
    expect(blocks(list)).toContain('A snapshot: this list does not change and has no buttons.');
    expect(JSON.stringify((list.args.blocks as unknown[]) ?? [])).not.toContain('"type":"button"');
    expect(JSON.parse(buttonValue(threadCard, 'narrow'))).toEqual({ requestId: id, version: 1 });

    // Narrow: the modal offers only durations shorter than the 4h asked.
    updates = count('views.update');
    await postSigned(
      url,
      approvalClickBody({
        verb: 'narrow',
        requestId: id,
        version: 1,
        user: CAROL,
        messageTs: threadCard.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('n1'),
        triggerId: 'trig-e2e-narrow',
      }),
      FORM,
      { secret: SECRET },
    );
    const narrowForm = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View;
    await settle();
    expect(narrowForm.callback_id).toBe('submit_narrow');
    const offered = (
      narrowForm.blocks.find((b) => b.block_id === 'duration') as { element: { options: Array<{ value: string }> } }
    ).element.options.map((o) => o.value);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain('4h');
    expect(offered).toContain('1h');
    await postSigned(url, viewSubmissionBody({ view: narrowForm, values: { duration: '1h' }, user: CAROL }), FORM, {
      secret: SECRET,
    });
    await settle();
    const narrowed = await bot.store.getRequest(id);
    expect(narrowed).toMatchObject({ status: 'pending', durationMs: 3_600_000 });
    const cardNow = api
      .callsTo('chat.update')
      .filter((c) => c.args.ts === threadCard.response.ts)
      .at(-1)!;
    expect(blocks(cardNow)).toContain('*Duration*\\n1h');

    // Deny: a reason is required; the card shows it and the requester is told.
    updates = count('views.update');
    await postSigned(
      url,
      approvalClickBody({
        verb: 'deny',
        requestId: id,
        version: narrowed!.version,
        user: CAROL,
        messageTs: threadCard.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl('d1'),
        triggerId: 'trig-e2e-deny',
      }),
      FORM,
      { secret: SECRET },
    );
    const denyForm = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view as View;
    await settle();
    expect(denyForm.callback_id).toBe('submit_deny');
    expect(
      JSON.parse(
        (
          await postSigned(url, viewSubmissionBody({ view: denyForm, values: { reason: ' ' }, user: CAROL }), FORM, {
            secret: SECRET,
          })
        ).body,
      ),
    ).toMatchObject({ response_action: 'errors' });
    posts = count('chat.postMessage');
    await postSigned(
      url,
      viewSubmissionBody({
        view: denyForm,
        values: { reason: 'Use the NAT gateway prefix rule instead' },
        user: CAROL,
      }),
      FORM,
      { secret: SECRET },
    );
    await settle();
    expect(await bot.store.getRequest(id)).toMatchObject({
      status: 'denied',
      decision: { reason: 'Use the NAT gateway prefix rule instead' },
    });
    const denied = api
      .callsTo('chat.update')
      .filter((c) => c.args.ts === threadCard.response.ts)
      .at(-1)!;
    expect(blocks(denied)).toContain('Use the NAT gateway prefix rule instead');
    expect(blocks(denied)).not.toContain('"action_id":"approve"');
    expect(
      api
        .callsTo('chat.postMessage')
        .slice(posts)
        .some((c) => c.args.channel === USER && blocks(c).includes('Use the NAT gateway prefix rule instead')),
    ).toBe(true);
    expect(patches()).toBe(writes);
  });

  it('logs within a request carry its ids: the request, the platform and the Slack payload type', () => {
    const requested = logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'access requested');
    expect(requested).toMatchObject({
      platform: 'slack',
      slackType: 'view_submission',
      route: '/slack/events',
      reqId: expect.any(String),
    });
  });

  it('never logs the bot token, the signing secret or a signature', () => {
    const all = logs.join('\n');
    expect(all).not.toContain('xoxb-e2e-token');
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/v0=[0-9a-f]{64}/);
  });
});
