/**
 * The access API's settings (the README's "Configuration"), read by config.ts from the environment it was given:
 * which tenant's workload identities may call it, for which audience, and where that tenant's signing keys are.
 * Unset `CI_AUTH_AUDIENCE` leaves the API off (its routes are not mounted).
 */
export interface CiApiConfig {
  /** The tenant whose tokens are accepted (`tid`). */
  tenantId: string;
  /** Accepted `aud` values: the bot's app id URI (v1 tokens) and, if given, its client id (v2 tokens). */
  audiences: string[];
  /** OpenID metadata of the tenant (`CI_AUTH_OPENID_METADATA`; tests point it at a local issuer). */
  metadataUrl: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function loopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

/** Null when the API is off; problems are pushed in config.ts's words (variable, then the fix). */
export function readCiApiConfig(
  value: (name: string) => string | null,
  botTenantId: string | null,
  problems: string[],
): CiApiConfig | null {
  const rawAudience = value('CI_AUTH_AUDIENCE');
  const rawTenant = value('CI_AUTH_TENANT_ID');
  const rawMetadata = value('CI_AUTH_OPENID_METADATA');
  if (rawAudience === null) {
    if (rawTenant !== null || rawMetadata !== null)
      problems.push(
        "CI_AUTH_TENANT_ID or CI_AUTH_OPENID_METADATA is set without CI_AUTH_AUDIENCE: set CI_AUTH_AUDIENCE to the bot's app id URI (e.g. api://acr-access-bot) to turn the access API on, or unset them.",
      );
    return null;
  }
  const audiences = rawAudience.split(/[\s,]+/).filter(Boolean);
  const tenantId = (rawTenant ?? botTenantId ?? '').toLowerCase();
  if (!GUID.test(tenantId))
    problems.push(
      'CI_AUTH_TENANT_ID must be the tenant id (a GUID) whose workload identities may call the access API (it defaults to MicrosoftAppTenantId).',
    );
  const metadataUrl =
    rawMetadata ?? `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`;
  let url: URL | null = null;
  try {
    url = new URL(metadataUrl);
  } catch {
    url = null;
  }
  if (!url || !(url.protocol === 'https:' || loopbackHttp(url)))
    problems.push(
      `CI_AUTH_OPENID_METADATA="${metadataUrl}" must be an https URL of OpenID metadata (plain http only on loopback, for tests).`,
    );
  return { tenantId, audiences, metadataUrl };
}
