/**
 * Policy's notify.channels for Teams: the bot can post into a channel only with a conversation reference, which it
 * remembers the first time it hears anything there (with RSC it reads every channel message). A later request for a
 * registry of that policy posts its card into that channel as a new thread at the channel's root.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { gatewayFor, testClock } from '../support/azure.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import {
  FixedTokenCredentialsFactory,
  TEST_APP_ID,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TokenAuthority,
} from '../support/bot-framework.js';

const IP = SAMPLE.aksOutboundIp;
const PASTE = `Error response from daemon: Head "https://acmeprod.azurecr.io/v2/api/manifests/1.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const TEAM = '19:team-general@thread.tacv2';
const APPROVERS_CHANNEL = '19:approvers-room@thread.tacv2';
const DANA = { id: '29:dana', name: 'Dana Lee', aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b' };
const CAROL_AAD = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';
const POLICY = `
version: 1
defaults:
  approvers:
    - teams:${CAROL_AAD}
  requireReason: true
  notify:
    channels:
      - teams: "${APPROVERS_CHANNEL}"
    directMessages: false
`;

let dir: string;
let emu: ArmEmulator;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: RunningBot;
let url: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-teams-notify-'));
  fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  emu = await startEmulator();
  authority = await startTokenAuthority();
  connector = await startConnectorDouble({ roster: { [TEAM]: [{ ...DANA, userPrincipalName: 'dana@acme.example' }] } });
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: path.join(dir, 'policy.yaml'),
      ...authority.settings(),
    },
    createLogger('info', { write: (l: string) => void logs.push(l) }),
    {
      gateway: gatewayFor(emu),
      clock: testClock(),
      approvals: { debounceMs: 20 },
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

/** The Action.Execute with `verb` anywhere in a card. */
function actionData(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | null = null;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    const o = n as { type?: string; verb?: string; data?: Record<string, unknown> };
    if (o.type === 'Action.Execute' && o.verb === verb) found = o.data ?? {};
    else Object.values(n).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`no ${verb} action on the card`);
  return found;
}

const bearer = async () => `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`;

it('remembers the approvers channel from chatter there, then posts new requests at its root', async () => {
  // Chatter in the approvers' channel: no answer, but the channel is remembered.
  const chatter = teamsActivity({
    serviceUrl: connector.serviceUrl,
    text: 'morning all',
    extra: {
      conversation: {
        id: `${APPROVERS_CHANNEL};messageid=1716000000000`,
        conversationType: 'channel',
        isGroup: true,
        tenantId: 'tenant-1',
      },
      channelData: { team: { id: TEAM }, channel: { id: APPROVERS_CHANNEL }, tenant: { id: 'tenant-1' } },
    },
  });
  expect((await postActivity(url, chatter, await bearer())).status).toBe(200);
  await bot.approvals.idle(10_000);
  expect(connector.captured).toHaveLength(0);

  // A request in the team's other channel.
  await postActivity(
    url,
    teamsActivity({ serviceUrl: connector.serviceUrl, id: '1716000000100', text: PASTE, from: DANA }),
    await bearer(),
  );
  const [diagnosis] = await connector.waitFor(1);
  const card = (diagnosis!.body.attachments as Array<{ content: unknown }>)[0]!.content;
  const send = async (verb: string, data: Record<string, unknown>) =>
    JSON.parse(
      (
        await postActivity(
          url,
          cardActionActivity({
            serviceUrl: connector.serviceUrl,
            verb,
            data,
            from: DANA,
            replyToId: 'reply-1',
            conversationId: diagnosis!.url.split('/')[3]!,
          }),
          await bearer(),
        )
      ).body,
    ) as {
      value: unknown;
    };
  const form = (await send('request_access', actionData(card, 'request_access'))).value;
  await send('submit_request', { ...actionData(form, 'submit_request'), reason: 'release 1.0', duration: '4h' });
  await bot.approvals.idle(10_000);

  // The card went to the approvers' channel as a new thread: the channel id alone, no `;messageid=`.
  const inChannel = connector.captured.filter(
    (c) => c.method === 'POST' && c.url === `/v3/conversations/${APPROVERS_CHANNEL}/activities`,
  );
  expect(inChannel).toHaveLength(1);
  expect(JSON.stringify(inChannel[0]!.body)).toContain(`${IP}/32`);
  const [request] = await bot.store.listRequests({ registry: SAMPLE.acmeprod });
  expect((await bot.store.listCards(request!.id)).map((c) => c.purpose).sort()).toEqual([
    'approvers_channel',
    'thread',
  ]);

  // Lines logged deep in the turn (the use case) carry the turn's ids.
  const requested = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'access requested');
  expect(requested).toMatchObject({
    platform: 'teams',
    activityType: 'invoke',
    route: '/api/messages',
    reqId: expect.any(String),
    activityId: expect.any(String),
  });
});
