/**
 * The access API's caller: an Entra ID access token (`Authorization: Bearer`) issued to a workload identity (an app
 * registration's service principal or a managed identity, usually through a federated credential), checked against the
 * tenant's signing keys: signature (RS256), issuer, audience (the bot's app id URI), tenant, expiry and not-before.
 * Both token versions are accepted: v1 (`iss` https://sts.windows.net/<tenant>/, `appid`) and v2 (`iss`
 * …/<tenant>/v2.0, `azp`); the app's `accessTokenAcceptedVersion` decides which Entra ID issues (docs/azure.md,
 * "CI access: workload identity tokens"). A token for a signed-in user (`scp`) is not a workload's and is refused.
 */
import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { CiApiConfig } from '../../config-ci.js';
import type { OpenIdIssuer } from './openid.js';

export interface EntraCaller {
  tenantId: string;
  appId: string;
  objectId: string;
}

export type TokenCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

const CLOCK_SKEW_S = 60;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The issuers a tenant's tokens may carry, from the metadata's issuer (`{tenantid}` filled in). */
export function tenantIssuers(metadataIssuer: string, metadataUrl: string, tenantId: string): string[] {
  const v2 = metadataIssuer.replace('{tenantid}', tenantId);
  const host = new URL(metadataUrl).hostname.toLowerCase();
  // Entra ID's public cloud issues v1 tokens from sts.windows.net with the same keys as v2.
  return host === 'login.microsoftonline.com' ? [v2, `https://sts.windows.net/${tenantId}/`] : [v2];
}

export function describeJoseError(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not accepted`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return 'the token is not signed by a key of the tenant';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported)
    return 'the token is not signed with RS256';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'the token is malformed';
  return 'the token could not be verified';
}

function claim(p: JWTPayload, name: string): string | null {
  const v = p[name];
  return typeof v === 'string' && v !== '' ? v : null;
}

export async function verifyEntraToken(
  token: string,
  settings: CiApiConfig,
  issuer: OpenIdIssuer,
): Promise<TokenCheck<EntraCaller>> {
  let payload: JWTPayload;
  try {
    const keys = await issuer.keys();
    ({ payload } = await jwtVerify(token, keys.keys, {
      algorithms: ['RS256'],
      issuer: tenantIssuers(keys.issuer, issuer.metadataUrl, settings.tenantId),
      audience: settings.audiences,
      clockTolerance: CLOCK_SKEW_S,
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (err) {
    return { ok: false, reason: describeJoseError(err) };
  }
  const tid = claim(payload, 'tid');
  if (tid?.toLowerCase() !== settings.tenantId.toLowerCase())
    return { ok: false, reason: 'the token is from another tenant' };
  if (payload.scp !== undefined) return { ok: false, reason: "the token is a signed-in user's, not a workload's" };
  const appId = claim(payload, 'azp') ?? claim(payload, 'appid');
  const objectId = claim(payload, 'oid');
  if (!appId || !objectId || !GUID.test(appId) || !GUID.test(objectId))
    return { ok: false, reason: 'the token names no application and object id' };
  return {
    ok: true,
    value: { tenantId: tid.toLowerCase(), appId: appId.toLowerCase(), objectId: objectId.toLowerCase() },
  };
}
