/**
 * Policy `requireTicket` through the chat forms, on real parts: one bot from startBot serving Teams (CloudAdapter
 * with locally signed activities, the Bot Connector double) and Slack (signed requests, the local Slack API double),
 * the real approval engine, a SQLite store, the ARM emulator over HTTPS, and a policy whose acme* registries require
 * a ticket. On each platform: the request form asks for the ticket, required, in core's words; a submit without one
 * is refused in those same words and makes no request; a submit with CHG0012345 makes the request, and its card
 * shows the ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_FORM_WORDS } from '../../src/core/approvals/form-words.js';
import type { RunningBot } from '../../src/main.js';
import { testClock } from '../support/azure.js';
import {
  cardActionActivity,
  cardOf,
  executeActions,
  postActivity,
  type ConnectorDouble,
  type TokenAuthority,
} from '../support/bot-framework.js';
import { SAMPLE } from '../support/emulator.js';
import {
  CHANNEL,
  USER,
  blockActionsBody,
  postSigned,
  viewSubmissionBody,
  type SlackApiDouble,
} from '../support/slack-api.js';
import { startTwoPlatforms, type TwoPlatforms } from '../support/two-platforms.js';

const W = REQUEST_FORM_WORDS.ticket;
const SECRET = 'ticket-signing-secret-1a2b3c';
const FORM = 'application/x-www-form-urlencoded';
const CAROL_SLACK = 'U0CAROL1';
const IP = SAMPLE.aksOutboundIp;
const RULE = `${IP}/32`;
const DANA = { id: '29:dana-teams-id', name: 'Dana Lee', aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b' };
const CAROL = { id: '29:carol-teams-id', name: 'Carol Diaz', aadObjectId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab' };
const POLICY = `
version: 1
defaults:
  approvers:
    - teams:${CAROL.aadObjectId}
    - slack:${CAROL_SLACK}
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
registries:
  - match: "acme*"
    requireTicket: true
`;
const ASK = { registryId: SAMPLE.acmeprod, rule: RULE, ip: IP };

let stack: TwoPlatforms;
let settle: () => Promise<void>;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let api: SlackApiDouble;
let bot: RunningBot;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

type Json = any;
const requests = async (platform: 'teams' | 'slack') =>
  (await bot.store.listRequests({ registry: SAMPLE.acmeprod })).filter((r) => r.requester.platform === platform);

beforeAll(async () => {
  stack = await startTwoPlatforms({
    name: 'ticket',
    policy: POLICY,
    secret: SECRET,
    clock,
    users: {
      [USER]: { name: 'Dana Lee', email: 'dana@contoso.com' },
      [CAROL_SLACK]: { name: 'Carol Approver', email: 'carol@contoso.com' },
    },
  });
  ({ authority, connector, api, bot, settle } = stack);
});

afterAll(async () => {
  await stack?.close();
});

describe('Teams: a registry that requires a ticket', () => {
  const url = () => `http://127.0.0.1:${bot.port}/api/messages`;
  async function click(verb: string, data: Record<string, unknown>): Promise<Json> {
    const activity = cardActionActivity({ serviceUrl: connector.serviceUrl, verb, data, from: DANA });
    const bearer = `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;
    const r = await postActivity(url(), activity, bearer);
    expect(r.status).toBe(200);
    await settle();
    return JSON.parse(r.body || '{}');
  }
  let submitData: Record<string, unknown>;

  it('the form asks for the ticket, required, in the form words', async () => {
    const form = (await click('request_access', ASK)).value;
    const input = form.body.find((b: Json) => b.id === 'ticket');
    expect(input).toMatchObject({ type: 'Input.Text', label: W.label, placeholder: W.placeholder });
    expect(input).toMatchObject({ isRequired: true, errorMessage: W.missing });
    submitData = executeActions(form).find((a) => a.verb === 'submit_request')!.data!;
  });

  it('a submit without a ticket is refused in the same words and makes no request', async () => {
    const answer = JSON.stringify(await click('submit_request', { ...submitData, reason: 'release', ticket: ' ' }));
    expect(answer).toContain(W.missing);
    expect(await requests('teams')).toHaveLength(0);
  });

  it('a submit with CHG0012345 makes the request, and its card shows the ticket', async () => {
    const before = connector.captured.length;
    const answer = await click('submit_request', { ...submitData, reason: 'release', ticket: 'CHG0012345' });
    expect(await requests('teams')).toMatchObject([{ status: 'pending', rule: RULE, ticket: 'CHG0012345' }]);
    expect(JSON.stringify(answer)).toContain('CHG0012345');
    const posted = connector.captured.slice(before).filter((c) => c.method === 'POST');
    expect(posted.length).toBeGreaterThan(0);
    for (const p of posted) expect(JSON.stringify(cardOf(p).body)).toMatch(/"Ticket".*"CHG0012345"/);
  });
});

describe('Slack: a registry that requires a ticket', () => {
  const url = () => `http://127.0.0.1:${bot.port}/slack/events`;
  let view: Json;
  const submit = (values: Record<string, string>) =>
    postSigned(url(), viewSubmissionBody({ view, values: { reason: 'release', duration: '1h', ...values } }), FORM, {
      secret: SECRET,
    });

  it('the modal asks for the ticket, required, in the form words', async () => {
    const updates = api.callsTo('views.update').length;
    const res = await postSigned(
      url(),
      blockActionsBody({
        actionId: 'request_access',
        value: JSON.stringify(ASK),
        messageTs: '1710000200.000100',
        responseUrl: api.responseUrl('ticket'),
      }),
      FORM,
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    view = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view;
    await settle();
    const block = view.blocks.find((b: Json) => b.block_id === 'ticket');
    expect(block).toMatchObject({ type: 'input', optional: false, label: { text: W.label } });
    expect(block.element).toMatchObject({ type: 'plain_text_input', action_id: 'ticket' });
    expect(block.element.placeholder.text).toBe(W.placeholder);
  });

  it('a submit without a ticket, or with a broken one, is an error on the ticket input; no request', async () => {
    expect(JSON.parse((await submit({})).body)).toEqual({ response_action: 'errors', errors: { ticket: W.missing } });
    const bad = JSON.parse((await submit({ ticket: 'CHG1\u202E2' })).body);
    expect(bad).toEqual({ response_action: 'errors', errors: { ticket: W.invalid } });
    await settle();
    expect(await requests('slack')).toHaveLength(0);
  });

  it('a submit with CHG0012345 makes the request, and its card shows the ticket', async () => {
    const posts = api.callsTo('chat.postMessage').length;
    const res = await submit({ ticket: 'CHG0012345' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await api.waitFor('chat.postMessage', posts + 1);
    await settle();
    expect(await requests('slack')).toMatchObject([{ status: 'pending', rule: RULE, ticket: 'CHG0012345' }]);
    const card = api
      .callsTo('chat.postMessage')
      .slice(posts)
      .find((c) => c.args.channel === CHANNEL)!;
    expect(JSON.stringify(card.args.blocks)).toMatch(/Ticket.*CHG0012345/);
  });
});
