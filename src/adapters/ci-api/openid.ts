/**
 * An OpenID issuer's signing keys, found the way relying parties find them: its metadata document names `issuer` and
 * `jwks_uri`; jose fetches and caches the key set (again when a token names a key it has not seen, at most every
 * 30 s). The metadata is fetched once and again after a day or a failure. Plain http is accepted for loopback only
 * (a test's local issuer).
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

const METADATA_TTL_MS = 24 * 3_600_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_METADATA_BYTES = 64 * 1024;

export interface IssuerKeys {
  /** The `issuer` the metadata names (`{tenantid}` left as written). */
  issuer: string;
  keys: JWTVerifyGetKey;
}

export function isAllowedUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (
      u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))
    );
  } catch {
    return false;
  }
}

async function fetchMetadata(url: string): Promise<{ issuer: string; jwksUri: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new Error(`OpenID metadata ${url} answered ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_METADATA_BYTES) throw new Error(`OpenID metadata ${url} is too large`);
  const doc = JSON.parse(text) as { issuer?: unknown; jwks_uri?: unknown };
  if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string' || !isAllowedUrl(doc.jwks_uri))
    throw new Error(`OpenID metadata ${url} has no usable issuer and jwks_uri`);
  return { issuer: doc.issuer, jwksUri: doc.jwks_uri };
}

/** One metadata URL's keys, cached; concurrent callers share one fetch. */
export class OpenIdIssuer {
  private loaded: { at: number; value: Promise<IssuerKeys> } | null = null;

  constructor(readonly metadataUrl: string) {}

  keys(): Promise<IssuerKeys> {
    const now = Date.now();
    if (this.loaded && now - this.loaded.at < METADATA_TTL_MS) return this.loaded.value;
    const value = fetchMetadata(this.metadataUrl).then((m) => ({
      issuer: m.issuer,
      keys: createRemoteJWKSet(new URL(m.jwksUri), { timeoutDuration: FETCH_TIMEOUT_MS, cooldownDuration: 30_000 }),
    }));
    const entry = { at: now, value };
    this.loaded = entry;
    value.catch(() => {
      if (this.loaded === entry) this.loaded = null;
    });
    return value;
  }
}
