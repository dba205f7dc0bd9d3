/**
 * The values this adapter takes from botbuilder and botframework-connector, loaded with `require()`; their types are
 * imported from the packages as usual (`import type`).
 *
 * Both are CommonJS. An ESM `import` of a CommonJS package makes Node scan its source for named exports, and the
 * source of every module it re-exports: botbuilder's index re-exports botbuilder-core, botframework-connector,
 * botframework-schema and more, each re-exporting dozens of files. That scan, on top of require() loading the same
 * files, was about an eighth of the CPU a start takes up to its first answer (docs/performance.md). require() loads
 * the same modules, the same objects (`instanceof` holds across both ways of loading), without the scan.
 */
import { createRequire } from 'node:module';
import type * as Botbuilder from 'botbuilder';
import type * as BotConnector from 'botframework-connector';

const load = createRequire(import.meta.url);
const botbuilder = load('botbuilder') as typeof Botbuilder;
const connector = load('botframework-connector') as typeof BotConnector;

export const { ActivityTypes, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, TeamsInfo } =
  botbuilder;
export const TurnContext: typeof Botbuilder.TurnContext = botbuilder.TurnContext;
export type TurnContext = Botbuilder.TurnContext;

export const { AuthenticationConstants } = connector;
export const AuthenticationError: typeof BotConnector.AuthenticationError = connector.AuthenticationError;
export type AuthenticationError = BotConnector.AuthenticationError;
export const ConnectorFactory: typeof BotConnector.ConnectorFactory = connector.ConnectorFactory;
export type ConnectorFactory = BotConnector.ConnectorFactory;
