/**
 * A local Microsoft Entra ID tenant and CI platform for the access API's tests, on loopback:
 * - the tenant's OpenID metadata and signing keys, served over HTTPS (what MSAL, inside `DefaultAzureCredential`, insists
 *   on when the CLI runs with AZURE_AUTHORITY_HOST pointed here) and over HTTP (what the bot reads through
 *   CI_AUTH_OPENID_METADATA in-process);
 * - its token endpoint: the client-credentials grant with a federated client assertion, as workload identity federation
 *   uses it. The assertion must be a CI token from the local CI issuer with audience api://AzureADTokenExchange and a
 *   subject registered for the app (a federated credential); the answer is an access token for the scope's resource
 *   carrying tid, oid, azp/appid, signed by the tenant key;
 * - a CI platform's OIDC issuer (GitHub Actions' shape): metadata, keys, and the job token endpoint that
 *   ACTIONS_ID_TOKEN_REQUEST_URL names (`?audience=…`, Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN);
 * - minting helpers for forged, expired, wrong-audience and wrong-tenant tokens.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import { makeTls } from '../../tools/arm-emulator/tls.js';

type Key = Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];

export const TENANT = '8d3f1c2a-5b6e-4f70-9a81-b2c3d4e5f607';
export const OTHER_TENANT = '1e2d3c4b-5a69-4788-8796-a5b4c3d2e1f0';
export const API_AUDIENCE = 'api://acr-access-bot';
export const EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export interface App {
  appId: string;
  objectId: string;
  /** Federated credentials: the CI subjects that may sign in as this app. */
  subjects: string[];
}

export interface AccessTokenOptions {
  app: Pick<App, 'appId' | 'objectId'>;
  audience?: string;
  tenant?: string;
  /** Seconds from now (negative: already expired). */
  expiresIn?: number;
  key?: Key;
  version?: '1.0' | '2.0';
  extra?: Record<string, unknown>;
}

export interface LocalTenant {
  /** https://127.0.0.1:PORT: AZURE_AUTHORITY_HOST for the CLI. */
  authorityHost: string;
  /** The tenant's metadata over plain http: CI_AUTH_OPENID_METADATA for the in-process bot. */
  metadataUrl: string;
  /** The CI platform's issuer (`iss` of its job tokens), as the policy's `issuer:` names it. */
  ciIssuer: string;
  /** PEM of the HTTPS listener's certificate (NODE_EXTRA_CA_CERTS for the CLI). */
  caPem: string;
  accessToken(o: AccessTokenOptions): Promise<string>;
  /** A CI platform job token (what AZURE_FEDERATED_TOKEN_FILE holds, or X-CI-Token with the bot's audience). */
  ciToken(o: { subject: string; audience?: string; expiresIn?: number; key?: Key }): Promise<string>;
  /** A key neither issuer publishes. */
  attackerKey: Key;
  /** The subject the job-token endpoint hands out (GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_URL). */
  jobSubject: string;
  /** `{ ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN }` for a job with `jobSubject`. */
  actionsEnv(): Record<string, string>;
  /** Token requests the tenant answered / refused. */
  issued: () => number;
  refused: () => string[];
  close(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);
const KID = 'tenant-key-1';
const CI_KID = 'ci-key-1';
const JOB_REQUEST_TOKEN = 'job-request-token-7c1e';

async function readBody(req: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const c of req) body += String(c);
  return body;
}

