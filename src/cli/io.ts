import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config.js';

/**
 * Exit codes (the README's "Command line"): 0 done, 2 usage error, 3 Azure (or the bot) refused or unreachable, 1
 * anything else; `request` and `release` add 4 refused (token, policy, an approver), 5 timed out waiting, 6 the rule
 * could not be applied.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, azure: 3, refused: 4, timeout: 5, notApplied: 6 } as const;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whole stdin, read lazily (only when a command is given `-` or no file). */
  stdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
  cwd: process.cwd(),
};

/** `FILE`, `-` or nothing (stdin). */
export async function readInput(file: string | undefined, io: CliIO): Promise<string> {
  if (file === undefined || file === '-') return io.stdin();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** The bot's configuration for a CLI command: the same variables, and a problem with them is a usage error (exit 2). */
export function cliConfig(io: CliIO): Config {
  try {
    return loadConfig(io.env, { cwd: io.cwd });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/** An option parser's complaint (unknown option, missing value) as a usage error with the command's usage line. */
export function usageOnError<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}
