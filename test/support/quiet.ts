/**
 * Test output stays quiet unless something fails. Some tests provoke output on purpose: a forged Bot Framework token
 * makes botbuilder print the key it looked for and the jsonwebtoken error with its stack through `console.error`; the
 * one-user Agents Playground makes the bot warn that it cannot DM an approver. That output is held back here, per
 * test, and written to stderr when the test fails, so nothing that explains a failure is lost.
 *
 * Only what a file says it expects is held: console calls that match none of its patterns print as usual.
 */
import type { DestinationStream } from 'pino';
import { beforeEach } from 'vitest';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** What botframework-connector's JwtTokenExtractor prints when it refuses a token (it logs with console.error). */
export const BOTBUILDER_REFUSED_TOKEN = [
  /^Error finding key for token\. Available keys: /,
  /^(JsonWebTokenError|TokenExpiredError|NotBeforeError): /,
];

export function formatConsoleArgs(args: unknown[]): string {
  return args
    .map((a) =>
      a instanceof Error ? (a.stack ?? `${a.name}: ${a.message}`) : typeof a === 'string' ? a : JSON.stringify(a),
    )
    .join(' ');
}

/**
 * Replaces the console methods until the returned function is called: a call whose text matches one of `patterns`
 * goes to `hold`, any other call is printed as before.
 */
export function divertConsole(patterns: readonly RegExp[], hold: (text: string) => void): () => void {
  const originals = METHODS.map((m) => console[m]);
  METHODS.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      const text = formatConsoleArgs(args);
      if (patterns.some((p) => p.test(text))) hold(text);
      else originals[i]!(...args);
    };
  });
  return () => {
    for (const [i, m] of METHODS.entries()) console[m] = originals[i]!;
  };
}

export interface HeldOutput {
  /** A pino destination whose lines are held like the console's (for a logger the test does not assert on). */
  log: DestinationStream;
}

/**
 * Call once at the top level of a test file. For each test: console calls matching `console` and every line written
 * to `log` are held, and printed to stderr only if that test fails.
 */
export function holdTestOutput(options: { console?: readonly RegExp[] } = {}): HeldOutput {
  let held: string[] = [];
  beforeEach(({ onTestFailed }) => {
    const mine: string[] = [];
    held = mine;
    const restore = options.console ? divertConsole(options.console, (t) => mine.push(t)) : null;
    onTestFailed(() => {
      if (mine.length > 0)
        process.stderr.write(`--- output held back during the failed test ---\n${mine.join('\n')}\n`);
    });
    return () => restore?.();
  });
  return { log: { write: (line: string) => void held.push(line.trimEnd()) } };
}
