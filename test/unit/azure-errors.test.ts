import { createHttpHeaders, RestError } from '@azure/core-rest-pipeline';
import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { AzureError } from '../../src/app/azure-error.js';
import { toAzureError } from '../../src/adapters/azure/errors.js';

function restError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  const e = new RestError(message, {
    statusCode: status,
    code,
    response: { status, headers: createHttpHeaders(headers), request: undefined as never },
  });
  return e;
}

describe('toAzureError', () => {
  it('maps ARM statuses to kinds, keeping the ARM code, message, Retry-After and correlation id', () => {
    const cases: [number, string, string][] = [
      [400, 'QuotaExceeded', 'bad_request'],
      [401, 'InvalidAuthenticationToken', 'unauthenticated'],
      [403, 'AuthorizationFailed', 'forbidden'],
      [404, 'ResourceNotFound', 'not_found'],
      [409, 'AnotherOperationInProgress', 'conflict'],
      [429, 'TooManyRequests', 'throttled'],
      [500, 'InternalServerError', 'unavailable'],
      [504, 'GatewayTimeout', 'unavailable'],
    ];
    for (const [status, code, kind] of cases) {
      const e = toAzureError(
        restError(status, code, `msg ${status}`, { 'x-ms-correlation-request-id': 'corr-1' }),
        'reading registry x',
      ) as AzureError;
      expect(e).toBeInstanceOf(AzureError);
      expect(e.kind).toBe(kind);
      expect(e.details).toMatchObject({ statusCode: status, code, correlationId: 'corr-1' });
      expect(e.message).toContain(`msg ${status}`);
    }
    const t = toAzureError(restError(429, 'TooManyRequests', 'slow down', { 'retry-after': '17' }), 'x') as AzureError;
    expect(t.details.retryAfterSeconds).toBe(17);
    expect(t.retryable).toBe(true);
  });

  it('maps connection failures, timeouts and credential failures', () => {
    const conn = new RestError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' });
    expect(toAzureError(conn, 'x')).toMatchObject({ kind: 'unavailable', details: { code: 'ECONNREFUSED' } });
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(toAzureError(abort, 'x')).toMatchObject({ kind: 'unavailable', details: { code: 'Timeout' } });
    expect(toAzureError(new CredentialUnavailableError('no credential'), 'x')).toMatchObject({
      kind: 'unauthenticated',
    });
    expect(
      toAzureError(new AuthenticationError(400, { error: 'invalid_client', error_description: 'bad secret' }), 'x'),
    ).toMatchObject({ kind: 'unauthenticated' });
  });

  it("maps core-lro's terminal failure to operation_failed with ARM's code", () => {
    const e = toAzureError(
      new Error('The long-running operation has failed. QuotaExceeded. Too many rules.'),
      'waiting',
    ) as AzureError;
    expect(e).toMatchObject({ kind: 'operation_failed', details: { code: 'QuotaExceeded' } });
    expect(e.message).toContain('Too many rules.');
  });

  it('leaves programming errors alone', () => {
    const bug = new TypeError('x is undefined');
    expect(toAzureError(bug, 'x')).toBe(bug);
  });
});
