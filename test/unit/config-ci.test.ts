/** The access API's settings: off unless CI_AUTH_AUDIENCE is set, the tenant from MicrosoftAppTenantId, errors that say what to set. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const TENANT = '8d3f1c2a-5b6e-4f70-9a81-b2c3d4e5f607';
const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
    return '';
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
};

describe('CI_AUTH_* configuration', () => {
  it('is off without CI_AUTH_AUDIENCE', () => {
    expect(loadConfig({}).ciApi).toBeNull();
  });

  it("takes the audiences, and the tenant from MicrosoftAppTenantId with Microsoft's metadata by default", () => {
    const c = loadConfig({
      MicrosoftAppId: '5c0a1f3e-2b4d-4c6e-8f10-9a8b7c6d5e4f',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: TENANT.toUpperCase(),
      CI_AUTH_AUDIENCE: 'api://acr-access-bot, 5c0a1f3e-2b4d-4c6e-8f10-9a8b7c6d5e4f',
    });
    expect(c.ciApi).toEqual({
      tenantId: TENANT,
      audiences: ['api://acr-access-bot', '5c0a1f3e-2b4d-4c6e-8f10-9a8b7c6d5e4f'],
      metadataUrl: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
    });
  });

  it('refuses a missing tenant, plain http off loopback, and settings without the audience', () => {
    expect(problems({ CI_AUTH_AUDIENCE: 'api://acr-access-bot' })).toMatch(/CI_AUTH_TENANT_ID must be the tenant id/);
    expect(
      problems({
        CI_AUTH_AUDIENCE: 'api://acr-access-bot',
        CI_AUTH_TENANT_ID: TENANT,
        CI_AUTH_OPENID_METADATA: 'http://issuer.example/.well-known/openid-configuration',
      }),
    ).toMatch(/CI_AUTH_OPENID_METADATA=.* must be an https URL/);
    expect(
      problems({
        CI_AUTH_AUDIENCE: 'api://acr-access-bot',
        CI_AUTH_TENANT_ID: TENANT,
        CI_AUTH_OPENID_METADATA: 'http://127.0.0.1:8080/t/v2.0/.well-known/openid-configuration',
      }),
    ).toBe('');
    expect(problems({ CI_AUTH_TENANT_ID: TENANT })).toMatch(/without CI_AUTH_AUDIENCE/);
  });
});
