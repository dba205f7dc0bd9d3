/**
 * The Slack app with the real parts behind it: the use-case ChatHandler (src/app/chat-service), the Azure gateway
 * over the real SDK, and the ARM emulator (out of process, HTTPS) with the sample registries under the demo's names
 * (the parser treats contoso…/fabrikam… as placeholders). Signed requests over HTTP; Web API to the local double.
 */
import fs from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureGateway } from '../../src/adapters/azure/index.js';
import { CAUSE_TITLES } from '../../src/core/diagnose/words.js';
import { createChatService } from '../../src/app/chat-service.js';
import { SAMPLE_STATE_FILE, startEmulatorProcess, type Emulator } from '../../tools/demo.js';
import { SAMPLE, azureConfigFor } from '../support/emulator.js';
import {
  BOT_IDENTITY,
  CHANNEL,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  slashCommandBody,
  userPost,
  type SlackApiCall,
} from '../support/slack-api.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

const NAME = 'acmeprod';
const REGISTRY_ID = SAMPLE.acmeprod;
const IP = SAMPLE.aksOutboundIp;
const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

let emulator: Emulator;
let armRequests: () => Promise<number>;
let h: Harness;
let seq = 0;
const nextTs = () => `1710000${String(++seq).padStart(3, '0')}.000200`;
const send = (event: Record<string, unknown>, id: string, secret = SECRET) =>
  postSigned(h.url, eventEnvelope(event, id), 'application/json', { secret });
const blocks = (c: SlackApiCall) => JSON.stringify(c.args.blocks ?? []);

beforeAll(async () => {
  emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
  const ca = fs.readFileSync(emulator.caPath);
  armRequests = () =>
    new Promise((resolve, reject) => {
      https
        .get(`${emulator.url}/_emulator/requests`, { ca }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve((JSON.parse(body) as { requests: unknown[] }).requests.length));
        })
        .on('error', reject);
    });
  h = await startHarness(createChatService({ gateway: createAzureGateway({ azure: azureConfigFor(emulator) }) }));
});
afterAll(async () => {
  await h?.close();
  await emulator?.stop();
});

describe('Slack with the real chat handler, Azure gateway and ARM emulator', () => {
  it("a pasted denial in a channel: one threaded answer with the engine's cause, the IP and the actions (Details among them)", async () => {
    const ts = nextTs();
    expect((await send(userPost({ text: PASTE, ts }), `Ev${ts}`)).status).toBe(200);
    await h.api.waitFor('chat.postMessage');
    await h.settled();
    const posts = h.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.args.channel).toBe(CHANNEL);
    expect(String(post.args.text)).toContain(IP);
    expect(Object.values(CAUSE_TITLES).some((t) => String(post.args.text).includes(t))).toBe(true);
    // Compact: the owner is among the evidence behind Details (test/integration/slack-diagnosis-details.test.ts).
    expect(blocks(post)).toContain('"action_id":"details"');
    expect(blocks(post)).toContain(`"value":"{\\"registryId\\":\\"${REGISTRY_ID}\\"}"`);
    expect(blocks(post)).toContain('"action_id":"learn_more"');
  });

  it('chatter and a forged request read nothing from Azure and post nothing', async () => {
    const before = await armRequests();
    const posts = h.api.callsTo('chat.postMessage').length;
    const a = nextTs();
    const b = nextTs();
    await send(userPost({ text: 'is the build broken again?', ts: a }), `Ev${a}`);
    expect((await send(userPost({ text: PASTE, ts: b }), `Ev${b}`, 'forged-secret')).status).toBe(401);
    await h.settled();
    expect(await armRequests()).toBe(before);
    expect(h.api.callsTo('chat.postMessage').length).toBe(posts);
  });

  it('an Azure SQL firewall look-alike gets no answer', async () => {
    const posts = h.api.callsTo('chat.postMessage').length;
    const ts = nextTs();
    const sql =
      "Cannot open server 'payments-sql' requested by the login. Client with IP address '203.0.113.9' is not allowed to access the server. To enable access, use the Azure Management Portal or run sp_set_firewall_rule on the master database.";
    await send(userPost({ text: sql, ts }), `Ev${ts}`);
    await h.settled();
    expect(h.api.callsTo('chat.postMessage').length).toBe(posts);
  });

  it('a mention arriving as message and app_mention, and then retried, is answered once', async () => {
    const ts = nextTs();
    const text = `<@${BOT_IDENTITY.user_id}> ${PASTE}`;
    await Promise.all([
      send(userPost({ text, ts }), `EvM${ts}`),
      send(userPost({ type: 'app_mention', text, ts }), `EvA${ts}`),
    ]);
    await postSigned(h.url, eventEnvelope(userPost({ text, ts }), `EvM${ts}`), 'application/json', {
      secret: SECRET,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    await h.settled();
    expect(h.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts)).toHaveLength(1);
  });

  it('@acr <registry> <ip> answers in the thread from a fresh read', async () => {
    const ts = nextTs();
    await send(userPost({ type: 'app_mention', text: `<@${BOT_IDENTITY.user_id}> ${NAME} ${IP}`, ts }), `Ev${ts}`);
    await h.settled();
    const posts = h.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.args.text)).toContain(IP);
  });

  it('/acr <registry> answers privately with the firewall', async () => {
    const before = h.api.callsTo('response_url').length;
    await postSigned(
      h.url,
      slashCommandBody({ text: NAME, responseUrl: h.api.responseUrl('real-cmd') }),
      'application/x-www-form-urlencoded',
      { secret: SECRET },
    );
    const answer = (await h.api.waitFor('response_url', before + 1)).at(-1)!;
    expect(JSON.stringify(answer.args.blocks)).toContain(`Firewall of ${NAME}`);
  });

  it('Show rules reads the registry and answers the clicker privately in the thread', async () => {
    const before = h.api.callsTo('chat.postEphemeral').length;
    const arm = await armRequests();
    const res = await postSigned(
      h.url,
      blockActionsBody({
        actionId: 'show_rules',
        value: JSON.stringify({ registryId: REGISTRY_ID }),
        messageTs: '1800000000.000010',
        threadTs: '1710000001.000200',
        responseUrl: h.api.responseUrl('real-act'),
      }),
      'application/x-www-form-urlencoded',
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const posted = (await h.api.waitFor('chat.postEphemeral', before + 1)).at(-1)!;
    expect(posted.args).toMatchObject({ channel: CHANNEL, thread_ts: '1710000001.000200' });
    expect(JSON.stringify(posted.args.blocks)).toContain(`Firewall of ${NAME}`);
    expect(await armRequests()).toBeGreaterThan(arm);
  });
});
