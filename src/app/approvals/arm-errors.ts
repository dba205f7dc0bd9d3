/** How the apply worker reads a failure: retry now, fail for good, or wait because the outcome is not known yet. */
import { AzureError } from '../azure-error.js';

export interface FailureInfo {
  message: string;
  /** Another attempt (after back-off) may succeed without anyone changing anything. */
  retryable: boolean;
  /** Seconds ARM asked us to wait (429/503 Retry-After). */
  retryAfterSeconds: number | null;
}

export function failureOf(err: unknown): FailureInfo {
  if (err instanceof AzureError) {
    return {
      message: err.message,
      retryable: err.retryable || err.kind === 'operation_failed',
      retryAfterSeconds: err.details.retryAfterSeconds ?? null,
    };
  }
  // Not an Azure failure (a bug, the store): let a person retry once it is fixed.
  return { message: err instanceof Error ? err.message : String(err), retryable: true, retryAfterSeconds: null };
}

/** The operation's status URL is gone or its saved state unusable: decide by reading the registry instead. */
export function isUnresolvable(err: unknown): boolean {
  return err instanceof AzureError && (err.kind === 'not_found' || err.kind === 'bad_request');
}

export function isTransient(err: unknown): boolean {
  return err instanceof AzureError && err.retryable;
}

export class Stopped extends Error {
  override readonly name = 'Stopped';
  constructor() {
    super('the bot is stopping');
  }
}
