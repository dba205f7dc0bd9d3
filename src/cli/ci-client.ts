/**
 * The CI side of the access API, shared by `acr-access request` and `release`: where the bot is, the tokens a job
 * sends (an Entra ID token from DefaultAzureCredential for the bot's app id URI, and on GitHub Actions the job's own
 * OIDC token for the same audience, which carries the subject), and the calls.
 *
 * Settings (flag, else variable): --url / ACR_ACCESS_URL (the bot), --audience / ACR_ACCESS_AUDIENCE (its app id URI).
 * DefaultAzureCredential reads its usual variables (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE,
 * AZURE_AUTHORITY_HOST…); instance discovery is skipped only for an authority on loopback (a test's local tenant).
 */
import fs from 'node:fs';
import { parseDuration } from '../core/policy/duration.js';
import { EXIT, UsageError, type CliIO } from './io.js';

export interface ApiTarget {
  url: string;
  audience: string;
}

export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 30_000;

export function apiTarget(flags: { url?: string | undefined; audience?: string | undefined }, io: CliIO): ApiTarget {
  const url = (flags.url ?? io.env.ACR_ACCESS_URL ?? '').trim().replace(/\/+$/, '');
  const audience = (flags.audience ?? io.env.ACR_ACCESS_AUDIENCE ?? '').trim();
  if (!/^https?:\/\/\S+$/.test(url)) throw new UsageError('give the bot URL with --url or ACR_ACCESS_URL (https://…)');
  if (audience === '')
    throw new UsageError(
      "give the bot's app id URI with --audience or ACR_ACCESS_AUDIENCE (e.g. api://acr-access-bot)",
    );
  return { url, audience };
}

function onLoopback(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(host).hostname);
  } catch {
    return false;
  }
}

/** The Entra ID access token for the bot's API, as the job's workload identity. */
async function entraToken(audience: string, io: CliIO): Promise<string> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  const credential = new DefaultAzureCredential({
    ...(io.env.AZURE_AUTHORITY_HOST ? { authorityHost: io.env.AZURE_AUTHORITY_HOST } : {}),
    ...(onLoopback(io.env.AZURE_AUTHORITY_HOST) ? { disableInstanceDiscovery: true } : {}),
  });
  try {
    const t = await credential.getToken(`${audience.replace(/\/+$/, '')}/.default`);
    if (!t?.token) throw new Error('no token');
    return t.token;
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
    throw new CliExit(EXIT.refused, `could not get a token for ${audience} with the workload identity: ${first}`);
  }
}

/**
 * The CI platform's own token, with the bot's audience: GitHub Actions hands one to a job with `id-token: write`
 * (ACTIONS_ID_TOKEN_REQUEST_URL); elsewhere ACR_ACCESS_CI_TOKEN_FILE may name one. None: the request has no subject.
 */
async function ciToken(audience: string, io: CliIO): Promise<string | null> {
  const file = io.env.ACR_ACCESS_CI_TOKEN_FILE;
  if (file) return fs.readFileSync(file, 'utf8').trim();
  const url = io.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) return null;
  const u = new URL(url);
  u.searchParams.set('audience', audience);
  const res = await fetch(u, {
    headers: { authorization: `Bearer ${bearer}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => ({}))) as { value?: unknown };
  if (!res.ok || typeof body.value !== 'string')
    throw new CliExit(
      EXIT.refused,
      `GitHub Actions gave no OIDC token (${res.status}): does the job have id-token: write?`,
    );
  return body.value;
}

/** A wait or a timeout: `30s`, `10m`, `1h`, or what the policy's durations accept (`1h30m`); null otherwise. */
export function cliDuration(text: string): number | null {
  const m = /^(\d{1,6})s$/.exec(text.trim());
  return m ? Number(m[1]) * 1000 : parseDuration(text);
}

/** fetch's "fetch failed" with its cause (ECONNREFUSED, a certificate error…), which is what a person can act on. */
export function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause ? `: ${e.cause.code ?? ''} ${e.cause.message ?? ''}`.trimEnd() : '';
  return `${e.message}${cause}`;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class AccessApi {
  private headers: Promise<Record<string, string>> | null = null;

  constructor(
    private readonly target: ApiTarget,
    private readonly io: CliIO,
  ) {}

  private auth(): Promise<Record<string, string>> {
    this.headers ??= (async () => {
      const [token, ci] = await Promise.all([
        entraToken(this.target.audience, this.io),
        ciToken(this.target.audience, this.io),
      ]);
      return { authorization: `Bearer ${token}`, ...(ci ? { 'x-ci-token': ci } : {}) };
    })();
    return this.headers;
  }

  async call(method: 'POST' | 'GET' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer> {
    const headers = { ...(await this.auth()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    let res: Response;
    try {
      res = await fetch(`${this.target.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new CliExit(EXIT.azure, `the bot at ${this.target.url} did not answer: ${describeFetchError(err)}`);
    }
    const text = await res.text();
    let parsed: unknown = {};
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = { reason: text.slice(0, 200) };
    }
    return { status: res.status, body: (parsed ?? {}) as Record<string, unknown> };
  }
}

/** A refusal or failure from the bot as the CLI's exit. */
export function failFrom(a: ApiAnswer, what: string): CliExit {
  const reason = typeof a.body.reason === 'string' ? a.body.reason : `HTTP ${a.status}`;
  if (a.status === 401 || a.status === 403 || a.status === 400 || a.status === 404 || a.status === 409)
    return new CliExit(EXIT.refused, `${what} refused (${a.status}): ${reason}`);
  return new CliExit(EXIT.azure, `${what} failed (${a.status}): ${reason}`);
}
