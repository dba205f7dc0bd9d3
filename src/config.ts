/**
 * Configuration: the only module that reads the environment (the README's "Configuration" lists it). Everything is
 * validated at start and every problem names the variable and the fix, so a misconfigured bot fails before it listens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readCiApiConfig } from './config-ci.js';
import { readTelemetryConfig } from './config-telemetry.js';

import { LOG_LEVELS, type Config, type LogLevel, type SlackMode } from './config-types.js';

export type * from './config-types.js';
export { SECRET_SETTINGS } from './config-types.js';

/** Bot Framework settings botbuilder 4.23 reads (ConfigurationBotFrameworkAuthentication + its credential factory). */
export const BOT_FRAMEWORK_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'CertificateThumbprint',
  'CertificatePrivateKey',
  'ChannelService',
  'ValidateAuthority',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'BotOpenIdMetadata',
  'OAuthUrl',
  'OAuthApiEndpoint',
  'CallerId',
] as const;

export const DEFAULT_PORT = 3978;
export const DEFAULT_DATABASE_URL = 'sqlite:./data/acr-access.db';
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Configuration is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A port number variable: null when unset (or invalid, with the problem recorded). */
function portOf(env: Env, name: string, problems: string[]): number | null {
  const raw = value(env, name);
  const n = Number(raw);
  if (raw === null || (Number.isInteger(n) && n >= 0 && n <= 65535)) return raw === null ? null : n;
  problems.push(`${name}="${raw}" is not a port number: use an integer from 0 to 65535 (0 picks a free port).`);
  return null;
}

