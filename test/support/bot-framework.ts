/**
 * Real Bot Framework peers on loopback for Teams tests:
 * - a token authority: OpenID metadata + JWKS over HTTP, and JWTs signed with jose by its RSA key (or forged ones),
 *   which botbuilder's ConfigurationBotFrameworkAuthentication fetches and verifies exactly as it does Microsoft's;
 * - a Bot Connector double: the `serviceUrl` the bot replies to, capturing every POST/PUT activity it receives;
 * - outbound credentials that stamp a fixed bearer token (so no Entra ID login), which the double records.
 * Everything listens on 127.0.0.1 port 0.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
// server.js first, as in the composition root: it installs the filter for restify's load-time DEP0111 warning
// before register.js loads restify.
import { createHttpServer, type HttpServer } from '../../src/server.js';
import type { ChatHandler } from '../../src/app/chat.js';
import { registerTeams, type TeamsRegistration } from '../../src/adapters/teams/register.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import * as jose from 'jose';
import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';

type SigningKey = Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];

export const TEST_APP_ID = '5c0a1f3e-2b4d-4c6e-8f10-9a8b7c6d5e4f';
export const TEST_ISSUER = 'https://api.botframework.com';
export const OUTBOUND_TOKEN = 'test-outbound-token';
const KID = 'test-kid';

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export interface TokenOptions {
  /** Sign with another key (an attacker's) but the authority's kid. */
  key?: SigningKey;
  kid?: string;
  audience?: string;
  issuer?: string;
  serviceUrl?: string;
  /** Seconds from now. */
  expiresIn?: number;
  notBefore?: number;
}

export interface TokenAuthority {
  metadataUrl: string;
  /** Requests served (metadata + keys), to show verification really fetched them. */
  hits: () => number;
  token(options: TokenOptions & { serviceUrl: string }): Promise<string>;
  /** An `alg: none` token with otherwise valid claims. */
  unsignedToken(serviceUrl: string): string;
  /** A key the authority does not publish, for forged signatures. */
  attackerKey: SigningKey;
  /** The Bot Framework settings (botbuilder names) that point token validation at this authority. */
  settings(): Record<string, string>;
  close(): Promise<void>;
}

export async function startTokenAuthority(): Promise<TokenAuthority> {
  const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const { privateKey: attackerKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: KID, use: 'sig', alg: 'RS256', endorsements: ['msteams'] };
  let hits = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    hits += 1;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(
        JSON.stringify({
          issuer: TEST_ISSUER,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/keys') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  base = `http://127.0.0.1:${await listen(server)}`;
  const metadataUrl = `${base}/v1/.well-known/openidconfiguration`;
  const now = () => Math.floor(Date.now() / 1000);
  return {
    metadataUrl,
    hits: () => hits,
    attackerKey,
    token: (o) =>
      new jose.SignJWT({ serviceurl: o.serviceUrl })
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? KID, typ: 'JWT' })
        .setIssuer(o.issuer ?? TEST_ISSUER)
        .setAudience(o.audience ?? TEST_APP_ID)
        .setIssuedAt(now() - 60)
        .setNotBefore(now() + (o.notBefore ?? -60))
        .setExpirationTime(now() + (o.expiresIn ?? 3600))
        .sign(o.key ?? privateKey),
    unsignedToken: (serviceUrl) => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      return `${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${b64({ iss: TEST_ISSUER, aud: TEST_APP_ID, serviceurl: serviceUrl, nbf: now() - 60, exp: now() + 3600 })}.`;
    },
    settings: () => ({
      MicrosoftAppId: TEST_APP_ID,
      MicrosoftAppPassword: 'test-app-password-not-used',
      MicrosoftAppType: 'MultiTenant',
      ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
      ToBotFromChannelTokenIssuer: TEST_ISSUER,
      ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      CallerId: 'urn:botframework:azure',
      ValidateAuthority: 'true',
    }),
    close: () => close(server),
  };
}

export interface CapturedActivity {
  method: string;
  url: string;
  /** Authorization header as received (the fixed outbound test token). */
  auth: string | undefined;
  body: Record<string, unknown>;
}

/** A Teams user as the connector's roster knows them (TeamsChannelAccount). */
export interface RosterEntry {
  /** `29:…` */
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName?: string;
  email?: string;
}

