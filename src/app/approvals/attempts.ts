/**
 * Retrying the worker's steps: one attempt loop with back-off between tries, and waits that end at once when the
 * worker stops (with Stopped, at a point where everything done so far is on record).
 */
import type { RegistryLock } from '../store.js';
import { Stopped, type FailureInfo } from './arm-errors.js';
import type { ApprovalSettings } from './deps.js';
import type { Run } from './worker-types.js';

type RetrySettings = Pick<ApprovalSettings, 'applyAttempts' | 'retryBaseMs' | 'retryMaxMs'>;

/** Throws when the worker is stopping or the registry lock was lost: nothing more may be written. */
export function checkpoint(run: { stop: AbortSignal; lock: RegistryLock }): void {
  if (run.stop.aborted) throw new Stopped();
  if (run.lock.signal.aborted) throw new Error('lost the registry lock (database connection dropped)');
}

/** Resolves after `ms`, or rejects with Stopped as soon as `stop` is aborted. */
export function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stop.aborted) return reject(new Stopped());
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Stopped());
    };
    const t = setTimeout(() => {
      stop.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    stop.addEventListener('abort', onAbort, { once: true });
  });
}

/** `p`, or Stopped as soon as `stop` is aborted (then `p` is left to settle on its own, its rejection handled). */
export function untilStopped<T>(p: Promise<T>, stop: AbortSignal): Promise<T> {
  p.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    if (stop.aborted) return reject(new Stopped());
    const onAbort = (): void => reject(new Stopped());
    stop.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        stop.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        stop.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The wait before attempt `attempt + 1`: doubling from retryBaseMs up to retryMaxMs, or ARM's Retry-After within that cap. */
export function backoffMs(attempt: number, failure: FailureInfo, s: RetrySettings): number {
  const exp = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempt - 1));
  const asked = failure.retryAfterSeconds !== null ? Math.min(s.retryMaxMs, failure.retryAfterSeconds * 1000) : 0;
  return Math.max(exp, asked);
}

export type Attempt<T> = { done: T } | { retry: FailureInfo };

/**
 * Up to `settings.applyAttempts` tries of `once`, backing off between them. The first `done` ends it; when every
 * try asked for a retry, the last failure comes back as `gaveUp`.
 */
export async function withAttempts<T>(
  settings: RetrySettings,
  run: Pick<Run, 'stop'>,
  once: (attempt: number) => Promise<Attempt<T>>,
): Promise<{ done: T } | { gaveUp: FailureInfo }> {
  let last: FailureInfo = { message: 'no attempt was made', retryable: true, retryAfterSeconds: null };
  for (let attempt = 1; attempt <= settings.applyAttempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1, last, settings), run.stop);
    const out = await once(attempt);
    if ('done' in out) return out;
    last = out.retry;
  }
  return { gaveUp: last };
}
