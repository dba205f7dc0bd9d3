/**
 * Every posted copy of a request agrees, on both platforms at once, end to end: one bot from startBot serving Teams
 * (activities signed by the local token authority, the Bot Connector double capturing posts and updates) and Slack
 * (requests signed as Slack signs them, the Slack API double recording chat.postMessage / chat.update /
 * chat.postEphemeral), the real approval engine, the ARM emulator over HTTPS, SQLite. Policy: Carol approves, on
 * Teams and on Slack; break-glass allowed for requesters.
 *
 * - A request from Teams reaches Carol in a Teams DM and a Slack DM: the two copies carry the same words (title,
 *   status line, facts, warnings, buttons) while pending and after each change, read from the wire payloads.
 * - Cancel (from Teams, then from Slack): every posted copy (thread cards, DMs, on both platforms) ends up Cancelled
 *   with no button.
 * - Break-glass submit (from Teams, then from Slack): the rule is in the registry with no click, and every copy says
 *   Applied, offering only what Applied allows.
 * - Slack answers the bot can never update (ephemeral): a request in them is a snapshot with its time, no button.
 *
 * The Agents Playground test (test/e2e/playground-approvals.test.ts) shows the same stories in a browser; its
 * approvers cannot be reached there, so their DMs are checked here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_ORDER, ACTION_WORDS, statusAllows } from '../../src/core/approvals/index.js';
import type { AccessRequest } from '../../src/core/requests/index.js';
import type { RunningBot } from '../../src/main.js';
import { testClock } from '../support/azure.js';
import {
  CHANNEL_CONVERSATION,
  cardActionActivity,
  cardOf,
  executeActions,
  postActivity,
  teamsActivity,
  type ConnectorDouble,
  type TokenAuthority,
} from '../support/bot-framework.js';
import { normalise, slackWords, teamsWords, type CardWords } from '../support/card-words.js';
import { SAMPLE, type ArmEmulator } from '../support/emulator.js';
import {
  CHANNEL,
  USER,
  approvalClickBody,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  userPost,
  viewSubmissionBody,
  type SlackApiCall,
  type SlackApiDouble,
} from '../support/slack-api.js';
import { startTwoPlatforms, type TwoPlatforms } from '../support/two-platforms.js';

const SECRET = 'copies-signing-secret-9a8b7c';
const FORM = 'application/x-www-form-urlencoded';
const TEAM = '19:team-general@thread.tacv2';
const DANA = { id: '29:dana-teams-id', name: 'Dana Lee', aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b' };
const CAROL = { id: '29:carol-teams-id', name: 'Carol Diaz', aadObjectId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' };
const CAROL_SLACK = 'U0CAROL1';
const POLICY = `
version: 1
defaults:
  approvers:
    - id: teams:${CAROL.aadObjectId}
      name: Carol Diaz
    - id: slack:${CAROL_SLACK}
      name: Carol Diaz
  minApprovals: 1
  breakGlass: { enabled: true, maxDuration: 30m, allowedFor: requesters }
  requireReason: true
  duration: { default: 1h, max: 8h }
  pendingTimeout: 1d
  reminderInterval: 4h
  notify:
    directMessages: true
`;
const paste = (ip: string) =>
  `Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

let stack: TwoPlatforms;
let settle: () => Promise<void>;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let api: SlackApiDouble;
let bot: RunningBot;
let teamsUrl: string;
let slackUrl: string;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

const ipRules = () =>
  (
    emu.state.registry('acmeprod')!.properties as { networkRuleSet: { ipRules: Array<{ value: string }> } }
  ).networkRuleSet.ipRules.map((r) => r.value);
const blocksOf = (c: SlackApiCall) => JSON.stringify(c.args.blocks ?? []);
const newest = async (rule: string) => (await bot.store.listRequests({ rule, limit: 1 }))[0]!;

/** One copy of a request as it reads now: where it was posted, and its words from the latest payload. */
interface Copy {
  where: string;
  words: CardWords;
}

/** Every Slack message posted for request `id`, each as its last chat.update left it (or as posted). */
function slackCopies(id: string): Copy[] {
  return api
    .callsTo('chat.postMessage')
    .filter((p) => blocksOf(p).includes(id))
    .map((p) => {
      const last = api
        .callsTo('chat.update')
        .filter((u) => u.args.channel === p.response.channel && u.args.ts === p.response.ts)
        .at(-1);
      return { where: `slack ${String(p.args.channel)}`, words: normalise(slackWords((last ?? p).args)) };
    });
}

/** Every Teams activity posted for request `id`, each as its last update (PUT) left it (or as posted). */
function teamsCopies(id: string): Copy[] {
  return connector.captured.flatMap((a, i) => {
    if (a.method !== 'POST' || !JSON.stringify(a.body).includes(id)) return [];
    // The double answers the n-th captured activity with the id `reply-n`.
    const last = connector.captured.filter((u) => u.method === 'PUT' && u.url.endsWith(`/activities/reply-${i + 1}`));
    return [{ where: `teams ${a.url.split('/')[3]}`, words: normalise(teamsWords(cardOf(last.at(-1) ?? a))) }];
  });
}

