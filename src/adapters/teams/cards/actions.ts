/**
 * The card buttons. Verbs and data shapes are the contract with the chat handler (IncomingAction): the handler
 * validates `data`, since anyone who can see a card can click it. Labels are core's (core/diagnose/words.ts).
 * Show rules and Details are Action.ToggleVisibility: the client shows the hidden part of the same card to whoever
 * clicks, so nothing replaces the diagnosis, for them or for anyone else.
 */
import type { DiagnosisView } from '../../../core/diagnose/view.js';
import { DIAGNOSIS_WORDS } from '../../../core/diagnose/words.js';
import { safeUrl } from './escape.js';
import type { ActionSet, CardAction, OpenUrlAction, ToggleVisibilityAction } from './types.js';

export const VERBS = {
  requestAccess: 'request_access',
  showRules: 'show_rules',
  retry: 'retry',
} as const;

export function learnMore(url: string): OpenUrlAction | null {
  const safe = safeUrl(url);
  return safe ? { type: 'Action.OpenUrl', title: DIAGNOSIS_WORDS.learnMore, url: safe } : null;
}

export function toggle(title: string, id: string): ToggleVisibilityAction {
  return { type: 'Action.ToggleVisibility', title, targetElements: [id] };
}

/** The way back at the bottom of a shown part: "Hide details", "Hide rules". */
export function hideRow(title: string, id: string): ActionSet {
  return { type: 'ActionSet', actions: [toggle(title, id)], spacing: 'Small' };
}

/** Ids of the hidden parts of one section: Details and Show rules toggle them. Null: that part is not there. */
export interface HiddenParts {
  details: string | null;
  rules: string | null;
}

/** Request access (when the view offers it), Show rules (when the registry was read), Learn more, Details. */
export function diagnosisActions(v: DiagnosisView, hidden: HiddenParts): CardAction[] {
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
  if (v.showRules && hidden.rules) actions.push(toggle(DIAGNOSIS_WORDS.showRules, hidden.rules));
  const more = learnMore(v.learnMore) ?? learnMore(v.causeDocs);
  if (more) actions.push(more);
  if (hidden.details) actions.push(toggle(DIAGNOSIS_WORDS.details, hidden.details));
  return actions;
}
