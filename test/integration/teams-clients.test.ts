/**
 * Outbound clients are built once, not per turn: botbuilder's CloudAdapter asks for a ConnectorClient and a
 * UserTokenClient on every activity; the bot keeps one per app id, service URL and audience. Counted through the
 * credentials factory (each client is built with credentials from it), over real HTTP with signed tokens from a
 * local authority and replies to local Bot Connector doubles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, ChatHandler } from '../../src/app/chat.js';
import { loadConfig } from '../../src/config.js';
import type { Reply } from '../../src/core/reply.js';
import { createLogger } from '../../src/log.js';
import { createHttpServer, type HttpServer } from '../../src/server.js';
import { registerTeams } from '../../src/adapters/teams/register.js';
import { REPLIES } from '../golden/teams/fixtures.js';
import {
  FixedTokenCredentialsFactory,
  OUTBOUND_TOKEN,
  postActivity,
  startConnectorDouble,
  startTokenAuthority,
  teamsActivity,
  type ConnectorDouble,
  type TokenAuthority,
} from '../support/bot-framework.js';

class CountingCredentialsFactory extends FixedTokenCredentialsFactory {
  created = 0;
  override async createCredentials(...args: Parameters<FixedTokenCredentialsFactory['createCredentials']>) {
    this.created += 1;
    return super.createCredentials(...args);
  }
}

const chat: ChatHandler = {
  async onMessage(): Promise<Reply | null> {
    return REPLIES['cause-ip_not_allowed']!;
  },
  async onAction(): Promise<ActionResult | null> {
    return null;
  },
};

let authority: TokenAuthority;
let first: ConnectorDouble;
let second: ConnectorDouble;
let http: HttpServer;
let url: string;
let credentials: CountingCredentialsFactory;

beforeAll(async () => {
  authority = await startTokenAuthority();
  first = await startConnectorDouble();
  second = await startConnectorDouble();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...authority.settings() });
  credentials = new CountingCredentialsFactory(config.botFramework.appId ?? '');
  const logger = createLogger('silent');
  http = createHttpServer({ logger, readiness: async () => ({}) });
  registerTeams(http.server, { config, chat, logger, credentialsFactory: credentials });
  url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}/api/messages`;
});
afterAll(async () => {
  await http?.close(2000);
  await first?.close();
  await second?.close();
  await authority?.close();
});

async function paste(connector: ConnectorDouble, n: number): Promise<void> {
  const token = await authority.token({ serviceUrl: connector.serviceUrl });
  const activity = teamsActivity({ serviceUrl: connector.serviceUrl, id: `clients-${n}`, text: 'x' });
  expect((await postActivity(url, activity, `Bearer ${token}`)).status).toBe(200);
}

describe('Teams outbound clients', () => {
  it('three turns from one service URL: one ConnectorClient and one UserTokenClient, every reply sent and signed', async () => {
    for (let i = 0; i < 3; i++) await paste(first, i);
    expect(first.captured).toHaveLength(3);
    expect(first.captured.every((c) => c.auth === `Bearer ${OUTBOUND_TOKEN}`)).toBe(true);
    // botbuilder alone builds two clients per turn (six credentials here).
    expect(credentials.created).toBe(2);
  });

  it('a turn from another service URL gets its own ConnectorClient, and its reply goes there', async () => {
    await paste(second, 10);
    expect(second.captured).toHaveLength(1);
    expect(first.captured).toHaveLength(3);
    expect(credentials.created).toBe(3);
  });
});
