import type { Diagnosis } from './diagnosis.js';
import type { RegistrySnapshot } from './registry.js';

/**
 * Everything the bot can say, independent of the chat platform. Use cases return a Reply; each platform renders
 * every variant (an exhaustive switch over `type`): Adaptive Card 1.5 for Teams, Block Kit for Slack, text/JSON for
 * the CLI. Renderers escape every string that came from a user or from Azure.
 */
export type Reply =
  /** One or more pasted errors, each explained against the live registry. */
  | { type: 'diagnoses'; diagnoses: Diagnosis[] }
  /** `@bot <registry>` / Show rules: the registry's firewall as it is now. */
  | { type: 'firewall'; registry: RegistrySnapshot }
  /** `@bot help`. */
  | { type: 'help' }
  /**
   * Something the user should know that is not a diagnosis: a registry that cannot be found for a command, Azure
   * throttling or unreachable (retryable), a refused request. `retryable` drives a Try again action.
   */
  | { type: 'notice'; tone: 'info' | 'warning' | 'error'; title: string; text: string; retryable?: boolean };

export type ReplyType = Reply['type'];

/** Compile-time exhaustiveness guard for renderers: `default: return assertNever(reply)`. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(x)}`);
}