/** Every copy reads `label` first and offers only buttons the request's status allows. */
function expectAll(copies: Copy[], r: AccessRequest, label: RegExp): void {
  const allowed = ACTION_ORDER.filter((a) => statusAllows(r, a)).map((a) => ACTION_WORDS[a].label);
  for (const c of copies) {
    expect(c.words.status[0], c.where).toMatch(label);
    expect(
      c.words.buttons.filter((b) => !allowed.includes(b)),
      c.where,
    ).toEqual([]);
  }
}

/** The ephemeral answer is a snapshot: it says so, with its time, and carries no button. */
function expectSnapshot(e: SlackApiCall): void {
  expect(blocksOf(e)).toMatch(/A snapshot: it does not change\. [^"]*\(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
  expect(blocksOf(e)).not.toContain('"type":"button"');
}

beforeAll(async () => {
  stack = await startTwoPlatforms({
    name: 'copies',
    policy: POLICY,
    secret: SECRET,
    clock,
    roster: { [TEAM]: [DANA, CAROL] },
    users: {
      [USER]: { name: 'Dana Lee', email: 'dana@contoso.com' },
      [CAROL_SLACK]: { name: 'Carol Diaz', email: 'carol@contoso.com' },
    },
  });
  ({ emu, authority, connector, api, bot, teamsUrl, slackUrl, settle } = stack);
});

afterAll(async () => {
  await stack?.close();
});

/** Teams: Dana pastes in a channel, opens the form and submits it; the request as the store has it. */
async function teamsRequest(ip: string, root: string, breakGlass: boolean): Promise<AccessRequest> {
  const bearer = `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;
  const thread = `${CHANNEL_CONVERSATION};messageid=${root}`;
  const seen = connector.captured.length;
  await postActivity(
    teamsUrl,
    teamsActivity({ serviceUrl: connector.serviceUrl, id: root, text: paste(ip), from: DANA }),
    bearer,
  );
  const [diagnosis] = (await connector.waitFor(seen + 1)).slice(seen);
  const click = async (verb: string, data: Record<string, unknown>) =>
    JSON.parse(
      (
        await postActivity(
          teamsUrl,
          cardActionActivity({ serviceUrl: connector.serviceUrl, conversationId: thread, verb, data, from: DANA }),
          bearer,
        )
      ).body,
    ) as { value: { body: unknown[]; actions?: unknown[] } };
  const ask = executeActions(cardOf(diagnosis!)).find((a) => a.verb === 'request_access')!;
  const form = (await click('request_access', ask.data!)).value;
  const submit = executeActions(form).find((a) => a.verb === 'submit_request')!;
  await click('submit_request', {
    ...submit.data,
    reason: 'Release 1.42 from the AKS egress',
    duration: '1h',
    ...(breakGlass ? { breakGlass: 'true' } : {}),
  });
  await settle();
  return newest(`${ip}/32`);
}

/** Slack: Dana pastes in the channel, opens the modal and submits it; the request and the ephemeral answer. */
async function slackRequest(ip: string, ts: string, breakGlass: boolean) {
  const sign = (body: string, type = FORM) => postSigned(slackUrl, body, type, { secret: SECRET });
  await sign(eventEnvelope(userPost({ text: paste(ip), ts }), `Ev${ts}`), 'application/json');
  await settle();
  const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts)!;
  const value = (answer.args.blocks as Array<{ elements?: Array<{ action_id: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === 'request_access')!.value!;
  const updates = api.callsTo('views.update').length;
  await sign(
    blockActionsBody({
      actionId: 'request_access',
      value,
      messageTs: answer.response.ts as string,
      threadTs: ts,
      responseUrl: api.responseUrl(`ra-${ts}`),
      triggerId: `trig-${ts}`,
    }),
  );
  const view = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view as Parameters<
    typeof viewSubmissionBody
  >[0]['view'];
  await settle();
  const ephemerals = api.callsTo('chat.postEphemeral').length;
  await sign(
    viewSubmissionBody({ view, values: { reason: 'Release 1.42 from the AKS egress', duration: '1h', breakGlass } }),
  );
  const told = (await api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
  await settle();
  return { request: await newest(`${ip}/32`), told };
}

describe('every posted copy of a request agrees, on Teams and on Slack', () => {
  it('a Teams request: Carol’s Teams DM and Slack DM carry the same words; Cancel leaves every copy Cancelled, no button', async () => {
    const r = await teamsRequest(SAMPLE.aksOutboundIp, '1715000000001', false);
    expect(r.status).toBe('pending');
    const teamsDm = () => teamsCopies(r.id).filter((c) => c.where.startsWith('teams a:dm'));
    const slackDm = () => slackCopies(r.id).filter((c) => c.where === `slack ${CAROL_SLACK}`);
    expect(teamsDm()).toHaveLength(1);
    expect(slackDm()).toHaveLength(1);
    // Pending, to an approver: the same title, status line, facts, warnings and buttons (Approve, Deny…, Narrow…).
    expect(slackDm()[0]!.words).toEqual(teamsDm()[0]!.words);
    expect(teamsDm()[0]!.words.facts.length).toBeGreaterThan(5);
    expect(teamsDm()[0]!.words.buttons).toEqual(['Approve', 'Deny…', 'Narrow…']);

    const bearer = `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;
    await postActivity(
      teamsUrl,
      cardActionActivity({
        serviceUrl: connector.serviceUrl,
        conversationId: `${CHANNEL_CONVERSATION};messageid=1715000000001`,
        verb: 'cancel',
        data: { requestId: r.id, version: r.version },
        from: DANA,
      }),
      bearer,
    );
    await settle();
    const cancelled = (await bot.store.getRequest(r.id))!;
    expect(cancelled.status).toBe('cancelled');
    const copies = [...teamsCopies(r.id), ...slackCopies(r.id)];
    // The thread card and Carol's DM in Teams, Carol's DM in Slack.
    expect(copies.length).toBeGreaterThanOrEqual(3);
    expectAll(copies, cancelled, /^Cancelled$/);
    for (const c of copies) expect(c.words.buttons, c.where).toEqual([]);
    expect(slackDm()[0]!.words).toEqual(teamsDm()[0]!.words);
  });

  it('a Slack request: the ephemeral answers are snapshots; Cancel leaves every posted copy Cancelled, no button', async () => {
    const ip = SAMPLE.buildVmIp;
    const ts = '1710000100.000100';
    const { request: r, told } = await slackRequest(ip, ts, false);
    expect(r.status).toBe('pending');
    // The submit's private answer shows the request, but Slack never lets the bot update it: a snapshot.
    expect(blocksOf(told)).toContain(r.id);
    expectSnapshot(told);
    const posted = slackCopies(r.id);
    expect(posted.map((c) => c.where).sort()).toEqual([`slack ${CHANNEL}`, `slack ${CAROL_SLACK}`]);
    const card = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === ts && blocksOf(c).includes(r.id))!;

    const ephemerals = api.callsTo('chat.postEphemeral').length;
    await postSigned(
      slackUrl,
      approvalClickBody({
        verb: 'cancel',
        requestId: r.id,
        version: r.version,
        user: USER,
        messageTs: card.response.ts as string,
        threadTs: ts,
        responseUrl: api.responseUrl(`cancel-${ts}`),
      }),
      FORM,
      { secret: SECRET },
    );
    const answer = (await api.waitFor('chat.postEphemeral', ephemerals + 1)).at(-1)!;
    await settle();
    const cancelled = (await bot.store.getRequest(r.id))!;
    expect(cancelled.status).toBe('cancelled');
    expectSnapshot(answer);
    const copies = [...slackCopies(r.id), ...teamsCopies(r.id)];
    expect(copies.length).toBeGreaterThanOrEqual(2);
    expectAll(copies, cancelled, /^Cancelled$/);
    for (const c of copies) expect(c.words.buttons, c.where).toEqual([]);
  });

  it('break-glass from Teams: the rule is applied with no click; every copy says Applied, the same words on both platforms', async () => {
    const ip = '20.61.14.38';
    const r = await teamsRequest(ip, '1715000000002', true);
    expect(ipRules()).toContain(`${ip}/32`);
    expect(r).toMatchObject({ status: 'applied', breakGlass: true, approvals: [{ as: 'break_glass' }] });
    const copies = [...teamsCopies(r.id), ...slackCopies(r.id)];
    expect(copies.length).toBeGreaterThanOrEqual(3);
    expectAll(copies, r, /^Applied/);
    const teamsDm = copies.find((c) => c.where.startsWith('teams a:dm'))!;
    const slackDm = copies.find((c) => c.where === `slack ${CAROL_SLACK}`)!;
    expect(slackDm.words).toEqual(teamsDm.words);
    expect(teamsDm.words.buttons).toEqual(['Revoke…']);
  });

  it('break-glass from Slack: the rule is applied with no click; every posted copy says Applied; the answer is a snapshot', async () => {
    const ip = SAMPLE.natGatewayIp;
    const { request: r, told } = await slackRequest(ip, '1710000200.000100', true);
    expect(ipRules()).toContain(`${ip}/32`);
    expect(r).toMatchObject({ status: 'applied', breakGlass: true });
    expectSnapshot(told);
    const copies = [...slackCopies(r.id), ...teamsCopies(r.id)];
    expect(copies.map((c) => c.where)).toEqual(expect.arrayContaining([`slack ${CHANNEL}`, `slack ${CAROL_SLACK}`]));
    expectAll(copies, r, /^Applied/);
  });
});
