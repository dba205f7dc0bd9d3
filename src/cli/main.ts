#!/usr/bin/env node
/**
 * `acr-access` CLI: parse, diagnose, check, requests, audit, and for CI jobs request and release. Each command lives in its own module and
 * is loaded only when used, so `acr-access parse` never loads the Azure SDK or a database driver.
 */
import { isEntryPoint } from '../entry.js';
import { EXIT, processIO, UsageError, type CliIO } from './io.js';

export type Command = (args: string[], io: CliIO) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  parse: {
    summary: 'parse [FILE|-] [--json]            findings from pasted text (no Azure)',
    load: async () => (await import('./parse.js')).run,
  },
  diagnose: {
    summary: 'diagnose [FILE|-] [--json]         parse, read Azure, explain',
    load: async () => (await import('./diagnose.js')).run,
  },
  check: {
    summary: "check <registry|loginServer> [ip] [--json]   a registry's firewall, and one IP against it",
    load: async () => (await import('./check.js')).run,
  },
  requests: {
    summary: 'requests [--status S] [--json]     access requests',
    load: async () => (await import('./requests.js')).run,
  },
  request: {
    summary: 'request <registry> --reason TEXT [--duration D] [--wait]   a CI job asks for its runner address',
    load: async () => (await import('./request.js')).run,
  },
  release: {
    summary: 'release <request-id>                 end a CI grant early (always-run cleanup step)',
    load: async () => (await import('./release.js')).run,
  },
  audit: {
    summary: 'audit [--registry R] [--since T] [--format jsonl|csv|json] [--json]   the audit log',
    load: async () => (await import('./audit.js')).run,
  },
};

export function usage(): string {
  return `usage: acr-access <command> [options]\n\n${Object.values(COMMANDS)
    .map((c) => `  acr-access ${c.summary}`)
    .join(
      '\n',
    )}\n\nExit codes: 0 done, 2 usage error, 3 Azure or the bot refused or unreachable, 1 anything else;\nrequest and release: 4 refused (token, policy, an approver), 5 timed out waiting, 6 the rule could not be added.\n`;
}

export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`acr-access: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await (await cmd.load())(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`acr-access ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`acr-access ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failure;
  }
}

if (isEntryPoint(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // The Azure SDK keeps HTTPS connections alive for reuse, which would hold the process open long after the
      // answer is printed: exit once stdout and stderr have flushed.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
