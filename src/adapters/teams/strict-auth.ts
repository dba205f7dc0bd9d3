/**
 * Bot Framework authentication that answers every forged token with 401.
 *
 * botbuilder 4.23.3 re-throws some jsonwebtoken errors unwrapped (a signature by another key with a known kid,
 * `alg: none`, an `nbf` in the future), and CloudAdapter turns anything that is not an AuthenticationError into a
 * 500. This maps those errors to AuthenticationError(401). Errors that are not about the token (the OpenID metadata
 * cannot be fetched, say) stay what they are: the request could not be checked, which is not the caller's fault.
 */
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw toAuthError(err);
    }
  }
}

export function toAuthError(err: unknown): unknown {
  if (err instanceof AuthenticationError) return err;
  const name = err instanceof Error ? err.name : '';
  if (TOKEN_ERRORS.has(name)) return new AuthenticationError(`Unauthorized. ${(err as Error).message}`, 401);
  return err;
}

export function isAuthError(err: unknown): err is AuthenticationError {
  return err instanceof AuthenticationError;
}
