/**
 * Bot Framework authentication that answers every forged token with 401.
 *
 * botbuilder 4.23.3 re-throws some jsonwebtoken errors unwrapped (a signature by another key with a known kid,
 * `alg: none`, an `nbf` in the future), and CloudAdapter turns anything that is not an AuthenticationError into a
 * 500. This maps those errors to AuthenticationError(401). Errors that are not about the token (the OpenID metadata
 * cannot be fetched, say) stay what they are: the request could not be checked, which is not the caller's fault.
 *
 * It also keeps the outbound clients botbuilder would build anew for every turn: CloudAdapter asks for a
 * ConnectorClient (a whole @azure/core-client pipeline: policies, serializer, sanitiser) and a UserTokenClient (the
 * same again, for sign-in flows this bot does not have) on every activity, chatter included; building them was the
 * largest single cost of a Teams turn in the profile. They hold no per-turn state (tokens are cached and refreshed
 * by the credentials they wrap), so one per bot app id, service URL and audience serves every turn.
 */
import type { Activity } from 'botbuilder';
import type {
  AuthenticateRequestResult,
  ClaimsIdentity,
  ConnectorClient,
  UserTokenClient,
} from 'botframework-connector';
import {
  AuthenticationConstants,
  AuthenticationError,
  ConfigurationBotFrameworkAuthentication,
  ConnectorFactory,
} from './sdk.js';

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** Distinct service URLs × audiences × app ids kept (a bot sees a handful: one per Teams region and cloud). */
const MAX_CLIENTS = 64;

/** The bot's app id a turn speaks as: the token's audience, or its appid claim (what botbuilder reads). */
function appIdOf(identity: ClaimsIdentity): string {
  return (
    identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** Kept promises by key, oldest dropped first; a failed creation is not kept. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const p = create();
    this.entries.set(key, p);
    p.catch(() => this.entries.delete(key));
    while (this.entries.size > MAX_CLIENTS) this.entries.delete(this.entries.keys().next().value as string);
    return p;
  }
}

/** botbuilder's factory for one turn, answered from the cache when this app id, URL and audience were seen. */
class CachedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
    private readonly cache: ClientCache<ConnectorClient>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.get(JSON.stringify([this.appId, serviceUrl, audience ?? null]), () =>
      this.inner.create(serviceUrl, audience),
    );
  }
}

export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>();
  private readonly userTokens = new ClientCache<UserTokenClient>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw toAuthError(err);
    }
    if (!result.connectorFactory) return result;
    const appId = appIdOf(result.claimsIdentity);
    return { ...result, connectorFactory: new CachedConnectorFactory(result.connectorFactory, appId, this.connectors) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new CachedConnectorFactory(
      super.createConnectorFactory(claimsIdentity),
      appIdOf(claimsIdentity),
      this.connectors,
    );
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokens.get(appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
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
