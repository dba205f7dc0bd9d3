/**
 * Bolt and the Web API client log through our pino logger (structured JSON, redaction in one place), not to the
 * console. Bolt writes strings; errors are logged by message only, so no request body or token is ever printed.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';

function text(parts: unknown[]): string {
  return parts
    .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : (JSON.stringify(p) ?? String(p))))
    .join(' ')
    .slice(0, 2000);
}

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack-bolt' });
  return {
    debug: (...m: unknown[]) => log.debug(text(m)),
    info: (...m: unknown[]) => log.info(text(m)),
    warn: (...m: unknown[]) => log.warn(text(m)),
    error: (...m: unknown[]) => log.error(text(m)),
    setLevel: () => {},
    getLevel: () => LEVELS[logger.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
