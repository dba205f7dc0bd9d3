/**
 * The Teams adapter with the real parts behind it: the use-case ChatHandler (src/app/chat-service), the Azure
 * gateway over the real SDK, and the ARM emulator over HTTPS with the sample registries. A paste in a channel gets
 * one threaded card with the engine's cause; chatter gets nothing and reads nothing from Azure; a forged request
 * gets 401 and reads nothing from Azure; Show rules reads the registry and updates the card for everyone.
 */
import fs from 'node:fs';
import https from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAzureGateway } from '../../src/adapters/azure/index.js';
import { createChatService } from '../../src/app/chat-service.js';
import { SAMPLE_STATE_FILE, startEmulatorProcess, type Emulator } from '../../tools/demo.js';
import { SAMPLE, azureConfigFor } from '../support/emulator.js';

// The sample registries under the demo's names (the parser treats contoso…/fabrikam… as placeholders).
const REGISTRY = SAMPLE.acmeprod;
const NAME = 'acmeprod';
import {
  CHANNEL_CONVERSATION,
  cardActionActivity,
  postActivity,
  startConnectorDouble,
  startTeamsBot,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TeamsBotUnderTest,
  type TokenAuthority,
} from '../support/bot-framework.js';
import { BOTBUILDER_REFUSED_TOKEN, holdTestOutput } from '../support/quiet.js';

// The forged request makes botbuilder print why it refused the token; shown only if a test fails.
holdTestOutput({ console: BOTBUILDER_REFUSED_TOKEN });

// Out of process, as in production: restify (the bot's server) patches http.ServerResponse.prototype.writeHead
// process-wide so that it returns undefined, which breaks `res.writeHead(...).end()` in an in-process emulator.
let emulator: Emulator;
let armRequests: () => Promise<number>;
let authority: TokenAuthority;
let connector: ConnectorDouble;
let bot: TeamsBotUnderTest;

const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${SAMPLE.aksOutboundIp}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

beforeAll(async () => {
  emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
  const ca = fs.readFileSync(emulator.caPath);
  // The emulator's request log through its control API (GET /_emulator/requests).
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
  authority = await startTokenAuthority();
  connector = await startConnectorDouble();
  const gateway = createAzureGateway({ azure: azureConfigFor(emulator) });
  bot = await startTeamsBot({ env: authority.settings(), chat: createChatService({ gateway }) });
});
afterAll(async () => {
  await bot?.close();
  await connector?.close();
  await authority?.close();
  await emulator?.stop();
});
beforeEach(() => {
  connector.captured.length = 0;
});

const send = async (activity: Record<string, unknown>) =>
  postActivity(bot.url, activity, `Bearer ${await authority.token({ serviceUrl: connector.serviceUrl })}`);
type Card = { body: unknown[] };
const cardOf = (body: Record<string, unknown>) => (body.attachments as Array<{ content: Card }>)[0]!.content;

describe('Teams with the real chat handler, Azure gateway and ARM emulator', () => {
  it('a pasted denial in a channel: one threaded card with the cause, the IP, its owner and the actions', async () => {
    const r = await send(teamsActivity({ serviceUrl: connector.serviceUrl, id: '1713000000001', text: PASTE }));
    expect(r.status).toBe(200);
    const [reply] = await connector.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connector.captured).toHaveLength(1);
    expect(reply!.url).toBe(
      `/v3/conversations/${CHANNEL_CONVERSATION};messageid=1713000000001/activities/1713000000001`,
    );
    const json = JSON.stringify(cardOf(reply!.body));
    expect(json).toContain('Registry firewall: this IP is not allowed');
    expect(json).toContain(SAMPLE.aksOutboundIp);
    expect(json).toContain('"title":"IP owner","value":"outbound IP of AKS cluster aks-prod');
    if (process.env.SHOW_CARD) process.stdout.write(`${JSON.stringify(cardOf(reply!.body), null, 1)}\n`);
    expect(json).toContain(NAME);
    expect(json).toContain('"title":"Show rules","targetElements":["d0-rules"]');
    expect(json).toContain('"verb":"request_access"');
  });

  it('Show rules never replaces the diagnosis: the rules are a hidden part of the same card, shown by the client', async () => {
    await send(teamsActivity({ serviceUrl: connector.serviceUrl, id: '1713000000002', text: PASTE }));
    const [reply] = await connector.waitFor(1);
    const card = cardOf(reply!.body) as { body: Array<{ items: Array<Record<string, any>> }> };
    const items = card.body[0]!.items;
    const row = items.find((i) => i.type === 'ActionSet')!;
    const show = row.actions.find((a: { title: string }) => a.title === 'Show rules');
    // A client-side toggle: no invoke reaches the bot, so no answer can take the card's place, for anyone.
    expect(show).toEqual({ type: 'Action.ToggleVisibility', title: 'Show rules', targetElements: ['d0-rules'] });
    const rules = items.find((i) => i.id === 'd0-rules')!;
    expect(rules.isVisible).toBe(false);
    const shown = JSON.stringify(rules);
    expect(shown).toContain(`Firewall of ${NAME}`);
    expect(shown).toContain('20.61.14.36');
    expect(shown).toContain('"title":"Hide rules","targetElements":["d0-rules"]');
    // Request access, the fixes (behind Details) and Learn more stay on the same card beside the rules.
    expect(row.actions.map((a: { title: string }) => a.title)).toEqual([
      'Request access',
      'Show rules',
      'Learn more',
      'Details',
    ]);
    expect(JSON.stringify(items.find((i) => i.id === 'd0-details'))).toContain('Fixes, smallest first');
    expect(JSON.stringify(card)).not.toContain('"verb":"show_rules"');
  });

  it('chatter: no reply and no Azure call', async () => {
    const before = await armRequests();
    expect(
      (await send(teamsActivity({ serviceUrl: connector.serviceUrl, text: 'is the registry slow today or is it me?' })))
        .status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connector.captured).toHaveLength(0);
    expect(await armRequests()).toBe(before);
  });

  it('a forged request with a paste: 401, no reply, no Azure call', async () => {
    const before = await armRequests();
    const forged = await authority.token({ serviceUrl: connector.serviceUrl, key: authority.attackerKey });
    const r = await postActivity(
      bot.url,
      teamsActivity({ serviceUrl: connector.serviceUrl, text: PASTE.replace(NAME, 'acmefull') }),
      `Bearer ${forged}`,
    );
    expect(r.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connector.captured).toHaveLength(0);
    expect(await armRequests()).toBe(before);
  });

  it('Show rules from a card posted before it became a toggle: the firewall card, to the person who clicked only', async () => {
    const r = await send(
      cardActionActivity({
        serviceUrl: connector.serviceUrl,
        verb: 'show_rules',
        data: { registryId: REGISTRY },
        replyToId: 'card-1',
      }),
    );
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { type: string; value: Card };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const json = JSON.stringify(body.value);
    expect(json).toContain(`Firewall of ${NAME}`);
    expect(json).toContain('20.61.14.36');
    // The diagnosis card stays as everyone else sees it: no updateActivity (PUT) and no new post.
    expect(connector.captured.filter((c) => c.method === 'PUT' || c.method === 'POST')).toEqual([]);
  });

  it('@mention commands: `<registry> <ip>` checks one address', async () => {
    await send(
      teamsActivity({ serviceUrl: connector.serviceUrl, mentionBot: true, text: `${NAME} ${SAMPLE.aksOutboundIp}` }),
    );
    const [reply] = await connector.waitFor(1);
    expect(JSON.stringify(cardOf(reply!.body))).toContain(SAMPLE.aksOutboundIp);
  });
});
