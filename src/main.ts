/**
 * Composition root: the one place that reads configuration, builds every adapter and wires them together.
 * `npm start` runs this with local defaults (SQLite under ./data, local anonymous Teams mode, Slack off).
 */
import { isEntryPoint } from './entry.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { createHttpServer, type HttpServer } from './server.js';
import type { ChatHandler } from './app/chat.js';
import { createChatService } from './app/chat-service.js';
import { systemClock, type Clock, type RegistryGateway } from './app/ports.js';
import { NotifierRouter } from './app/notifier.js';
import type { AzureConfig } from './config.js';
import { registerTeams, type TeamsOptions } from './adapters/teams/register.js';
import type { SlackAdapter } from './adapters/slack/app.js';
import { createStore, SchemaTooNewError, StoreUnavailableError } from './adapters/store/index.js';
import type { Store } from './app/store.js';
import { createApprovals, type Approvals, type ApprovalSettings } from './app/approvals/index.js';
import type { ChatPlatform } from './core/policy/reach.js';
import { builtInPolicy } from './core/policy/defaults.js';
import { createAuditForwarder, type AuditForwarder, type ForwarderSettings } from './app/audit-out/forwarder.js';
import type { AuditSink } from './app/audit-out/sink.js';
import { auditChannelSink } from './app/audit-out/channel-sink.js';
import { noTelemetry, type Telemetry } from './app/telemetry/port.js';
import { gaugeReader } from './app/telemetry/gauges.js';
import { observeStore } from './app/telemetry/observe-store.js';
import { observeGateway } from './app/telemetry/observe-gateway.js';

export interface RunningBot {
  port: number;
  config: Config;
  logger: Logger;
  http: HttpServer;
  /** Null when Slack is off. */
  slack: SlackAdapter | null;
  store: Store;
  /** Posts, card updates and DMs outside a turn, routed to the platforms that are on. */
  notifier: NotifierRouter;
  /** The approval flow's background parts (worker, scheduler): tests drive `tick()` and wait on `idle()`. */
  approvals: Approvals;
  /** Feeds the audit webhook and audit channels from the store's outbox; null when none is configured. */
  auditForwarder: AuditForwarder | null;
  /** The bound Prometheus port (METRICS_PORT, which may be 0); null when there is no metrics endpoint. */
  metricsPort: number | null;
  stop(): Promise<void>;
}

