/**
 * Typed failure of a registry gateway call. Adapters map ARM errors onto it; use cases decide what the user sees
 * and whether the operation stays retryable. No Azure types leak past this class.
 */
export type AzureErrorKind =
  | 'forbidden' // 403 AuthorizationFailed: the bot's identity lacks a permission
  | 'not_found' // 404 ResourceNotFound / ResourceGroupNotFound
  | 'throttled' // 429
  | 'unavailable' // 5xx, timeouts, connection failures
  | 'conflict' // 409: another operation is in progress
  | 'bad_request' // 400: ARM refused the change (quota, SKU, invalid rule)
  | 'operation_failed' // the long-running operation ended in Failed/Canceled
  | 'unauthenticated'; // no credential could get a token

export class AzureError extends Error {
  override readonly name = 'AzureError';
  constructor(
    readonly kind: AzureErrorKind,
    message: string,
    readonly details: {
      statusCode?: number;
      code?: string;
      retryAfterSeconds?: number;
      /** The ARM x-ms-correlation-request-id / request id, for the audit log. */
      correlationId?: string;
    } = {},
  ) {
    super(message);
  }

  /** Worth trying again later without changing anything. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'unavailable' || this.kind === 'conflict';
  }
}
