/**
 * The Slack app: Bolt with our thin receiver on the shared restify server (HTTP mode) or Bolt's own
 * SocketModeReceiver (Socket Mode, for local development: no public URL, an app-level `xapp-` token with
 * `connections:write`). Both use SLACK_API_URL: Socket Mode asks `apps.connections.open` there for its WebSocket
 * URL (test/integration/slack-socket-mode.test.ts drives it against a local double).
 *
 * Start-up calls `auth.test` once (fail fast on a bad token, learn our user and bot ids) and hands the ids to Bolt:
 * without `botId` and `botUserId`, Bolt 5.1 with token verification off calls `auth.test` again on every request.
 * `convoStore: false`: we keep no Bolt conversation state, and the default store builds an Error with a stack trace
 * for every request that has none (10-20 % of the CPU per request when we measured it).
 */
import { App, type CodedError, SocketModeReceiver, webApi } from '@slack/bolt';
import type restify from 'restify';
import type { ChatHandler } from '../../app/chat.js';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';
import { directMessages } from './direct.js';
import { registerListeners } from './listeners.js';
import { createSlackMessenger, type SlackMessenger } from './messenger.js';
import { RestifySlackReceiver } from './receiver.js';
import { createTeamGate, registerTeamGate } from './team-gate.js';
import { SlackActors } from './users.js';

export interface SlackDeps {
  config: SlackConfig;
  chat: ChatHandler;
  /** The bot's one HTTP server; HTTP mode mounts `POST /slack/events` on it. */
  server: restify.Server;
  logger: Logger;
  /** Clock for signature timestamps (tests). */
  now?: () => number;
}

export interface SlackAdapter {
  mode: 'http' | 'socket';
  botUserId: string | null;
  botId: string | null;
  app: App;
  /** Posts and card updates outside an event (approval flow). */
  messenger: SlackMessenger;
  /** Listener work still running after its ack (HTTP mode). */
  inFlight(): number;
  /** Let running listeners finish (bounded), then disconnect (Socket Mode). */
  stop(timeoutMs?: number): Promise<void>;
}

interface Identity {
  userId: string | null;
  botId: string | null;
  teamId: string | null;
  /** Enterprise Grid organisation of the bot's workspace, when it has one. */
  enterpriseId: string | null;
}

/** One auth.test with few retries, so a wrong token or an unreachable Slack fails the start quickly and clearly. */
async function whoAmI(token: string, apiUrl: string, logger: Logger): Promise<Identity> {
  const client = new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    logger: boltLogger(logger),
  });
  try {
    const res = await client.auth.test();
    return {
      userId: res.user_id ?? null,
      botId: res.bot_id ?? null,
      teamId: res.team_id ?? null,
      enterpriseId: res.enterprise_id ?? null,
    };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`Slack auth.test failed (${why}): check SLACK_BOT_TOKEN and SLACK_API_URL.`);
  }
}

export async function startSlack(deps: SlackDeps): Promise<SlackAdapter | null> {
  const { config, logger } = deps;
  if (config.mode === 'off' || !config.botToken) return null;
  const log = logger.child({ platform: 'slack' });
  const self = await whoAmI(config.botToken, config.apiUrl, log);

  let receiver: RestifySlackReceiver | SocketModeReceiver;
  if (config.mode === 'http') {
    if (!config.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET.');
    receiver = new RestifySlackReceiver({
      server: deps.server,
      signingSecret: config.signingSecret,
      logger: log,
      ...(deps.now ? { now: deps.now } : {}),
    });
  } else {
    if (!config.appToken) throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN.');
    receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger(log),
      installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } },
    });
  }

  const app = new App({
    token: config.botToken,
    ...(self.botId ? { botId: self.botId } : {}),
    ...(self.userId ? { botUserId: self.userId } : {}),
    receiver,
    convoStore: false,
    logger: boltLogger(log),
    clientOptions: { slackApiUrl: config.apiUrl },
  });
  const onListenerError = async (err: CodedError): Promise<void> => {
    log.error({ err: err.message, code: err.code }, 'slack listener failed');
  };
  app.error(onListenerError);

  // Before every listener: only the bot's own workspace (or the configured ones) reaches the use cases.
  const allowedTeams =
    config.allowedTeams === 'own'
      ? [self.teamId, self.enterpriseId].filter((t): t is string => t !== null)
      : config.allowedTeams;
  const admits = createTeamGate(allowedTeams, log);
  registerTeamGate(app, admits);
  // One users.info cache for the actors of events and the names cards show.
  const actors = new SlackActors(app.client, log);
  const onPost = registerListeners(app, {
    chat: deps.chat,
    actors,
    self,
    logger: log,
  });
  if (receiver instanceof RestifySlackReceiver) {
    receiver.takeDirectly(directMessages({ app, token: config.botToken, admits, onPost, onError: onListenerError }));
  }
  await app.start();
  log.info(
    { mode: config.mode, botUserId: self.userId, teamId: self.teamId, allowedTeams },
    config.mode === 'http' ? 'slack listening on POST /slack/events' : 'slack connected over Socket Mode',
  );

  return {
    mode: config.mode,
    botUserId: self.userId,
    botId: self.botId,
    app,
    messenger: createSlackMessenger(app.client, log, actors),
    inFlight: () => (receiver instanceof RestifySlackReceiver ? receiver.inFlight() : 0),
    stop: async (timeoutMs = 10_000) => {
      if (receiver instanceof RestifySlackReceiver) await receiver.stop(timeoutMs);
      else await app.stop();
    },
  };
}
