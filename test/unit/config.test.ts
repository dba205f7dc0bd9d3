import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: os.tmpdir() });
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
}

describe('loadConfig', () => {
  it('starts with local defaults and no environment', () => {
    const c = loadConfig({}, { cwd: '/srv/bot' });
    expect(c.port).toBe(3978);
    expect(c.botFramework.anonymous).toBe(true);
    expect(c.slack.mode).toBe('off');
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/bot/data/acr-access.db' });
    expect(c.azure.resourceManagerEndpoint).toBeNull();
    expect(c.logLevel).toBe('info');
  });

  it('passes every Bot Framework setting through under its botbuilder name', () => {
    const c = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: 'tenant',
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/oidc',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      UNRELATED: 'x',
    });
    expect(c.botFramework.anonymous).toBe(false);
    expect(c.botFramework.settings).toEqual({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: 'tenant',
      // The default type is handed to botbuilder too, whose own default would be MultiTenant.
      MicrosoftAppType: 'SingleTenant',
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/oidc',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    });
  });

  it('makes a bot SingleTenant unless told otherwise: new multi-tenant bots cannot be created', () => {
    const single = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 't' });
    expect(single.botFramework.appType).toBe('SingleTenant');
    expect(single.botFramework.tenantId).toBe('t');

    // The old multi-tenant shape (id and secret only) is refused with the three ways out.
    const [missing, ...rest] = problems({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' });
    expect(rest).toEqual([]);
    expect(missing).toMatch(/MicrosoftAppTenantId is required when MicrosoftAppType=SingleTenant \(the default\)/);
    expect(missing).toMatch(/UserAssignedMSI/);
    expect(missing).toMatch(/MicrosoftAppType=MultiTenant/);

    // Existing multi-tenant bots keep working when they say so; the managed identity needs no secret.
    const multi = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant' });
    expect(multi.botFramework.appType).toBe('MultiTenant');
    expect(multi.botFramework.settings.MicrosoftAppType).toBe('MultiTenant');
    const msi = loadConfig({ MicrosoftAppId: 'mi', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' });
    expect(msi.botFramework.appType).toBe('UserAssignedMSI');
    expect(msi.botFramework.settings).not.toHaveProperty('MicrosoftAppPassword');

    // Local anonymous mode is untouched by the default.
    expect(loadConfig({}).botFramework.anonymous).toBe(true);
  });

  it("pins Teams to the bot's own tenant and Slack to its own workspace unless told otherwise", () => {
    const own = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant-a' });
    expect(own.botFramework.allowedTenants).toEqual(['tenant-a']);
    expect(own.slack.allowedTeams).toBe('own');
    // No tenant to default to: local anonymous mode, or a MultiTenant bot without MicrosoftAppTenantId.
    expect(loadConfig({}).botFramework.allowedTenants).toBe('any');
    const listed = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: 'tenant-a',
      TEAMS_ALLOWED_TENANTS: 'tenant-a, tenant-b',
      SLACK_ALLOWED_TEAMS: 'T0AAA E0GRID',
    });
    expect(listed.botFramework.allowedTenants).toEqual(['tenant-a', 'tenant-b']);
    expect(listed.slack.allowedTeams).toEqual(['T0AAA', 'E0GRID']);
    const any = loadConfig({ TEAMS_ALLOWED_TENANTS: '*', SLACK_ALLOWED_TEAMS: '*' });
    expect([any.botFramework.allowedTenants, any.slack.allowedTeams]).toEqual(['any', 'any']);
    expect(problems({ SLACK_ALLOWED_TEAMS: 'acme-workspace' })).toEqual([
      'SLACK_ALLOWED_TEAMS has values that are not team (T…) or organisation (E…) ids: acme-workspace (or use * for any).',
    ]);
  });

  it('chooses the Slack mode from the tokens present and says why', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack.mode).toBe('http');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.mode).toBe('socket');
    const off = loadConfig({});
    expect(off.slack.reason).toMatch(/SLACK_BOT_TOKEN/);
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('names the variable and the fix for every problem, all at once', () => {
    const p = problems({
      PORT: 'eighty',
      SLACK_BOT_TOKEN: 'xoxb-1',
      MicrosoftAppId: 'app',
      MicrosoftAppType: 'SingleTenant',
      AZURE_RESOURCE_MANAGER_ENDPOINT: 'http://127.0.0.1:1',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      AZURE_SUBSCRIPTION_IDS: 'not-a-guid',
    });
    const joined = p.join('\n');
    for (const name of [
      'PORT',
      'SLACK_SIGNING_SECRET',
      'MicrosoftAppTenantId',
      'MicrosoftAppPassword',
      'AZURE_RESOURCE_MANAGER_ENDPOINT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'AZURE_SUBSCRIPTION_IDS',
    ]) {
      expect(joined).toContain(name);
    }
  });

  it('reads PostgreSQL URLs and resolves SQLite paths against the working directory', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/test' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1:5432/test',
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite:db/x.db' }, { cwd: '/a' }).database).toEqual({
      kind: 'sqlite',
      file: '/a/db/x.db',
    });
  });

  it('requires the emulator CA file to exist and the endpoint to be set with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, 'x');
    expect(
      loadConfig({ AZURE_EMULATOR_CA: ca, AZURE_RESOURCE_MANAGER_ENDPOINT: 'https://127.0.0.1:4443/' }).azure,
    ).toEqual({
      subscriptionIds: null,
      resourceManagerEndpoint: 'https://127.0.0.1:4443',
      emulatorCaPath: ca,
    });
    expect(problems({ AZURE_EMULATOR_CA: path.join(dir, 'missing.pem') }).join('\n')).toMatch(
      /AZURE_EMULATOR_CA.*does not exist[\s\S]*AZURE_RESOURCE_MANAGER_ENDPOINT/,
    );
  });

  it('turns metrics on by METRICS_PORT and OTLP export by the standard OTEL_EXPORTER_OTLP_* variables', () => {
    const off = loadConfig({});
    expect(off.telemetry).toEqual({
      metricsPort: null,
      metricsHost: '0.0.0.0',
      otlp: null,
      serviceName: 'acr-access-bot',
    });
    const on = loadConfig({
      METRICS_PORT: '9464',
      HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.contoso.com:4318/',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://metrics.contoso.com/ingest',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr%3Dt, x-tenant = platform',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'acr-access-prod',
    }).telemetry;
    expect(on).toEqual({
      metricsPort: 9464,
      metricsHost: '127.0.0.1',
      serviceName: 'acr-access-prod',
      otlp: {
        tracesEndpoint: 'https://otel.contoso.com:4318/v1/traces',
        metricsEndpoint: 'https://metrics.contoso.com/ingest',
        headers: { 'api-key': 's3cr=t', 'x-tenant': 'platform' },
        protocol: 'http/json',
        metricIntervalMs: 60_000,
      },
    });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_METRICS_EXPORTER: 'none' }).telemetry
        .otlp,
    ).toMatchObject({
      tracesEndpoint: 'http://127.0.0.1:4318/v1/traces',
      metricsEndpoint: null,
      protocol: 'http/protobuf',
    });
    expect(
      problems({
        METRICS_PORT: 'metrics',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }),
    ).toEqual([
      'METRICS_PORT="metrics" is not a port number: use an integer from 0 to 65535 (0 picks a free port).',
      'OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not supported: use http/protobuf or http/json.',
      'The OTLP endpoint "otel:4318/v1/traces" is not an http(s) URL: fix OTEL_EXPORTER_OTLP_ENDPOINT.',
      'The OTLP endpoint "otel:4318/v1/metrics" is not an http(s) URL: fix OTEL_EXPORTER_OTLP_ENDPOINT.',
    ]);
  });

  it('pushes the audit out to a signed webhook (URL and secret together) and to audit channels', () => {
    expect(loadConfig({}).auditOut).toEqual({ webhook: null, teamsChannel: null, slackChannel: null });
    expect(
      loadConfig({
        AUDIT_WEBHOOK_URL: 'https://siem.contoso.com/hooks/acr',
        AUDIT_WEBHOOK_SECRET: 'whsec',
        AUDIT_CHANNEL_TEAMS: '19:audit@thread.tacv2',
        AUDIT_CHANNEL_SLACK: 'C0AUDIT',
      }).auditOut,
    ).toEqual({
      webhook: { url: 'https://siem.contoso.com/hooks/acr', secret: 'whsec' },
      teamsChannel: '19:audit@thread.tacv2',
      slackChannel: 'C0AUDIT',
    });
    expect(problems({ AUDIT_WEBHOOK_URL: 'https://siem.contoso.com/hooks/acr' })).toEqual([
      'AUDIT_WEBHOOK_URL and AUDIT_WEBHOOK_SECRET go together: every delivery is signed with the secret.',
    ]);
    expect(problems({ AUDIT_WEBHOOK_URL: 'siem', AUDIT_WEBHOOK_SECRET: 'x' })[0]).toMatch(
      /^AUDIT_WEBHOOK_URL="siem" is not/,
    );
  });
});
