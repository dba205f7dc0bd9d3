/**
 * The card buttons. Verbs and data shapes are the contract with the chat handler (IncomingAction): the handler
 * validates `data`, since anyone who can see a card can click it. Labels are core's (core/diagnose/words.ts).
 */
import type { DiagnosisView } from '../../../core/diagnose/view.js';
import { DIAGNOSIS_WORDS } from '../../../core/diagnose/words.js';
import { safeUrl } from './escape.js';
import type { CardAction, ExecuteAction, OpenUrlAction } from './types.js';

export const VERBS = {
  requestAccess: 'request_access',
  showRules: 'show_rules',
  retry: 'retry',
} as const;

export function showRules(registryId: string): ExecuteAction {
  return { type: 'Action.Execute', title: DIAGNOSIS_WORDS.showRules, verb: VERBS.showRules, data: { registryId } };
}

export function learnMore(url: string): OpenUrlAction | null {
  const safe = safeUrl(url);
  return safe ? { type: 'Action.OpenUrl', title: DIAGNOSIS_WORDS.learnMore, url: safe } : null;
}

/** Request access (when the view offers it), Show rules (when the registry was read), Learn more. */
export function diagnosisActions(v: DiagnosisView): CardAction[] {
  const actions: CardAction[] = [];
  if (v.requestAccess) {
    const { registryId, loginServer, ip, rule } = v.requestAccess;
    actions.push({
      type: 'Action.Execute',
      title: DIAGNOSIS_WORDS.requestAccess,
      verb: VERBS.requestAccess,
      style: 'positive',
      data: { registryId, loginServer, ip, rule },
    });
  }
  if (v.showRules) actions.push(showRules(v.showRules.registryId));
  const more = learnMore(v.learnMore) ?? learnMore(v.causeDocs);
  if (more) actions.push(more);
  return actions;
}