function value(env: Env, name: string): string | null {
  const v = env[name];
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** A comma/space separated list of ids; `*` alone means any. Null when unset. */
function idList(env: Env, name: string, shape: RegExp, what: string, problems: string[]): string[] | 'any' | null {
  const raw = value(env, name);
  if (raw === null) return null;
  const ids = raw.split(/[\s,;]+/).filter(Boolean);
  if (ids.length === 1 && ids[0] === '*') return 'any';
  const bad = ids.filter((id) => !shape.test(id));
  if (bad.length > 0) problems.push(`${name} has values that are not ${what}: ${bad.join(', ')} (or use * for any).`);
  return ids;
}

/** Read and validate configuration from an environment. Throws ConfigError listing every problem at once. */
export function loadConfig(env: Env, options: { cwd?: string } = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  const port = portOf(env, 'PORT', problems) ?? DEFAULT_PORT;
  const host = value(env, 'HOST') ?? '0.0.0.0';

  // Bot Framework
  const settings: Record<string, string> = {};
  for (const name of BOT_FRAMEWORK_SETTINGS) {
    const v = value(env, name);
    if (v !== null) settings[name] = v;
  }
  const appId = settings.MicrosoftAppId ?? null;
  const typeDefaulted = settings.MicrosoftAppType === undefined; // no new multi-tenant bots since 2025-07-31
  const rawType = settings.MicrosoftAppType ?? 'SingleTenant';
  const appType = (['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const).find(
    (t) => t.toLowerCase() === rawType.toLowerCase(),
  );
  if (!appType) {
    problems.push(`MicrosoftAppType="${rawType}" is not supported: use MultiTenant, SingleTenant or UserAssignedMSI.`);
  }
  const tenantId = settings.MicrosoftAppTenantId ?? null;
  if (appId !== null) {
    const hasCert = settings.CertificateThumbprint !== undefined || settings.CertificatePrivateKey !== undefined;
    if (typeDefaulted && appType) settings.MicrosoftAppType = appType; // botbuilder itself would assume MultiTenant
    if (appType === 'UserAssignedMSI') {
      if (!tenantId)
        problems.push(
          'MicrosoftAppTenantId is required when MicrosoftAppType=UserAssignedMSI: set it to the tenant of the managed identity.',
        );
      if (settings.MicrosoftAppPassword)
        problems.push(
          'MicrosoftAppPassword must not be set when MicrosoftAppType=UserAssignedMSI: the managed identity has no password; unset it.',
        );
    } else if (appType === 'SingleTenant') {
      if (!tenantId)
        problems.push(
          `MicrosoftAppTenantId is required when MicrosoftAppType=SingleTenant${typeDefaulted ? ' (the default)' : ''}: set it to the tenant id of the bot registration, set MicrosoftAppType=UserAssignedMSI for a managed identity, or MicrosoftAppType=MultiTenant for a bot registered before August 2025.`,
        );
      if (!settings.MicrosoftAppPassword && !hasCert)
        problems.push(
          'MicrosoftAppPassword is required for a SingleTenant bot: set the client secret of the bot app registration (or CertificateThumbprint + CertificatePrivateKey).',
        );
    } else if (appType === 'MultiTenant') {
      if (!settings.MicrosoftAppPassword && !hasCert)
        problems.push(
          'MicrosoftAppPassword is required for a MultiTenant bot: set the client secret of the bot app registration, or unset MicrosoftAppId for local anonymous mode.',
        );
    }
    if (hasCert && !(settings.CertificateThumbprint && settings.CertificatePrivateKey)) {
      problems.push('CertificateThumbprint and CertificatePrivateKey must be set together.');
    }
  } else {
    const stray = Object.keys(settings).filter((k) => k === 'MicrosoftAppPassword' || k === 'MicrosoftAppTenantId');
    if (stray.length > 0) {
      problems.push(
        `${stray.join(' and ')} set without MicrosoftAppId: set MicrosoftAppId too, or unset them for local anonymous mode.`,
      );
    }
  }

  // Which organisation's people the bot serves: its own by default
  const tenantList = idList(env, 'TEAMS_ALLOWED_TENANTS', /^[A-Za-z0-9._-]{1,64}$/, 'tenant ids', problems);
  const allowedTenants = tenantList ?? (tenantId ? [tenantId] : 'any');
  const teamList = idList(
    env,
    'SLACK_ALLOWED_TEAMS',
    /^[TE][A-Z0-9]{1,20}$/,
    'team (T…) or organisation (E…) ids',
    problems,
  );
  const allowedTeams = teamList ?? 'own';

  // Slack
  const botToken = value(env, 'SLACK_BOT_TOKEN');
  const signingSecret = value(env, 'SLACK_SIGNING_SECRET');
  const appToken = value(env, 'SLACK_APP_TOKEN');
  let apiUrl = value(env, 'SLACK_API_URL') ?? DEFAULT_SLACK_API_URL;
  if (!/^https?:\/\//i.test(apiUrl)) {
    problems.push(`SLACK_API_URL="${apiUrl}" is not an http(s) URL: use e.g. https://slack.com/api/.`);
  } else if (!apiUrl.endsWith('/')) apiUrl += '/';
  let slackMode: SlackMode = 'off';
  let slackReason: string;
  if (appToken) {
    if (!botToken) {
      problems.push(
        "SLACK_APP_TOKEN is set (Socket Mode) but SLACK_BOT_TOKEN is not: set the bot token (xoxb-…) from the Slack app's OAuth page.",
      );
      slackReason = 'SLACK_BOT_TOKEN missing';
    } else {
      if (!appToken.startsWith('xapp-'))
        problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope.');
      slackMode = 'socket';
      slackReason = 'SLACK_APP_TOKEN is set (Socket Mode)';
    }
  } else if (botToken && signingSecret) {
    slackMode = 'http';
    slackReason = 'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set (HTTP, POST /slack/events)';
  } else if (botToken || signingSecret) {
    const missing = botToken ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    problems.push(
      `${missing} is missing: Slack over HTTP needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode).`,
    );
    slackReason = `${missing} missing`;
  } else {
    slackReason = 'no SLACK_BOT_TOKEN/SLACK_SIGNING_SECRET or SLACK_APP_TOKEN';
  }
  if (botToken && !botToken.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN must be a bot token (xoxb-…), not a user or app token.');
  }

  // Azure
  let subscriptionIds: string[] | null = null;
  const rawSubs = value(env, 'AZURE_SUBSCRIPTION_IDS');
  if (rawSubs !== null) {
    subscriptionIds = rawSubs.split(/[\s,;]+/).filter(Boolean);
    const bad = subscriptionIds.filter((s) => !GUID.test(s));
    if (bad.length > 0)
      problems.push(`AZURE_SUBSCRIPTION_IDS has values that are not subscription ids (GUIDs): ${bad.join(', ')}.`);
  }
  let resourceManagerEndpoint = value(env, 'AZURE_RESOURCE_MANAGER_ENDPOINT');
  if (resourceManagerEndpoint !== null) {
    if (!/^https:\/\//i.test(resourceManagerEndpoint)) {
      problems.push(
        `AZURE_RESOURCE_MANAGER_ENDPOINT="${resourceManagerEndpoint}" must be an https:// URL (the Azure SDK refuses bearer tokens over plain http).`,
      );
    }
    resourceManagerEndpoint = resourceManagerEndpoint.replace(/\/+$/, '');
  }
  let emulatorCaPath = value(env, 'AZURE_EMULATOR_CA');
  if (emulatorCaPath !== null) {
    emulatorCaPath = path.resolve(cwd, emulatorCaPath);
    if (!fs.existsSync(emulatorCaPath))
      problems.push(
        `AZURE_EMULATOR_CA="${emulatorCaPath}" does not exist: point it at the ca file the ARM emulator printed.`,
      );
    if (resourceManagerEndpoint === null)
      problems.push(
        'AZURE_EMULATOR_CA is set but AZURE_RESOURCE_MANAGER_ENDPOINT is not: set it to the emulator URL it printed.',
      );
  }

  // Store
  const databaseUrl = value(env, 'DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  let database: Config['database'] = { kind: 'sqlite', file: path.resolve(cwd, './data/acr-access.db') };
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) database = { kind: 'postgres', url: databaseUrl };
  else if (/^sqlite:/i.test(databaseUrl)) {
    const file = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') problems.push('DATABASE_URL="sqlite:" names no file: use sqlite:./data/acr-access.db.');
    else database = { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
  } else {
    problems.push(
      'DATABASE_URL must start with sqlite: (e.g. sqlite:./data/acr-access.db) or postgres:// (e.g. postgres://user@host:5432/db).',
    );
  }

  // Policy
  let policyFile = value(env, 'POLICY_FILE');
  if (policyFile !== null) {
    policyFile = path.resolve(cwd, policyFile);
    if (!fs.existsSync(policyFile))
      problems.push(
        `POLICY_FILE="${policyFile}" does not exist: create it from policy.example.yaml or unset POLICY_FILE.`,
      );
  }

  const ciApi = readCiApiConfig((name) => value(env, name), tenantId, problems);

  // Logging
  const rawLevel = (value(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : 'info';
  if (logLevel !== rawLevel)
    problems.push(`LOG_LEVEL="${rawLevel}" is not a level: use one of ${LOG_LEVELS.join(', ')}.`);

  const telemetry = readTelemetryConfig((name) => value(env, name), host, problems);

  // Audit pushed out: a signed webhook and chat channels, fed from the store's outbox
  const webhookUrl = value(env, 'AUDIT_WEBHOOK_URL');
  const webhookSecret = value(env, 'AUDIT_WEBHOOK_SECRET');
  if (webhookUrl !== null && !/^https?:\/\/[^/]/i.test(webhookUrl))
    problems.push(`AUDIT_WEBHOOK_URL="${webhookUrl}" is not an http(s) URL: use the receiver's https:// address.`);
  if ((webhookUrl === null) !== (webhookSecret === null))
    problems.push('AUDIT_WEBHOOK_URL and AUDIT_WEBHOOK_SECRET go together: every delivery is signed with the secret.');

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host,
    botFramework: {
      anonymous: appId === null,
      appId,
      appType: appType ?? 'SingleTenant',
      tenantId,
      settings,
      allowedTenants,
    },
    slack: { mode: slackMode, reason: slackReason, botToken, signingSecret, appToken, apiUrl, allowedTeams },
    azure: { subscriptionIds, resourceManagerEndpoint, emulatorCaPath },
    databaseUrl,
    database,
    policyFile,
    ciApi,
    logLevel,
    telemetry,
    auditOut: {
      webhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : null,
      teamsChannel: value(env, 'AUDIT_CHANNEL_TEAMS'),
      slackChannel: value(env, 'AUDIT_CHANNEL_SLACK'),
    },
  };
}
