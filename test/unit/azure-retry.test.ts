import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelay, type RetrySettings } from '../../src/adapters/azure/retry.js';

const S: RetrySettings = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 2000 };
const half = () => 0.5;

describe('bounded retry decisions', () => {
  it('retries a 429 only when its Retry-After fits the budget, and never without one', () => {
    expect(retryDelay({ retryCount: 0, status: 429, retryAfterMs: 1000 }, S, half)).toBe(1000);
    expect(retryDelay({ retryCount: 0, status: 429, retryAfterMs: 30_000 }, S, half)).toBeNull();
    expect(retryDelay({ retryCount: 0, status: 429, retryAfterMs: null }, S, half)).toBeNull();
  });

  it('backs off exponentially on transient statuses and connection errors, up to maxRetries', () => {
    expect(retryDelay({ retryCount: 0, status: 500 }, S, half)).toBe(100);
    expect(retryDelay({ retryCount: 1, status: 503 }, S, half)).toBe(200);
    expect(retryDelay({ retryCount: 2, status: 500 }, S, half)).toBeNull();
    expect(retryDelay({ retryCount: 0, errorCode: 'ECONNRESET' }, S, half)).toBe(100);
    expect(retryDelay({ retryCount: 0, errorCode: 'EACCES' }, S, half)).toBeNull();
  });

  it('does not retry client errors or 501/505', () => {
    for (const status of [400, 401, 403, 404, 409, 501, 505])
      expect(retryDelay({ retryCount: 0, status }, S, half)).toBeNull();
  });

  it('reads Retry-After as seconds, HTTP date, or the -ms headers', () => {
    const h = (m: Record<string, string>) => (n: string) => m[n];
    expect(retryAfterMs(h({ 'retry-after': '7' }))).toBe(7000);
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '7' }))).toBe(250);
    expect(
      retryAfterMs(h({ 'retry-after': 'Thu, 01 Jan 2099 00:00:10 GMT' }), Date.parse('Thu, 01 Jan 2099 00:00:00 GMT')),
    ).toBe(10_000);
    expect(retryAfterMs(h({}))).toBeNull();
  });
});