export async function startBot(
  env: Record<string, string | undefined>,
  logger?: Logger,
  deps: {
    chat?: ChatHandler;
    store?: Store;
    gateway?: RegistryGateway;
    clock?: Clock;
    approvals?: Partial<ApprovalSettings>;
    /** Tests shorten the outbox poll and retry back-off. */
    auditOut?: Partial<ForwarderSettings>;
    /** Teams adapter options tests set: outbound credentials that need no Entra ID, the invoke budget. */
    teams?: Pick<TeamsOptions, 'credentialsFactory' | 'invokeBudgetMs'>;
  } = {},
): Promise<RunningBot> {
  const config = loadConfig(env);
  const log = logger ?? createLogger(config.logLevel);
  // A policy file that does not validate stops the start with file:line errors (PolicyError), before anything opens.
  // (The YAML parser is loaded only when there is a policy file to read.)
  const policy =
    config.policyFile === null
      ? builtInPolicy()
      : (await import('./adapters/policy/load.js')).loadPolicy(config.policyFile);
  // One clock for the store (transition times) and the scheduler (what is due); tests pass a controllable one.
  const clock = deps.clock ?? systemClock;
  // Opened (and migrated) before listening: a database that cannot be used stops the start with its reason.
  // Audit sinks are queues in the store: every audit event is queued for each in the transaction that writes it.
  const out = config.auditOut;
  const auditSinks = [
    ...(out.webhook ? ['webhook'] : []),
    ...(out.teamsChannel ? ['teams-channel'] : []),
    ...(out.slackChannel ? ['slack-channel'] : []),
  ];
  const opened = deps.store ?? (await createStore(config.database, { clock, auditSinks }));
  // Metrics and traces: the OpenTelemetry adapter is loaded only when METRICS_PORT or an OTLP endpoint is set.
  const tel = config.telemetry;
  const otel =
    tel.metricsPort === null && tel.otlp === null
      ? null
      : await (await import('./adapters/telemetry/index.js'))
          .startTelemetry(tel, gaugeReader(opened, clock))
          .catch(async (err: unknown) => {
            if (!deps.store) await opened.close();
            throw err;
          });
  const telemetry: Telemetry = otel?.telemetry ?? noTelemetry;
  const store = otel ? observeStore(opened, telemetry) : opened;

  const http = createHttpServer({
    logger: log,
    readiness: async () => ({
      config: { ok: true },
      store: await store.health(),
    }),
  });

  // Azure (ARM + Resource Graph) behind the gateway port, and the use cases every chat platform calls.
  const azure = deps.gateway ?? lazyAzureGateway(config.azure, log, otel ? telemetry : undefined);
  const gateway = otel ? observeGateway(azure, telemetry) : azure;
  const notifier = new NotifierRouter();
  const approvals = createApprovals({
    store,
    gateway,
    notifier,
    policy,
    clock,
    logger: log.child({ component: 'approvals' }),
    ...(deps.approvals ? { settings: deps.approvals } : {}),
    alsoRemember: [
      ...(out.teamsChannel ? [{ platform: 'teams' as const, channelId: out.teamsChannel }] : []),
      ...(out.slackChannel ? [{ platform: 'slack' as const, channelId: out.slackChannel }] : []),
    ],
  });
  // Once per post across instances and restarts: the chat service claims what it answers in the store.
  const chat: ChatHandler =
    deps.chat ??
    createChatService({
      gateway,
      extensions: [approvals.extension],
      claims: store,
      logger: log.child({ component: 'chat' }),
      telemetry,
    });
  const teams = registerTeams(http.server, { config, chat, logger: log, ...deps.teams });
  notifier.attach('teams', teams.messenger);
  // Slack: POST /slack/events on this same server (HTTP mode) or a Socket Mode connection; null when off, and then
  // Bolt and the Slack Web API client are never loaded.
  const slack =
    config.slack.mode === 'off'
      ? null
      : await (await import('./adapters/slack/app.js')).startSlack({
          config: config.slack,
          chat,
          server: http.server,
          logger: log,
        });
  if (slack) notifier.attach('slack', slack.messenger);
  // The access API for CI jobs (POST/GET/DELETE /api/access-requests) when CI_AUTH_AUDIENCE is set; jose is loaded
  // only then.
  if (config.ciApi)
    (await import('./adapters/ci-api/register.js')).registerCiApi(http.server, {
      settings: config.ciApi,
      ci: approvals.ci,
      ciIssuers: [...new Set(policy.ci?.identities.flatMap((e) => (e.subject ? [e.subject.issuer] : [])) ?? [])],
      logger: log.child({ component: 'ci-api' }),
    });

  const port = await http.listen(config.port, config.host);
  log.info(
    {
      port,
      teams: config.botFramework.anonymous
        ? 'local anonymous mode (no MicrosoftAppId): requests are not authenticated; for the Agents Playground only'
        : `authenticated as ${config.botFramework.appId} (${config.botFramework.appType})`,
      teamsTenants:
        config.botFramework.allowedTenants === 'any' ? 'any' : config.botFramework.allowedTenants.join(', '),
      slack: `${config.slack.mode}: ${config.slack.reason}`,
      store: config.database.kind === 'sqlite' ? `sqlite ${config.database.file}` : 'postgres',
      azure: config.azure.resourceManagerEndpoint ?? 'public cloud ARM (per login-server suffix)',
      telemetry: otel?.summary ?? 'off (no METRICS_PORT, no OTEL_EXPORTER_OTLP_ENDPOINT)',
      auditOut: auditSinks.length > 0 ? `outbox to ${auditSinks.join(', ')}` : 'off',
      ciApi: config.ciApi
        ? `on: workload identities of tenant ${config.ciApi.tenantId}, audience ${config.ciApi.audiences.join(' or ')}${policy.ci ? '' : ' (the policy has no ci section, so every request is refused)'}`
        : 'off (no CI_AUTH_AUDIENCE)',
      approvals: policy.configured
        ? `on: policy ${policy.file}`
        : 'off: no POLICY_FILE, so every access request is refused with the reason (expiry of existing grants still runs)',
    },
    `acr-access-bot listening on port ${port}`,
  );
  // Requests nobody would hear about: named at start, by the registries they cover.
  for (const part of await approvals.unreachable(new Set<ChatPlatform>(slack ? ['teams', 'slack'] : ['teams'])))
    log.warn(
      { policy: part.source, registries: part.registries, approvers: part.approvers },
      `approvers of ${part.registries.join(', ')} cannot be reached from any configured channel: requests there wait unseen`,
    );
  // After listening: resume what a previous process left (open ARM operations, approved requests, rule removals).
  await approvals.start();
  // Then deliver what the outbox holds (a previous process's undelivered events first) and what comes.
  const sinks: AuditSink[] = [
    ...(out.webhook ? [(await import('./adapters/audit-webhook/index.js')).auditWebhookSink(out.webhook)] : []),
    ...(out.teamsChannel ? [auditChannelSink('teams', out.teamsChannel, { notifier, store })] : []),
    ...(out.slackChannel ? [auditChannelSink('slack', out.slackChannel, { notifier, store })] : []),
  ];
  const auditForwarder =
    sinks.length === 0
      ? null
      : createAuditForwarder({
          store,
          sinks,
          clock,
          logger: log.child({ component: 'audit-out' }),
          ...(deps.auditOut ? { settings: deps.auditOut } : {}),
        });
  auditForwarder?.start();

  return {
    port,
    config,
    logger: log,
    http,
    slack,
    store,
    notifier,
    approvals,
    auditForwarder,
    metricsPort: otel?.metricsPort ?? null,
    stop: async () => {
      await http.close();
      // Teams card actions answered with an interim card still deliver their result (bounded).
      await teams.drain();
      // Slack listeners run after their ack, outside the HTTP request: let them finish (bounded).
      await slack?.stop();
      // Then no new applies; a running one stops once its operation is recorded (resumable) and its lock is released.
      await approvals.stop();
      await auditForwarder?.stop();
      // Last pushes (OTLP) while the store the gauges read is still open.
      await otel?.shutdown();
      // A store passed in belongs to the caller.
      if (!deps.store) await store.close();
    },
  };
}

