/**
 * The identity the bot reads and writes ARM with. Normally DefaultAzureCredential (managed identity, workload
 * identity, environment, Azure CLI…), one per sovereign cloud so the token comes from that cloud's authority. With
 * AZURE_EMULATOR_CA set (tests, `npm run demo`) a static bearer token instead: the emulator checks only that a
 * bearer token is present, and the SDK's bearer policy stays in place.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { AzureConfig } from '../../config.js';
import type { Cloud } from './cloud.js';

export const EMULATOR_TOKEN = 'arm-emulator-static-token';

/** A fixed token for the ARM emulator; never used against Azure (only when emulatorCaPath is configured). */
export class StaticTokenCredential implements TokenCredential {
  constructor(private readonly token = EMULATOR_TOKEN) {}
  getToken(): Promise<AccessToken> {
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3600_000, tokenType: 'Bearer' });
  }
}

/**
 * Caches tokens per scope until five minutes before expiry. core-rest-pipeline's bearer policy caches on its own;
 * the ms-rest-js stack of the Resource Graph SDK asks the credential on every request (which, with the Azure CLI
 * credential, would start a process per call).
 */
export class CachingCredential implements TokenCredential {
  private cache = new Map<string, Promise<AccessToken | null>>();
  constructor(private readonly inner: TokenCredential) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = ([] as string[]).concat(scopes).join(' ');
    const hit = this.cache.get(key);
    if (hit) {
      // A pending request is shared by concurrent callers; a settled one is reused while it has time left.
      const t = await hit.catch(() => null);
      if (t && t.expiresOnTimestamp - Date.now() > 5 * 60_000) return t;
    }
    const p = this.inner.getToken(scopes, options);
    this.cache.set(key, p);
    p.catch(() => {
      if (this.cache.get(key) === p) this.cache.delete(key);
    });
    return p;
  }
}

export function createCredentialFactory(azure: AzureConfig): (cloud: Cloud) => TokenCredential {
  if (azure.emulatorCaPath) {
    const staticCredential = new StaticTokenCredential();
    return () => staticCredential;
  }
  const byAuthority = new Map<string, TokenCredential>();
  return (cloud) => {
    const key = cloud.authorityHost ?? '';
    let cred = byAuthority.get(key);
    if (!cred) {
      cred = new DefaultAzureCredential(cloud.authorityHost ? { authorityHost: cloud.authorityHost } : {});
      byAuthority.set(key, cred);
    }
    return cred;
  };
}
