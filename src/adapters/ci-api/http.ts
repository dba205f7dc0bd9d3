/**
 * What the access API's routes share: who is calling (both tokens verified, or 401 with nothing else done), the JSON
 * body (at most 16 KB: 413 above, 415 for another media type, 400 for JSON that is not an object), and answers.
 */
import type { IncomingMessage } from 'node:http';
import type restify from 'restify';
import type { CiOutcome } from '../../app/approvals/index.js';
import type { Workload } from '../../core/policy/ci.js';
import type { CiApiConfig } from '../../config-ci.js';
import type { Logger } from '../../log.js';
import { CI_TOKEN_HEADER, type CiTokenVerifier } from './ci-token.js';
import { verifyEntraToken } from './entra-token.js';
import type { OpenIdIssuer } from './openid.js';

export const BODY_LIMIT = 16 * 1024;
const MAX_TOKEN = 16 * 1024;

export interface AuthDeps {
  settings: CiApiConfig;
  entra: OpenIdIssuer;
  ciTokens: CiTokenVerifier;
  logger: Logger;
}

export const ROUTE = '/api/access-requests';
export const statusUrl = (id: string): string => `${ROUTE}/${encodeURIComponent(id)}`;

export function sendJson(res: restify.Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('cache-control', 'no-store');
  res.send(status, body);
}

function unauthorized(res: restify.Response, reason: string): null {
  sendJson(res, 401, { error: 'unauthorized', reason }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  return null;
}

/** The verified caller, or null once a 401 has been sent. Nothing is read or written before this passes. */
export async function authenticate(
  req: restify.Request,
  res: restify.Response,
  deps: AuthDeps,
): Promise<Workload | null> {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
  if (!m || m[1]!.length > MAX_TOKEN)
    return unauthorized(res, 'An Entra ID access token for a workload identity is required (Authorization: Bearer).');
  const entra = await verifyEntraToken(m[1]!, deps.settings, deps.entra);
  if (!entra.ok) {
    deps.logger.info({ reason: entra.reason }, 'access API: token refused');
    return unauthorized(res, `The access token was refused: ${entra.reason}.`);
  }
  let subject: Workload['subject'] = null;
  const ciHeader = req.headers[CI_TOKEN_HEADER];
  if (ciHeader !== undefined) {
    const ciToken = typeof ciHeader === 'string' ? ciHeader.trim() : '';
    if (ciToken === '' || ciToken.length > MAX_TOKEN) return unauthorized(res, 'The X-CI-Token header is malformed.');
    const ci = await deps.ciTokens.verify(ciToken);
    if (!ci.ok) {
      deps.logger.info({ reason: ci.reason, appId: entra.value.appId }, 'access API: CI token refused');
      return unauthorized(res, `The CI token was refused: ${ci.reason}.`);
    }
    subject = ci.value;
  }
  return { ...entra.value, subject };
}

/** `Content-Length` above the limit: refused before anything else (no token check, no read). */
export function tooLarge(req: restify.Request, res: restify.Response): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!(length > BODY_LIMIT)) return false;
  sendJson(res, 413, { error: 'payload_too_large', reason: `The body is over ${BODY_LIMIT} bytes.` });
  return true;
}

function readRaw(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        resolve('too_large');
        req.pause();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The body as a JSON object, or null once 400/413/415 has been sent. */
export async function readJsonObject(
  req: restify.Request,
  res: restify.Response,
): Promise<Record<string, unknown> | null> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    sendJson(res, 415, { error: 'unsupported_media_type', reason: 'Send the body as application/json.' });
    return null;
  }
  const raw = await readRaw(req);
  if (raw === 'too_large') {
    res.setHeader('connection', 'close');
    sendJson(res, 413, { error: 'payload_too_large', reason: `The body is over ${BODY_LIMIT} bytes.` });
    return null;
  }
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  sendJson(res, 400, { error: 'malformed_json', reason: 'The body must be one JSON object.' });
  return null;
}

const STATUS: Record<Exclude<CiOutcome, { ok: true }>['kind'], number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** A use case's answer as HTTP: the view (with its status URL), or the refusal with its reason. */
export function sendOutcome(res: restify.Response, out: CiOutcome, okStatus: number): void {
  if (!out.ok) {
    const retry: Record<string, string> =
      out.kind === 'unavailable' || out.code === 'being_applied' ? { 'Retry-After': '5' } : {};
    sendJson(res, STATUS[out.kind], { error: out.code, reason: out.reason }, retry);
    return;
  }
  if ('alreadyAllowed' in out) {
    const a = out.alreadyAllowed;
    sendJson(res, 200, {
      id: null,
      status: 'already_allowed',
      registry: { name: a.registry },
      ip: a.ip,
      rule: a.rule,
      message: `${a.ip} is already admitted on ${a.registry} by the rule ${a.rule}: nothing to request.`,
    });
    return;
  }
  sendJson(res, okStatus, { ...out.view, statusUrl: statusUrl(out.view.id) });
}
