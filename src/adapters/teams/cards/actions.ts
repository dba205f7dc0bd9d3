/**
 * The card buttons. Verbs and data shapes are the contract with the chat handler (IncomingAction): the handler
 * validates `data`, since anyone who can see a card can click it.
 */
import type { Diagnosis } from '../../../core/diagnosis.js';
import { safeUrl } from './escape.js';
import { CAUSE_WORDING } from './labels.js';
import type { CardAction, ExecuteAction, OpenUrlAction } from './types.js';

export const VERBS = {
  requestAccess: 'request_access',
  showRules: 'show_rules',
  retry: 'retry',
} as const;

export function showRules(registryId: string): ExecuteAction {
  return { type: 'Action.Execute', title: 'Show rules', verb: VERBS.showRules, data: { registryId } };
}

export function learnMore(url: string): OpenUrlAction | null {
  const safe = safeUrl(url);
  return safe ? { type: 'Action.OpenUrl', title: 'Learn more', url: safe } : null;
}

/**
 * Request access (only when a fix is requestable), Show rules (when the registry was read), Learn more (the first
 * fix's page, else the cause's).
 */
export function diagnosisActions(d: Diagnosis): CardAction[] {
  const actions: CardAction[] = [];
  const requestable = d.fixes.find((f) => f.requestable);
  if (requestable && d.registry) {
    actions.push({
      type: 'Action.Execute',
      title: 'Request access',
      verb: VERBS.requestAccess,
      style: 'positive',
      data: {
        registryId: d.registry.id,
        loginServer: d.registry.loginServer,
        ip: d.finding.ip,
        rule: requestable.rule ?? null,
      },
    });
  }
  if (d.registry) actions.push(showRules(d.registry.id));
  const more =
    learnMore(d.fixes[0]?.docsUrl ?? CAUSE_WORDING[d.cause].docsUrl) ?? learnMore(CAUSE_WORDING[d.cause].docsUrl);
  if (more) actions.push(more);
  return actions;
}
