/**
 * Every failure of an ARM call, mapped onto AzureError (app/azure-error.ts) so no SDK type leaks to the use cases.
 * Sources: core-rest-pipeline / @azure-rest RestError (`statusCode`, `code` = ARM error.code, `response.headers`),
 * ms-rest-js RestError (Resource Graph SDK; same fields), @azure/identity credential errors, AbortError (our
 * request timeout), and core-lro's terminal failure, a plain Error "The long-running operation has failed. <code>.
 * <message>" (docs/azure.md, "The SDK").
 */
import { AzureError, type AzureErrorKind } from '../../app/azure-error.js';
import { retryAfterMs } from './retry.js';

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { status?: number; headers?: { get(name: string): string | undefined | null } };
  details?: unknown;
  body?: unknown;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'REQUEST_SEND_ERROR',
  'REQUEST_ABORTED_ERROR',
]);
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);
const LRO_FAILED = /^The long-running operation has failed(?:\. ([^.]+)\. (.*))?/s;

export function kindForStatus(status: number): AzureErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'unavailable';
  return 'bad_request';
}

/** ARM's `error.message`, which the SDK error may carry in its message, `.details` or `.body`. */
function armMessage(e: ErrorLike): { code?: string; message?: string } {
  for (const src of [e.details, e.body]) {
    const err = (src as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (err && typeof err.message === 'string')
      return { ...(typeof err.code === 'string' ? { code: err.code } : {}), message: err.message };
  }
  return {};
}

/** What went wrong, for the message: `what` names the call, e.g. "reading registry contosoprod". */
export function toAzureError(err: unknown, what: string): unknown {
  if (err instanceof AzureError) return err;
  if (!err || typeof err !== 'object') return err;
  const e = err as ErrorLike;
  const name = e.name ?? '';

  if (CREDENTIAL_ERRORS.has(name)) {
    // Credential messages list the credentials tried; they never contain a token.
    return new AzureError(
      'unauthenticated',
      `No Azure credential could get a token while ${what}: ${firstLine(e.message)}`,
      { code: name },
    );
  }
  if (name === 'AbortError')
    return new AzureError('unavailable', `Azure Resource Manager did not answer in time while ${what}.`, {
      code: 'Timeout',
    });

  const status = e.statusCode ?? e.response?.status;
  if (name === 'RestError' || typeof status === 'number') {
    const headers = e.response?.headers;
    const get = (h: string): string | undefined | null => headers?.get(h);
    const correlationId = get('x-ms-correlation-request-id') ?? get('x-ms-request-id') ?? undefined;
    if (typeof status !== 'number' || status <= 0) {
      const code = e.code ?? 'REQUEST_SEND_ERROR';
      return new AzureError(
        'unavailable',
        `Could not reach Azure Resource Manager while ${what}: ${firstLine(e.message)}`,
        { code, ...(correlationId ? { correlationId } : {}) },
      );
    }
    const arm = armMessage(e);
    const code = arm.code ?? e.code;
    const kind = kindForStatus(status);
    const ra = kind === 'throttled' || status === 503 ? retryAfterMs(get) : null;
    const message = arm.message ?? e.message ?? `HTTP ${status}`;
    return new AzureError(kind, `${capitalise(what)} failed: ${message}`, {
      statusCode: status,
      ...(code ? { code } : {}),
      ...(ra !== null ? { retryAfterSeconds: Math.ceil(ra / 1000) } : {}),
      ...(correlationId ? { correlationId } : {}),
    });
  }

  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) {
    return new AzureError(
      'unavailable',
      `Could not reach Azure Resource Manager while ${what}: ${firstLine(e.message)}`,
      { code: e.code },
    );
  }
  const lro = LRO_FAILED.exec(e.message ?? '');
  if (lro) {
    return new AzureError(
      'operation_failed',
      `The change did not complete while ${what}: ${lro[2] ?? 'Azure reported the operation as failed.'}`,
      lro[1] ? { code: lro[1] } : {},
    );
  }
  if (e.message === 'Operation was canceled')
    return new AzureError('operation_failed', `The change was canceled in Azure while ${what}.`, { code: 'Canceled' });
  return err;
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n', 1)[0]!.slice(0, 500);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