export async function startLocalTenant(apps: App[]): Promise<LocalTenant> {
  const tenantKeys = await jose.generateKeyPair('RS256', { extractable: true });
  const ciKeys = await jose.generateKeyPair('RS256', { extractable: true });
  const { privateKey: attackerKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const tenantJwk = { ...(await jose.exportJWK(tenantKeys.publicKey)), kid: KID, use: 'sig', alg: 'RS256' };
  const ciJwk = { ...(await jose.exportJWK(ciKeys.publicKey)), kid: CI_KID, use: 'sig', alg: 'RS256' };
  const tls = await makeTls('Local Entra ID tenant (127.0.0.1)');
  let httpsBase = '';
  let httpBase = '';
  let issued = 0;
  const refused: string[] = [];
  const state = { jobSubject: 'repo:contoso/payments:ref:refs/heads/main' };

  const issuerFor = (tenant: string) => `${httpsBase}/${tenant}/v2.0`;
  const ciIssuer = () => `${httpBase}/ci`;

  const accessToken = (o: AccessTokenOptions): Promise<string> => {
    const tenant = o.tenant ?? TENANT;
    const v1 = o.version === '1.0';
    return new jose.SignJWT({
      tid: tenant,
      oid: o.app.objectId,
      ...(v1 ? { appid: o.app.appId } : { azp: o.app.appId }),
      idtyp: 'app',
      ver: o.version ?? '2.0',
      ...o.extra,
    })
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(issuerFor(tenant))
      .setSubject(o.app.objectId)
      .setAudience(o.audience ?? API_AUDIENCE)
      .setIssuedAt(now() - 30)
      .setNotBefore(now() - 30)
      .setExpirationTime(now() + (o.expiresIn ?? 3600))
      .sign(o.key ?? tenantKeys.privateKey);
  };
  const ciToken = (o: { subject: string; audience?: string; expiresIn?: number; key?: Key }): Promise<string> =>
    new jose.SignJWT({ repository: 'contoso/payments', ref: 'refs/heads/main' })
      .setProtectedHeader({ alg: 'RS256', kid: CI_KID, typ: 'JWT' })
      .setIssuer(ciIssuer())
      .setSubject(o.subject)
      .setAudience(o.audience ?? EXCHANGE_AUDIENCE)
      .setIssuedAt(now() - 5)
      .setExpirationTime(now() + (o.expiresIn ?? 600))
      .sign(o.key ?? ciKeys.privateKey);

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function token(req: http.IncomingMessage, res: http.ServerResponse, tenant: string): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const deny = (why: string) => {
      refused.push(why);
      json(res, 400, { error: 'invalid_client', error_description: why });
    };
    const app = apps.find((a) => a.appId === form.get('client_id'));
    if (tenant !== TENANT || !app) return deny('unknown client or tenant');
    if (form.get('grant_type') !== 'client_credentials') return deny('unsupported grant');
    const assertion = form.get('client_assertion') ?? '';
    try {
      const { payload } = await jose.jwtVerify(assertion, ciKeys.publicKey, {
        issuer: ciIssuer(),
        audience: EXCHANGE_AUDIENCE,
      });
      if (!app.subjects.includes(String(payload.sub))) return deny(`no federated credential for ${payload.sub}`);
    } catch (err) {
      return deny(`assertion refused: ${(err as Error).message}`);
    }
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
    if (!scope) return deny('scope must be <resource>/.default');
    issued += 1;
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: await accessToken({ app, audience: scope.slice(0, -'/.default'.length) }),
    });
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    const m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(p);
    if (m) {
      const t = m[1]!;
      json(res, 200, {
        issuer: issuerFor(t),
        authorization_endpoint: `${httpsBase}/${t}/oauth2/v2.0/authorize`,
        token_endpoint: `${httpsBase}/${t}/oauth2/v2.0/token`,
        end_session_endpoint: `${httpsBase}/${t}/oauth2/v2.0/logout`,
        jwks_uri: `${httpBase}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
      return;
    }
    const tm = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(p);
    if (tm && req.method === 'POST') {
      token(req, res, tm[1]!).catch((err: unknown) => json(res, 500, { error: String(err) }));
      return;
    }
    if (p === '/discovery/v2.0/keys') json(res, 200, { keys: [tenantJwk] });
    else if (p === '/ci/.well-known/openid-configuration')
      json(res, 200, { issuer: ciIssuer(), jwks_uri: `${httpBase}/ci/keys` });
    else if (p === '/ci/keys') json(res, 200, { keys: [ciJwk] });
    else if (p === '/ci/job-token' && req.headers.authorization !== `Bearer ${JOB_REQUEST_TOKEN}`)
      json(res, 401, { message: 'Bad token' });
    else if (p === '/ci/job-token')
      void ciToken({
        subject: state.jobSubject,
        audience: url.searchParams.get('audience') ?? 'https://github.com/contoso',
      }).then((value) => json(res, 200, { value }));
    else json(res, 404, { error: 'not_found' });
  };

  const secure = https.createServer({ key: tls.key, cert: tls.cert }, handler);
  const plain = http.createServer(handler);
  const listen = (s: http.Server) =>
    new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
  httpsBase = `https://127.0.0.1:${await listen(secure)}`;
  httpBase = `http://127.0.0.1:${await listen(plain)}`;
  const caPem = fs.readFileSync(tls.caPath, 'utf8');
  tls.dispose();

  return {
    authorityHost: httpsBase,
    metadataUrl: `${httpBase}/${TENANT}/v2.0/.well-known/openid-configuration`,
    ciIssuer: ciIssuer(),
    caPem,
    accessToken,
    ciToken,
    attackerKey,
    get jobSubject() {
      return state.jobSubject;
    },
    set jobSubject(v: string) {
      state.jobSubject = v;
    },
    actionsEnv: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: `${httpBase}/ci/job-token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: JOB_REQUEST_TOKEN,
    }),
    issued: () => issued,
    refused: () => [...refused],
    close: async () => {
      for (const s of [secure, plain]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}

/** A file holding both PEMs (NODE_EXTRA_CA_CERTS takes one file). */
export function caBundle(dir: string, pems: string[]): string {
  const file = path.join(dir, 'ca-bundle.pem');
  fs.writeFileSync(file, pems.join('\n'));
  return file;
}
export const tmpDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
