/**
 * The shape of the validated configuration (src/config.ts reads and checks the environment and builds it). Modules
 * that are handed a piece of it import the type from here or from config.ts.
 */
import type { CiApiConfig } from './config-ci.js';

/** Names of settings whose values are secrets: deployments pass them as secret references, never as plain values. */
export const SECRET_SETTINGS = [
  'MicrosoftAppPassword',
  'CertificatePrivateKey',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DATABASE_URL',
  'AZURE_CLIENT_SECRET',
  'AUDIT_WEBHOOK_SECRET',
  'OTEL_EXPORTER_OTLP_HEADERS',
] as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type SlackMode = 'http' | 'socket' | 'off';

export interface BotFrameworkConfig {
  /** No MicrosoftAppId: local anonymous mode for the Agents Playground; inbound requests are not authenticated. */
  anonymous: boolean;
  appId: string | null;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string | null;
  /** botbuilder-named Bot Framework settings for ConfigurationBotFrameworkAuthentication (type filled in when unset). */
  settings: Record<string, string>;
  /**
   * Tenants whose messages and clicks the bot takes (TEAMS_ALLOWED_TENANTS; default: MicrosoftAppTenantId, the bot's
   * own). `any`: not pinned (`*`, or no tenant to default to: local anonymous mode, a MultiTenant bot without one).
   */
  allowedTenants: string[] | 'any';
}

export interface SlackConfig {
  mode: SlackMode;
  /** Why Slack is in this mode, for the start-up log line. */
  reason: string;
  botToken: string | null;
  signingSecret: string | null;
  appToken: string | null;
  /** Web API base URL ending in `/` (Slack's by default; GovSlack and tests set SLACK_API_URL). */
  apiUrl: string;
  /**
   * Workspaces (`T…`) or Enterprise Grid organisations (`E…`) whose events, commands and clicks the bot takes
   * (SLACK_ALLOWED_TEAMS). `own`: the workspace (and organisation) of the bot token, from auth.test; `any`: `*`.
   */
  allowedTeams: string[] | 'own' | 'any';
}

export interface AzureConfig {
  /** Restrict resolution to these subscriptions; null = every subscription the identity can read. */
  subscriptionIds: string[] | null;
  /** ARM endpoint override (sovereign clouds, the test emulator); null = chosen from the login-server suffix. */
  resourceManagerEndpoint: string | null;
  /** PEM file of the ARM emulator's certificate; when set the bot trusts it and uses a static token. */
  emulatorCaPath: string | null;
}

export interface Config {
  port: number;
  host: string;
  botFramework: BotFrameworkConfig;
  slack: SlackConfig;
  azure: AzureConfig;
  /** `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  policyFile: string | null;
  /** The CI access API (`/api/access-requests`); null = off. */
  ciApi: CiApiConfig | null;
  logLevel: LogLevel;
  telemetry: TelemetryConfig;
  auditOut: AuditOutConfig;
}

/** OTLP/HTTP export of traces and metrics (the standard OTEL_EXPORTER_OTLP_* variables). */
export interface OtlpConfig {
  /** Full URL traces are POSTed to (…/v1/traces); null = no trace export. */
  tracesEndpoint: string | null;
  /** Full URL metrics are POSTed to (…/v1/metrics); null = no metric export. */
  metricsEndpoint: string | null;
  protocol: 'http/protobuf' | 'http/json';
  /** Extra request headers (OTEL_EXPORTER_OTLP_HEADERS: `key=value,…`), e.g. an API key. */
  headers: Record<string, string>;
  /** How often metrics are pushed. */
  metricIntervalMs: number;
}

export interface TelemetryConfig {
  /** Port of the separate Prometheus endpoint (GET /metrics); null = no Prometheus endpoint. 0 picks a free one. */
  metricsPort: number | null;
  /** Address the metrics endpoint listens on. */
  metricsHost: string;
  /** Null when no OTLP endpoint is set. */
  otlp: OtlpConfig | null;
  /** `service.name` on every metric and span. */
  serviceName: string;
}

/** Where audit events go besides the store: a signed webhook and chat channels, each fed from the outbox. */
export interface AuditOutConfig {
  webhook: { url: string; secret: string } | null;
  /** A Teams channel id (`19:…@thread.tacv2`) the bot posts each audit event to; null = none. */
  teamsChannel: string | null;
  /** A Slack channel id (`C…`) the bot posts each audit event to; null = none. */
  slackChannel: string | null;
}