/**
 * The Azure gateway, its SDK modules (ARM, Resource Graph, identity) loaded on the first call: a bot that has only
 * heard chatter never loads them, and start-up does not wait for them.
 */
function lazyAzureGateway(azure: AzureConfig, logger: Logger, telemetry?: Telemetry): RegistryGateway {
  let loading: Promise<RegistryGateway> | null = null;
  const gateway = (): Promise<RegistryGateway> =>
    (loading ??= import('./adapters/azure/index.js').then(
      (m) => m.createAzureGateway({ azure, logger, ...(telemetry ? { telemetry } : {}) }),
      (err: unknown) => {
        loading = null;
        throw err;
      },
    ));
  return {
    inspect: async (target) => (await gateway()).inspect(target),
    findRegistry: async (nameOrHost) => (await gateway()).findRegistry(nameOrHost),
    readRegistry: async (registryId, options) => (await gateway()).readRegistry(registryId, options),
    submitNetworkRules: async (registryId, change) => (await gateway()).submitNetworkRules(registryId, change),
    waitForUpdate: async (update) => (await gateway()).waitForUpdate(update),
    registryWrites: async (registryId, window) => (await gateway()).registryWrites(registryId, window),
  };
}

async function main(): Promise<void> {
  let bot: RunningBot;
  try {
    bot = await startBot(process.env);
  } catch (err) {
    // PolicyError by name: its module (and the YAML parser) is loaded only when a policy file is configured.
    if (err instanceof ConfigError || (err instanceof Error && err.name === 'PolicyError')) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof StoreUnavailableError || err instanceof SchemaTooNewError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    bot.logger.info({ signal, inFlight: bot.http.inFlight() }, 'shutting down: finishing in-flight turns');
    bot.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        bot.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (isEntryPoint(import.meta.url)) void main();