/** POST /v3/conversations: a 1:1 (or group) chat the bot asked for. */
export interface CreatedConversation {
  id: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

export interface ConnectorDouble {
  /** `http://127.0.0.1:PORT/` — put it in activity.serviceUrl. */
  serviceUrl: string;
  /** Activities the bot sent: POST/PUT /v3/conversations/:id/activities[/:id]. */
  captured: CapturedActivity[];
  /** Conversations the bot created (POST /v3/conversations), in order. */
  conversations: CreatedConversation[];
  /** Member lookups (GET /v3/conversations/:id/members/:user), decoded: `{ conversationId, user, found }`. */
  memberLookups: Array<{ conversationId: string; user: string; found: boolean }>;
  /**
   * Who is a member where: conversation id (a team id, a chat id) → members. `*` applies to every conversation not
   * listed. A lookup matches the member's `29:` id, AAD object id, UPN or email (case-insensitive); else 404.
   */
  roster: Map<string, RosterEntry[]>;
  /** While set, member lookups wait for it before answering (a slow directory). */
  holdMembers: Promise<void> | null;
  /** Wait until at least `n` activities arrived (bounded: rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<CapturedActivity[]>;
  close(): Promise<void>;
}

function findMember(members: RosterEntry[], user: string): RosterEntry | undefined {
  const u = user.toLowerCase();
  return members.find((m) =>
    [m.id, m.aadObjectId, m.userPrincipalName, m.email].some((v) => typeof v === 'string' && v.toLowerCase() === u),
  );
}

/**
 * Bot Connector double: POST/PUT /v3/conversations/:id/activities[/:id] answered with `{ id }`; POST
 * /v3/conversations (create a chat; answered `{ id: 'a:dm-N' }`, or the same id again for the same single member,
 * as Teams returns the existing 1:1); GET /v3/conversations/:id/members/:user from the configurable roster.
 */
export async function startConnectorDouble(
  options: { roster?: Record<string, RosterEntry[]> } = {},
): Promise<ConnectorDouble> {
  const captured: CapturedActivity[] = [];
  const conversations: CreatedConversation[] = [];
  const memberLookups: ConnectorDouble['memberLookups'] = [];
  const roster = new Map<string, RosterEntry[]>(Object.entries(options.roster ?? {}));
  const dmIds = new Map<string, string>();
  const waiters: Array<() => void> = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const url = req.url ?? '';
    const path = url.split('?')[0]!;
    res.setHeader('content-type', 'application/json');
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (member && req.method === 'GET') {
      if (double.holdMembers) await double.holdMembers;
      const conversationId = decodeURIComponent(member[1]!);
      const user = decodeURIComponent(member[2]!);
      const found = findMember(roster.get(conversationId) ?? roster.get('*') ?? [], user);
      memberLookups.push({ conversationId, user, found: Boolean(found) });
      if (!found) {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            error: { code: 'MemberNotFoundInConversation', message: 'The user is not a member of this conversation.' },
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({ ...found, givenName: found.name.split(' ')[0], tenantId: 'tenant-1', userRole: 'user' }),
      );
      return;
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      res.statusCode = 400;
      res.end('{}');
      return;
    }
    if (path === '/v3/conversations' && req.method === 'POST') {
      const members = Array.isArray(parsed.members) ? (parsed.members as Array<{ id?: unknown }>) : [];
      const key = members.length === 1 && typeof members[0]!.id === 'string' ? members[0]!.id : null;
      const id = (key && dmIds.get(key)) ?? `a:dm-${conversations.length + 1}`;
      if (key) dmIds.set(key, id);
      conversations.push({ id, auth: req.headers.authorization, body: parsed });
      res.statusCode = 201;
      res.end(JSON.stringify({ id }));
      return;
    }
    if (
      !/^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(path) ||
      (req.method !== 'POST' && req.method !== 'PUT')
    ) {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    captured.push({ method: req.method, url: decodeURIComponent(url), auth: req.headers.authorization, body: parsed });
    for (const w of waiters.splice(0)) w();
    res.end(JSON.stringify({ id: req.method === 'PUT' ? url.split('/').pop() : `reply-${captured.length}` }));
  });
  const port = await listen(server);
  const double: ConnectorDouble = {
    serviceUrl: `http://127.0.0.1:${port}/`,
    captured,
    conversations,
    memberLookups,
    roster,
    holdMembers: null,
    waitFor: async (n, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (captured.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`connector double: expected ${n} activities, got ${captured.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return captured;
    },
    close: () => close(server),
  };
  return double;
}

/** Outbound (bot → connector) credentials with a fixed token: botbuilder's real client, no Entra ID login. */
export class FixedTokenCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(private readonly appId: string) {
    super();
  }
  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }
  override async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  override async createCredentials(): Promise<ServiceClientCredentials> {
    return {
      signRequest: async (request) => {
        request.headers.set('authorization', `Bearer ${OUTBOUND_TOKEN}`);
        return request;
      },
    };
  }
}

export interface ActivityOptions {
  serviceUrl: string;
  id?: string;
  type?: string;
  text?: string;
  html?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  /** Adds `<at>Bot</at>` to text and a mention entity for the bot. */
  mentionBot?: boolean;
  from?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export const BOT_ACCOUNT = { id: `28:${TEST_APP_ID}`, name: 'ACR Access' };
export const USER_ACCOUNT = {
  id: '29:1a2b3c-user',
  name: 'Megan Bowen',
  aadObjectId: '0a1b2c3d-0000-4000-8000-00000000000b',
};
export const CHANNEL_CONVERSATION = '19:7e1c1a3b0d8e4f2a@thread.tacv2';

/** A Teams activity as the channel sends it (shapes from the Teams docs and the Agents Playground). */
export function teamsActivity(o: ActivityOptions): Record<string, unknown> {
  const id = o.id ?? `1700000000${Math.floor(Math.random() * 1e6)}`;
  const type = o.conversationType ?? 'channel';
  const mention = `<at>${BOT_ACCOUNT.name}</at>`;
  const text = o.mentionBot ? `${mention} ${o.text ?? ''}` : (o.text ?? '');
  const conversation =
    type === 'channel'
      ? {
          id: `${CHANNEL_CONVERSATION};messageid=${id}`,
          conversationType: 'channel',
          isGroup: true,
          tenantId: 'tenant-1',
        }
      : type === 'groupChat'
        ? { id: '19:group-chat-1@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: 'tenant-1' }
        : { id: 'a:1personal-chat', conversationType: 'personal', tenantId: 'tenant-1' };
  return {
    type: o.type ?? 'message',
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: o.from ?? USER_ACCOUNT,
    recipient: BOT_ACCOUNT,
    conversation,
    text,
    textFormat: 'plain',
    ...(o.html !== undefined ? { attachments: [{ contentType: 'text/html', content: o.html }] } : {}),
    entities: o.mentionBot ? [{ type: 'mention', text: mention, mentioned: BOT_ACCOUNT }] : [],
    channelData:
      type === 'channel'
        ? {
            team: { id: '19:team-general@thread.tacv2' },
            channel: { id: CHANNEL_CONVERSATION },
            tenant: { id: 'tenant-1' },
          }
        : { tenant: { id: 'tenant-1' } },
    ...o.extra,
  };
}

/** An `adaptiveCard/action` invoke for a click on `replyToId`'s card. */
export function cardActionActivity(o: {
  serviceUrl: string;
  verb: string;
  data?: Record<string, unknown>;
  replyToId?: string;
  actionType?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  from?: Record<string, unknown>;
  /** `automatic` for a Universal Actions refresh. */
  trigger?: 'manual' | 'automatic';
  /** The conversation id of the card's message, for a card in an existing thread (default: a new thread per invoke). */
  conversationId?: string;
}): Record<string, unknown> {
  const activity = teamsActivity({
    serviceUrl: o.serviceUrl,
    type: 'invoke',
    conversationType: o.conversationType ?? 'channel',
    ...(o.from ? { from: o.from } : {}),
    extra: {
      name: 'adaptiveCard/action',
      replyToId: o.replyToId ?? 'card-message-1',
      text: undefined,
      value: {
        action: { type: o.actionType ?? 'Action.Execute', id: 'a1', verb: o.verb, data: o.data ?? {} },
        trigger: o.trigger ?? 'manual',
      },
    },
  });
  if (o.conversationId) (activity.conversation as Record<string, unknown>).id = o.conversationId;
  return activity;
}

export async function postActivity(
  url: string,
  activity: unknown,
  authorization?: string | null,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  return { status: res.status, body: await res.text() };
}

// ---------------------------------------------------------------------------------------------------------------
// A bot under test: the real server shell + registerTeams, configured through loadConfig like `npm start`.

export interface TeamsBotUnderTest {
  url: string;
  http: HttpServer;
  teams: TeamsRegistration;
  /** Every JSON log line the bot wrote. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTeamsBot(options: {
  env: Record<string, string>;
  chat: ChatHandler;
  anonymous?: boolean;
  invokeBudgetMs?: number;
}): Promise<TeamsBotUnderTest> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...options.env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const http = createHttpServer({ logger, readiness: async () => ({ config: { ok: true } }) });
  const teams = registerTeams(http.server, {
    config,
    chat: options.chat,
    logger,
    ...(config.botFramework.anonymous
      ? {}
      : { credentialsFactory: new FixedTokenCredentialsFactory(config.botFramework.appId ?? '') }),
    ...(options.invokeBudgetMs !== undefined ? { invokeBudgetMs: options.invokeBudgetMs } : {}),
  });
  const port = await http.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}/api/messages`, http, teams, logs, close: () => http.close(2000) };
}

/** An Action.Execute as a Teams card carries it. */
export interface CardAction {
  type: string;
  title: string;
  verb?: string;
  data?: Record<string, unknown>;
}

/** The Adaptive Card a captured activity carries (its first attachment). */
export function cardOf<C = { body: unknown[]; actions?: CardAction[] }>(a: CapturedActivity): C {
  return (a.body.attachments as Array<{ content: C }>)[0]!.content;
}

/** Every Action.Execute of a card, in its body (including ActionSets and show-cards) and its actions. */
export function executeActions(card: { body: unknown[]; actions?: unknown[] }): CardAction[] {
  const out: CardAction[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if ((n as CardAction).type === 'Action.Execute') out.push(n as CardAction);
      Object.values(n).forEach(walk);
    }
  };
  walk([card.body, card.actions ?? []]);
  return out;
}
