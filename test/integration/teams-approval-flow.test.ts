/**
 * The approval flow end to end in Teams, on real parts: the bot from startBot (restify, CloudAdapter with
 * StrictBotFrameworkAuthentication, the real chat service with the approval engine, the real Azure gateway against
 * the ARM emulator over HTTPS, a SQLite store in a temp file, the YAML policy from POLICY_FILE, a controllable
 * clock); activities signed by a local token authority; the Bot Connector double capturing what the bot sends and
 * answering roster lookups and 1:1 chat creation.
 *
 * paste in a channel → diagnosis card in the thread → Request access → the form, privately → submit with the inputs
 * Teams merges into the data → the request card in the thread (no decision buttons; refresh.userIds = the approver's
 * and the requester's 29: ids) + a DM to the approver → the approver's automatic refresh → her view with Approve →
 * refusals (another user, the requester) with 0 ARM writes → the approver double-clicks Approve → one PATCH, rule
 * present, thread card updated in place, requester told by DM → clock past the end + scheduler tick → rule gone →
 * `@bot audit acmeprod` and the store's audit events show every step with the before/after rules. Then @bot requests,
 * Deny through its form (a reason required) and Revoke through its form on later requests of the same thread.
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
  OUTBOUND_TOKEN,
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
const EVE = { id: '29:eve-teams-id', name: 'Eve Stone', aadObjectId: 'e0e0e0e0-0000-4000-8000-0000000000ee' };
const POLICY = `
version: 1
defaults:
  approvers:
    - teams:${CAROL.aadObjectId}
  minApprovals: 1
  requireReason: true
  duration:
    default: 4h
    max: 1d
  pendingTimeout: 1d
  reminderInterval: 4h
  notify:
    directMessages: true
`;
const ROOT_ID = '1715000000001';
const THREAD = `${CHANNEL_CONVERSATION};messageid=${ROOT_ID}`;

type Action = CardAction;
type Card = {
  body: unknown[];
  actions?: Action[];
  refresh?: { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };
};
type InvokeBody = { statusCode: number; type: string; value: Card };

let dir: string;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: RunningBot;
let url: string;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));
const logs: string[] = [];

const cardOf = (a: CapturedActivity): Card => cardOfActivity<Card>(a);
const text = (c: Card) => JSON.stringify(c);
/** Every Action.Execute on a card, in card actions and in ActionSets of the body (not the refresh action). */
const verbs = (c: Card) => executeActions(c).map((a) => a.verb);
const patches = () => emu.countRequests({ method: 'PATCH' });
const ipRules = () =>
  (
    emu.state.registry(NAME)!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const hasRule = () => ipRules().some((v) => v === IP || v === RULE);
const bearer = async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;

async function settle(): Promise<void> {
  await bot.approvals.idle(20_000);
}

async function click(o: {
  verb: string;
  data: Record<string, unknown>;
  from: Record<string, unknown>;
  replyToId: string;
  trigger?: 'manual' | 'automatic';
}): Promise<{ status: number; body: InvokeBody }> {
  const activity = cardActionActivity({ serviceUrl: connector.serviceUrl, conversationId: THREAD, ...o });
  const r = await postActivity(url, activity, await bearer());
  return { status: r.status, body: JSON.parse(r.body || '{}') as InvokeBody };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-teams-e2e-'));
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  authority = await startTokenAuthority();
  connector = await startConnectorDouble({
    roster: {
      [TEAM]: [
        { ...DANA, userPrincipalName: 'dana.lee@acme.example' },
        { ...CAROL, userPrincipalName: 'carol@acme.example' },
        { ...EVE, userPrincipalName: 'eve@acme.example' },
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
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await authority?.close();
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Teams approval flow on the real bot, store and ARM emulator', () => {
  let diagnosisId: string;
  let requestAccess: Action;
  let form: Card;
  let requestId: string;
  let threadCard: CapturedActivity;
  let threadCardId: string;

  it('a pasted denial in a channel: the diagnosis card in its thread, with Request access for the /32', async () => {
    const r = await postActivity(
      url,
      teamsActivity({ serviceUrl: connector.serviceUrl, id: ROOT_ID, text: PASTE, from: DANA }),
      await bearer(),
    );
    expect(r.status).toBe(200);
    const [reply] = await connector.waitFor(1);
    expect(reply!.url).toBe(`/v3/conversations/${THREAD}/activities/${ROOT_ID}`);
    diagnosisId = `reply-1`;
    requestAccess = executeActions(cardOf(reply!)).find((a) => a.verb === 'request_access')!;
    expect(requestAccess.data).toMatchObject({ registryId: SAMPLE.acmeprod, rule: RULE, ip: IP });
  });

  it('Request access: the form, privately (nothing sent to the conversation)', async () => {
    const before = connector.captured.length;
    const r = await click({ verb: 'request_access', data: requestAccess.data!, from: DANA, replyToId: diagnosisId });
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('application/vnd.microsoft.card.adaptive');
    form = r.body.value;
    const json = text(form);
    expect(json).toContain('"id":"reason"');
    expect(json).toContain('"id":"duration"');
    expect(json).toContain(RULE);
    expect(verbs(form)).toEqual(['submit_request']);
    // The approver has no name in policy and never wrote to the bot: the roster names her, not her AAD object id.
    expect(json).toContain('1 approval from Carol Diaz');
    expect(json).not.toContain(CAROL.aadObjectId);
    await settle();
    expect(connector.captured.length).toBe(before);
  });

  it('submit with the inputs: the request card in the thread (no buttons, refresh for the approver and requester), a DM to the approver', async () => {
    const before = connector.captured.length;
    const submit = executeActions(form).find((a) => a.verb === 'submit_request')!;
    // Teams sends the action's data with the inputs merged in under their ids, as strings.
    const r = await click({
      verb: 'submit_request',
      data: { ...submit.data, reason: 'Release 1.42 from the AKS egress (INC-4821) <at>Everyone</at>', duration: '1h' },
      from: DANA,
      replyToId: diagnosisId,
    });
    expect(r.status).toBe(200);
    await settle();

    const [request] = await bot.store.listRequests({ registry: SAMPLE.acmeprod });
    expect(request).toMatchObject({
      status: 'pending',
      rule: RULE,
      durationMs: 3_600_000,
      requester: { platform: 'teams', id: DANA.aadObjectId },
    });
    requestId = request!.id;

    const sent = connector.captured.slice(before);
    threadCard = sent.find((c) => c.method === 'POST' && c.url === `/v3/conversations/${THREAD}/activities`)!;
    expect(threadCard).toBeDefined();
    threadCardId = `reply-${connector.captured.indexOf(threadCard) + 1}`;
    const card = cardOf(threadCard);
    expect(verbs(card)).toEqual([]);
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh_request', data: { requestId } },
      userIds: [CAROL.id, DANA.id],
    });
    expect(text(card)).toContain('Waiting for approval');
    expect(text(card)).toContain('1 approval from Carol Diaz');
    expect(text(card)).not.toContain(`Teams user ${CAROL.aadObjectId}`);
    expect(text(card)).not.toMatch(/<at>/i);
    expect(connector.memberLookups).toContainEqual({ conversationId: TEAM, user: CAROL.aadObjectId, found: true });

    const dm = connector.conversations.find((c) => (c.body.members as Array<{ id: string }>)[0]!.id === CAROL.id)!;
    expect(dm).toMatchObject({ auth: `Bearer ${OUTBOUND_TOKEN}`, body: { isGroup: false, tenantId: 'tenant-1' } });
    const dmCard = sent.find((c) => c.url === `/v3/conversations/${dm.id}/activities`)!;
    expect(verbs(cardOf(dmCard))).toContain('approve');
    expect((await bot.store.listCards(requestId)).map((c) => c.purpose).sort()).toEqual(['approver_dm', 'thread']);
  });

  it("the approver's automatic refresh: her view, with Approve bound to the request id and version", async () => {
    const before = connector.captured.length;
    const r = await click({
      verb: 'refresh_request',
      data: { requestId },
      from: CAROL,
      replyToId: threadCardId,
      trigger: 'automatic',
    });
    expect(r.status).toBe(200);
    const approve = executeActions(r.body.value).find((a) => a.verb === 'approve')!;
    const request = await bot.store.getRequest(requestId);
    expect(approve.data).toEqual({ requestId, version: request!.version });
    expect(r.body.value.refresh?.userIds).toEqual([CAROL.id, DANA.id]);
    expect(connector.captured.length).toBe(before);
  });

  it("everyone else's refresh (a manual one): no decision buttons", async () => {
    const r = await click({ verb: 'refresh_request', data: { requestId }, from: EVE, replyToId: threadCardId });
    expect(verbs(r.body.value).filter((v) => ['approve', 'deny', 'narrow'].includes(v!))).toEqual([]);
  });

  const approve = (from: Record<string, unknown>, version: number) =>
    click({ verb: 'approve', data: { requestId, version }, from, replyToId: threadCardId });

  it('a non-approver clicking Approve: a private "not authorized", 0 ARM writes, the thread card untouched', async () => {
    const before = { patches: patches(), sent: connector.captured.length };
    const version = (await bot.store.getRequest(requestId))!.version;
    const r = await approve(EVE, version);
    expect(r.status).toBe(200);
    expect(text(r.body.value)).toMatch(/not authori[sz]ed|not an approver|cannot approve/i);
    await settle();
    expect(patches()).toBe(before.patches);
    expect(connector.captured.length).toBe(before.sent);
    expect((await bot.store.getRequest(requestId))?.status).toBe('pending');
  });

  it("the requester's own Approve is refused privately, 0 ARM writes", async () => {
    const before = patches();
    const version = (await bot.store.getRequest(requestId))!.version;
    const r = await approve(DANA, version);
    expect(text(r.body.value)).toMatch(/own request|self/i);
    await settle();
    expect(patches()).toBe(before);
    expect((await bot.store.getRequest(requestId))?.status).toBe('pending');
  });

  it("the approver's own id clicking Approve from tenant evil-tenant: refused with why, 0 ARM writes, nothing learnt", async () => {
    const before = { patches: patches(), sent: connector.captured.length };
    const version = (await bot.store.getRequest(requestId))!.version;
    const activity = cardActionActivity({
      serviceUrl: connector.serviceUrl,
      conversationId: THREAD,
      verb: 'approve',
      data: { requestId, version },
      from: CAROL,
      replyToId: threadCardId,
    });
    activity.channelData = { ...(activity.channelData as object), tenant: { id: 'evil-tenant' } };
    (activity.conversation as Record<string, unknown>).tenantId = 'evil-tenant';
    const r = await postActivity(url, activity, await bearer());
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/only for its own organisation/);
    await settle();
    expect(patches()).toBe(before.patches);
    expect(connector.captured.length).toBe(before.sent);
    const request = await bot.store.getRequest(requestId);
    expect(request?.status).toBe('pending');
    expect(request?.version).toBe(version);
    expect(logs.some((l) => l.includes('outside TEAMS_ALLOWED_TENANTS') && l.includes('evil-tenant'))).toBe(true);
  });

  it('the approver double-clicks Approve: one approval, one PATCH, the rule in the registry, the thread card updated in place, the requester told by DM', async () => {
    const before = { patches: patches(), sent: connector.captured.length, dms: connector.conversations.length };
    const version = (await bot.store.getRequest(requestId))!.version;
    expect(hasRule()).toBe(false);
    const [a, b] = await Promise.all([approve(CAROL, version), approve(CAROL, version)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Each click is answered privately; neither answer offers Approve again.
    for (const r of [a, b]) expect(verbs(r.body.value)).not.toContain('approve');
    await settle();

    expect(patches() - before.patches).toBe(1);
    expect(hasRule()).toBe(true);
    expect(await bot.store.getRequest(requestId)).toMatchObject({
      status: 'applied',
      approvals: [{ by: { id: CAROL.aadObjectId } }],
    });

    const sent = connector.captured.slice(before.sent);
    const threadUpdates = sent.filter(
      (c) => c.method === 'PUT' && c.url === `/v3/conversations/${THREAD}/activities/${threadCardId}`,
    );
    expect(threadUpdates.length).toBeGreaterThan(0);
    const latest = cardOf(threadUpdates.at(-1)!);
    expect(text(latest)).toContain('Applied');
    expect(verbs(latest)).toEqual([]);

    // The requester is told in a 1:1 chat the bot opens with her.
    const danaDm = connector.conversations.find((c) => (c.body.members as Array<{ id: string }>)[0]!.id === DANA.id);
    expect(danaDm).toBeDefined();
    const told = connector.captured.filter(
      (c) => c.method === 'POST' && c.url === `/v3/conversations/${danaDm!.id}/activities`,
    );
    expect(told.map((c) => text(cardOf(c))).join('\n')).toMatch(/Carol Diaz/);
  });

  it('after the grant ends the scheduler removes the rule, and the thread card says so', async () => {
    const before = { patches: patches(), sent: connector.captured.length };
    clock.advance(61 * 60_000);
    await bot.approvals.tick();
    await settle();
    expect(hasRule()).toBe(false);
    expect(patches() - before.patches).toBe(1);
    expect((await bot.store.getRequest(requestId))?.status).toBe('expired');
    const latest = connector.captured
      .slice(before.sent)
      .filter((c) => c.method === 'PUT' && c.url.endsWith(`/activities/${threadCardId}`))
      .at(-1);
    expect(latest).toBeDefined();
    const card = cardOf(latest!);
    expect(text(card)).toContain('Expired');
    expect(card.refresh).toBeUndefined();
  });

  it('@bot audit acmeprod: every step, with the rule added and removed; the store keeps the before/after lists', async () => {
    const before = connector.captured.length;
    await postActivity(
      url,
      teamsActivity({
        serviceUrl: connector.serviceUrl,
        id: '1715000000099',
        text: `audit ${NAME}`,
        mentionBot: true,
        from: CAROL,
      }),
      await bearer(),
    );
    const [answer] = (await connector.waitFor(before + 1)).slice(before);
    const json = text(cardOf(answer!));
    for (const step of ['Requested', 'Approved', 'Applied', 'Expired']) expect(json).toContain(`"text":"${step}"`);
    expect(json).toContain(`+ ${RULE}`);
    expect(json).toContain(`- ${RULE}`);

    const events = await bot.store.listAudit({ registry: NAME });
    const applied = events.find((e) => e.type === 'applied')!;
    expect(applied.after!.filter((r) => !applied.before!.includes(r))).toEqual([
      expect.stringMatching(new RegExp(`^${IP.replace(/\./g, '\\.')}(/32)?$`)),
    ]);
    const removed = events.filter((e) => e.before && e.after && e.before.length - e.after.length === 1);
    expect(removed.length).toBeGreaterThan(0);
  });

  // More decisions through Teams forms on the same thread: Deny (a reason required), @bot requests, Revoke.
  async function newRequest(reason: string, duration: string): Promise<{ id: string; cardId: string }> {
    const opened = await click({
      verb: 'request_access',
      data: requestAccess.data!,
      from: DANA,
      replyToId: diagnosisId,
    });
    const submit = executeActions(opened.body.value).find((a) => a.verb === 'submit_request')!;
    const before = connector.captured.length;
    await click({
      verb: 'submit_request',
      data: { ...submit.data, reason, duration },
      from: DANA,
      replyToId: diagnosisId,
    });
    await settle();
    const [latest] = await bot.store.listRequests({ registry: SAMPLE.acmeprod, status: 'pending' });
    const post = connector.captured
      .slice(before)
      .find((c) => c.method === 'POST' && c.url === `/v3/conversations/${THREAD}/activities`)!;
    return { id: latest!.id, cardId: `reply-${connector.captured.indexOf(post) + 1}` };
  }

  it('@bot requests: the approver sees the pending request in a snapshot list, without buttons', async () => {
    await newRequest('Hotfix build from the AKS egress', '4h');
    const before = connector.captured.length;
    await postActivity(
      url,
      teamsActivity({
        serviceUrl: connector.serviceUrl,
        id: '1715000000100',
        text: 'requests',
        mentionBot: true,
        from: CAROL,
      }),
      await bearer(),
    );
    const [answer] = (await connector.waitFor(before + 1)).slice(before);
    const list = cardOf(answer!);
    expect(text(list)).toContain('Hotfix build from the AKS egress');
    // A snapshot: it says so and has no buttons (the request's own cards have them and stay current).
    expect(text(list)).toContain('A snapshot: this list does not change and has no buttons.');
    expect(executeActions(list)).toEqual([]);
  });

  it('Deny: the form asks for a reason (required); without one nothing happens; with one the thread card says Denied and why, the requester is told, 0 ARM writes', async () => {
    const [pending] = await bot.store.listRequests({ registry: SAMPLE.acmeprod, status: 'pending' });
    const cards = await bot.store.listCards(pending!.id);
    const cardId = cards.find((c) => c.purpose === 'thread')!.messageId!;
    const before = { patches: patches(), sent: connector.captured.length };

    const opened = await click({
      verb: 'deny',
      data: { requestId: pending!.id, version: pending!.version },
      from: CAROL,
      replyToId: cardId,
    });
    const denyForm = opened.body.value;
    expect(text(denyForm)).toContain('"id":"reason"');
    expect(text(denyForm)).toContain('"isRequired":true');
    const submit = executeActions(denyForm).find((a) => a.verb === 'submit_deny')!;
    expect(submit.data).toMatchObject({ requestId: pending!.id, version: pending!.version });
    expect(connector.captured.length).toBe(before.sent);

    // A client that skipped validation (an empty Input.Text is left out of the data): refused, still pending.
    const empty = await click({ verb: 'submit_deny', data: submit.data!, from: CAROL, replyToId: cardId });
    expect(text(empty.body.value)).toMatch(/reason/i);
    expect((await bot.store.getRequest(pending!.id))?.status).toBe('pending');

    const done = await click({
      verb: 'submit_deny',
      data: { ...submit.data, reason: 'Use the build VNet private endpoint instead' },
      from: CAROL,
      replyToId: cardId,
    });
    expect(done.status).toBe(200);
    await settle();
    expect(await bot.store.getRequest(pending!.id)).toMatchObject({
      status: 'denied',
      decision: { reason: 'Use the build VNet private endpoint instead' },
    });
    const put = connector.captured
      .slice(before.sent)
      .filter((c) => c.method === 'PUT' && c.url.endsWith(`/activities/${cardId}`))
      .at(-1)!;
    expect(text(cardOf(put))).toContain('Denied');
    expect(text(cardOf(put))).toContain('Use the build VNet private endpoint instead');
    expect(patches()).toBe(before.patches);
  });

  it('Revoke: an applied grant ended early through the revoke form, the rule removed', async () => {
    const third = await newRequest('One more build', '4h');
    const v = (await bot.store.getRequest(third.id))!.version;
    await click({ verb: 'approve', data: { requestId: third.id, version: v }, from: CAROL, replyToId: third.cardId });
    await settle();
    expect(hasRule()).toBe(true);
    const applied = (await bot.store.getRequest(third.id))!;
    expect(applied.status).toBe('applied');

    const refreshed = await click({
      verb: 'refresh_request',
      data: { requestId: third.id },
      from: CAROL,
      replyToId: third.cardId,
      trigger: 'automatic',
    });
    const revoke = executeActions(refreshed.body.value).find((a) => a.verb === 'revoke')!;
    expect(revoke.data).toEqual({ requestId: third.id, version: applied.version });
    const opened = await click({ verb: 'revoke', data: revoke.data!, from: CAROL, replyToId: third.cardId });
    const submit = executeActions(opened.body.value).find((a) => a.verb === 'submit_revoke')!;
    const before = patches();
    await click({
      verb: 'submit_revoke',
      data: { ...submit.data, reason: 'Build finished' },
      from: CAROL,
      replyToId: third.cardId,
    });
    await settle();
    expect((await bot.store.getRequest(third.id))?.status).toBe('revoked');
    expect(hasRule()).toBe(false);
    expect(patches() - before).toBe(1);
  });

  it('never logs a token or the app password', () => {
    const all = logs.join('\n');
    expect(all).not.toContain(OUTBOUND_TOKEN);
    expect(all).not.toContain('test-app-password-not-used');
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/);
  });
});
