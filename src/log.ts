/**
 * Structured JSON logs (pino). Redaction is configured here once: authorization headers, tokens, secrets and
 * passwords never reach the output, wherever they appear in a logged object. Per-request context (request id,
 * platform, activity/event id) comes from log-context.ts and is mixed into every line written during that request.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from './config.js';
import { logContext } from './log-context.js';

export type { Logger };

/** Paths pino censors. Wildcards cover one level; adapters log headers under `req.headers`. */
export const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'headers["x-slack-signature"]',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'settings.MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'MicrosoftAppPassword',
  'settings.CertificatePrivateKey',
  '*.CertificatePrivateKey',
  'databaseUrl',
  '*.databaseUrl',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'acr-access-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Request id, platform, activity/event id of the request being handled (log-context.ts).
      mixin: () => logContext(),
    },
    destination,
  );
}
