/**
 * The registry gateway for CLI commands, built from the same configuration as the bot (AZURE_* variables; the
 * emulator's AZURE_RESOURCE_MANAGER_ENDPOINT + AZURE_EMULATOR_CA in tests). Logs go to stderr, quietly.
 */
import { pino } from 'pino';
import { createAzureGateway } from '../adapters/azure/index.js';
import type { AzureError } from '../app/azure-error.js';
import type { RegistryGateway } from '../app/ports.js';
import { createLogger } from '../log.js';
import { cliConfig, EXIT, type CliIO } from './io.js';

export async function openGateway(io: CliIO): Promise<RegistryGateway> {
  const config = cliConfig(io);
  // Only warnings and errors by default: stdout carries the answer, stderr should stay readable.
  const level =
    config.logLevel === 'debug' || config.logLevel === 'trace' || config.logLevel === 'silent'
      ? config.logLevel
      : 'warn';
  const logger = createLogger(level, pino.destination({ fd: 2, sync: true }));
  return createAzureGateway({ azure: config.azure, logger });
}

/** Exit 3 with what Azure said (Azure refused or unreachable). */
export function azureFailure(err: AzureError, command: string, io: CliIO): number {
  const status =
    err.details.statusCode !== undefined
      ? ` (HTTP ${err.details.statusCode}${err.details.code ? ` ${err.details.code}` : ''})`
      : '';
  const retry = err.retryable
    ? err.details.retryAfterSeconds !== undefined
      ? `; retry after ${err.details.retryAfterSeconds} s`
      : '; temporary, try again'
    : '';
  io.stderr(`acr-access ${command}: Azure ${err.kind.replace('_', ' ')}${status}: ${err.message}${retry}\n`);
  return EXIT.azure;
}
