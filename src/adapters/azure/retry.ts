/**
 * When an ARM call is retried, and for how long. The SDK defaults are unsuitable for a chat bot: core-rest-pipeline
 * waits whatever `Retry-After` says (a 429 with `Retry-After: 300` would stall a reply five minutes) and
 * ms-rest-js (Resource Graph SDK 4.x) backs off in 30-second steps. So every client gets this one bounded policy:
 * at most `maxRetries` retries of transient failures (5xx except 501/505, 408, connection errors) with short
 * exponential back-off, and a throttled answer is retried only when its `Retry-After` fits in `maxRetryAfterMs`;
 * otherwise the 429 surfaces at once as AzureError `throttled` carrying the server's Retry-After.
 */
import { retryPolicy, type PipelinePolicy, type PipelineResponse, type RetryStrategy } from '@azure/core-rest-pipeline';

export interface RetrySettings {
  maxRetries: number;
  /** First back-off; doubles per retry (with jitter), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A throttled (429/503 + Retry-After) answer is retried only if it asks for at most this long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxRetries: 2,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 2_000,
};

const TRANSIENT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'REQUEST_SEND_ERROR',
]);

/** `Retry-After` (seconds or HTTP date) or `retry-after-ms`/`x-ms-retry-after-ms`, in ms; null when absent or invalid. */
export function retryAfterMs(get: (name: string) => string | undefined | null, now = Date.now()): number | null {
  for (const h of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = get(h);
    if (v && /^\d+$/.test(v.trim())) return Number(v.trim());
  }
  const ra = get('retry-after')?.trim();
  if (!ra) return null;
  if (/^\d+$/.test(ra)) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

export interface Attempt {
  /** 0 for the first retry decision. */
  retryCount: number;
  status?: number | undefined;
  retryAfterMs?: number | null | undefined;
  errorCode?: string | undefined;
}

/** Milliseconds to wait before retrying, or null to give up now. */
export function retryDelay(a: Attempt, s: RetrySettings = DEFAULT_RETRY, random = Math.random): number | null {
  if (a.retryCount >= s.maxRetries) return null;
  const backoff = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** a.retryCount) * (0.8 + 0.4 * random());
  if (a.status === 429 || (a.status === 503 && a.retryAfterMs != null)) {
    if (a.retryAfterMs == null) return a.status === 429 ? null : backoff;
    return a.retryAfterMs <= s.maxRetryAfterMs ? a.retryAfterMs : null;
  }
  if (a.status !== undefined) {
    const transient = a.status === 408 || (a.status >= 500 && a.status !== 501 && a.status !== 505);
    return transient ? backoff : null;
  }
  return a.errorCode !== undefined && TRANSIENT_CODES.has(a.errorCode) ? backoff : null;
}

function fromResponse(retryCount: number, response: PipelineResponse | undefined, code: string | undefined): Attempt {
  return {
    retryCount,
    status: response?.status,
    retryAfterMs: response ? retryAfterMs((n) => response.headers.get(n)) : null,
    errorCode: code,
  };
}

/** The core-rest-pipeline policy (phase Retry) that replaces the SDK's defaultRetryPolicy. */
export function boundedRetryPolicy(s: RetrySettings = DEFAULT_RETRY): PipelinePolicy {
  const strategy: RetryStrategy = {
    name: 'acrBotBoundedRetry',
    retry({ retryCount, response, responseError }) {
      const ok = response !== undefined && response.status < 400;
      if (ok) return { skipStrategy: true };
      // retryCount counts attempts already made (starts at 0 for the first response).
      const delay = retryDelay(fromResponse(retryCount, response, responseError?.code), s);
      if (delay === null) return responseError ? { errorToThrow: responseError } : { skipStrategy: true };
      return { retryAfterInMs: delay };
    },
  };
  return { ...retryPolicy([strategy], { maxRetries: s.maxRetries }), name: 'acrBotBoundedRetryPolicy' };
}

/** Retry an async call with the same rules (for the ms-rest-js based Resource Graph client). */
export async function withRetry<T>(
  call: () => Promise<T>,
  classify: (err: unknown) => Omit<Attempt, 'retryCount'>,
  s: RetrySettings = DEFAULT_RETRY,
): Promise<T> {
  for (let retryCount = 0; ; retryCount++) {
    try {
      return await call();
    } catch (err) {
      const delay = retryDelay({ retryCount, ...classify(err) }, s);
      if (delay === null) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
