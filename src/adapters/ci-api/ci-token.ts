/**
 * The CI platform's own OIDC token, sent next to the Entra ID token in `X-CI-Token`: the only place the job's subject
 * (`repo:contoso/payments:ref:refs/heads/main`) is vouched for, since the Entra ID token names only the identity.
 * Accepted only from the issuers the policy names (the bot never fetches keys from an issuer a caller chose), with the
 * bot's audience (a GitHub Actions job asks for its token with `audience=<the bot's app id URI>`), unexpired.
 */
import { decodeJwt, jwtVerify } from 'jose';
import { describeJoseError, type TokenCheck } from './entra-token.js';
import { OpenIdIssuer } from './openid.js';

export const CI_TOKEN_HEADER = 'x-ci-token';

export interface CiSubject {
  issuer: string;
  value: string;
}

export class CiTokenVerifier {
  private readonly issuers = new Map<string, OpenIdIssuer>();

  constructor(
    allowedIssuers: readonly string[],
    private readonly audiences: readonly string[],
  ) {
    for (const i of allowedIssuers) {
      const issuer = i.replace(/\/+$/, '');
      this.issuers.set(issuer, new OpenIdIssuer(`${issuer}/.well-known/openid-configuration`));
    }
  }

  async verify(token: string): Promise<TokenCheck<CiSubject>> {
    let iss: string;
    try {
      const claims = decodeJwt(token);
      iss = typeof claims.iss === 'string' ? claims.iss.replace(/\/+$/, '') : '';
    } catch {
      return { ok: false, reason: 'the CI token is malformed' };
    }
    const source = this.issuers.get(iss);
    if (!source) return { ok: false, reason: 'the CI token is from an issuer the policy does not name' };
    try {
      const keys = await source.keys();
      const { payload } = await jwtVerify(token, keys.keys, {
        algorithms: ['RS256'],
        issuer: [iss, `${iss}/`],
        audience: [...this.audiences],
        clockTolerance: 60,
        requiredClaims: ['exp', 'sub'],
      });
      return { ok: true, value: { issuer: iss, value: String(payload.sub) } };
    } catch (err) {
      return { ok: false, reason: `CI token: ${describeJoseError(err)}` };
    }
  }
}
