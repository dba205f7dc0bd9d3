import type { AuditView, DecisionFormView, RequestFormView, RequestView } from './approval-views.js';
import type { Diagnosis } from './diagnosis.js';
import type { HygieneView } from './quota/view-types.js';
import type { RegistrySnapshot } from './registry.js';

/**
 * Everything the bot can say, independent of the chat platform. Use cases return a Reply; each platform renders
 * every variant (an exhaustive switch over `type`): Adaptive Card 1.5 for Teams, Block Kit for Slack, text/JSON for
 * the CLI. Renderers escape every string that came from a user or from Azure.
 */
export type Reply =
  /**
   * One or more pasted errors, each explained against the live registry. Compact by default: the cause, the verdict
   * and the main actions first, the evidence and every fix behind Details. `expanded`: everything at once (the
   * answer to a Details click where the platform cannot hide parts of a message).
   */
  | { type: 'diagnoses'; diagnoses: Diagnosis[]; expanded?: boolean }
  /** `@bot <registry>` / Show rules: the registry's firewall as it is now, and which of its rules could go. */
  | { type: 'firewall'; registry: RegistrySnapshot; hygiene?: HygieneView }
  /** `@bot help`. */
  | { type: 'help' }
  /**
   * Something the user should know that is not a diagnosis: a registry that cannot be found for a command, Azure
   * throttling or unreachable (retryable), a refused request. `retryable` drives a Try again action.
   */
  | { type: 'notice'; tone: 'info' | 'warning' | 'error'; title: string; text: string; retryable?: boolean }
  /** Request access: the form (reason, duration, break-glass) before a request exists. */
  | { type: 'request_form'; form: RequestFormView }
  /** Deny / narrow / extend / revoke: the one more answer a decision needs. */
  | { type: 'decision_form'; form: DecisionFormView }
  /** One access request's card, in the state it is in now; the same card is updated in place as it moves. */
  | { type: 'request'; view: RequestView }
  /**
   * `@bot requests`: requests (pending ones first), each a compact entry. A snapshot (`note` says so): it is never
   * updated and carries no buttons; each request's own card stays current.
   */
  | { type: 'requests'; title: string; note: string; views: RequestView[] }
  /** `@bot audit <registry>`: recent audit events. */
  | { type: 'audit'; view: AuditView };

/** Compile-time exhaustiveness guard for renderers: `default: return assertNever(reply)`. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(x)}`);
}
