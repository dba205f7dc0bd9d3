/**
 * Mounts `POST /api/messages` (Bot Framework, Teams) on the shared server: CloudAdapter with the Bot Framework
 * settings from configuration under their botbuilder names, tokens checked by StrictBotFrameworkAuthentication, and
 * the turn logic in TeamsBot. With no MicrosoftAppId botbuilder disables authentication (local anonymous mode, for
 * the Agents Playground). Turns complete inside the HTTP request, so the server's graceful shutdown (wait for
 * in-flight requests) also waits for in-flight turns.
 */
import type restify from 'restify';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { ChatHandler } from '../../app/chat.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { withRequestLogContext } from '../../log-context.js';
import { TeamsCloudAdapter } from './adapter.js';
import { readJsonBody } from './body.js';
import { TeamsBot } from './bot.js';
import { checkInbound } from './inbound.js';
import { createTeamsMessenger, type TeamsMessenger } from './proactive.js';
import { TeamsRoster } from './roster.js';
import { isAuthError, StrictBotFrameworkAuthentication } from './strict-auth.js';

export const MESSAGES_PATH = '/api/messages';
/** Bodies above this are refused with 413 (Teams messages are far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface TeamsOptions {
  config: Pick<Config, 'botFramework'>;
  chat: ChatHandler;
  logger: Logger;
  /**
   * Where outbound tokens (bot → connector) come from. Default: botbuilder's, from the settings (MSAL against
   * Entra ID, or the managed identity). Tests pass one that needs no Entra ID.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** How long a card action may take before the invoke is answered with an interim card (default 3 s; Teams waits about 5 s). */
  invokeBudgetMs?: number;
}

export interface TeamsRegistration {
  adapter: TeamsCloudAdapter;
  bot: TeamsBot;
  /** Proactive posts, card updates and DMs (outside a turn), for the approval flow. */
  messenger: TeamsMessenger;
  /** Teams ids of the people cards and DMs name (AAD object id / UPN → `29:…`), cached. */
  roster: TeamsRoster;
  /** Finish delivering card action results that came after their invoke was answered (bounded); for shutdown. */
  drain(timeoutMs?: number): Promise<void>;
}

export function registerTeams(server: restify.Server, options: TeamsOptions): TeamsRegistration {
  const { config, chat, logger } = options;
  const log = logger.child({ platform: 'teams' });
  const auth = new StrictBotFrameworkAuthentication(config.botFramework.settings, options.credentialsFactory);
  const adapter = new TeamsCloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error({ err: error, activityId: context.activity.id }, 'turn failed');
    throw error; // answered 500 by the route
  };
  const roster = new TeamsRoster({ logger: log });
  const bot = new TeamsBot(chat, log, {
    roster,
    allowedTenants: config.botFramework.allowedTenants,
    ...(options.invokeBudgetMs !== undefined ? { invokeBudgetMs: options.invokeBudgetMs } : {}),
  });
  const messenger = createTeamsMessenger({
    adapter,
    appId: config.botFramework.appId,
    roster,
    logger: log,
    lastSeen: () => bot.lastSeen(),
  });
  bot.attachMessenger(messenger);

  // Reading the body resumes from the request stream's events: re-enter the request's log context for the turn.
  server.post(MESSAGES_PATH, async (req: restify.Request, res: restify.Response) =>
    withRequestLogContext(req, () => handleMessages(req, res)),
  );

  async function handleMessages(req: restify.Request, res: restify.Response): Promise<void> {
    const read = await readJsonBody(req, MAX_BODY_BYTES);
    if (!read.ok) {
      log.info({ status: read.status, reason: read.reason }, 'activity refused');
      res.send(read.status, { error: read.reason });
      return;
    }
    const checked = checkInbound(read.body, { anonymous: config.botFramework.anonymous });
    if (!checked.ok) {
      log.info({ status: checked.status, reason: checked.reason }, 'activity refused');
      res.send(checked.status, { error: checked.reason });
      return;
    }
    const authHeader = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      const invoke = await adapter.handle(authHeader, checked.activity, (context) => bot.run(context));
      if (invoke?.body !== undefined) res.send(invoke.status ?? 200, invoke.body);
      else res.send(invoke?.status ?? 200);
    } catch (err) {
      if (isAuthError(err)) {
        // The reason, never the token.
        log.warn(
          { reason: err.message.slice(0, 200), activityType: checked.activity.type },
          'unauthenticated activity refused',
        );
        res.send(401, { error: 'Unauthorized' });
        return;
      }
      log.error({ err, activityType: checked.activity.type }, 'activity failed');
      res.send(500, { error: 'Internal error' });
    }
  }
  return { adapter, bot, messenger, roster, drain: (timeoutMs) => bot.drain(timeoutMs) };
}
