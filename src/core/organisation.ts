/**
 * The bot serves one organisation: its own Teams tenant, its own Slack workspace (or Enterprise Grid organisation),
 * unless configuration names others. A message, command or click from anywhere else is refused before it reaches a
 * use case: a Slack user id or an AAD object id is only meaningful inside the organisation that issued it, so an
 * approver's id arriving from another one proves nothing.
 */
import type { Reply } from './reply.js';

/** Where an event says it comes from: every organisation id it carries, and the parent organisation when known. */
export interface Origin {
  /** Teams: the tenant ids the activity names; Slack: the team ids of the workspace and of the user. */
  ids: readonly string[];
  /** Slack Enterprise Grid: the organisation (`E…`) the teams belong to. */
  parent?: string | null;
}

/**
 * True when the event comes from an allowed organisation: every id it carries is allowed, or its parent is. An
 * event that names no organisation at all is refused (fail closed) unless any is allowed.
 */
export function fromAllowedOrganisation(origin: Origin, allowed: readonly string[] | 'any'): boolean {
  if (allowed === 'any') return true;
  if (origin.parent && allowed.includes(origin.parent)) return true;
  return origin.ids.length > 0 && origin.ids.every((id) => allowed.includes(id));
}

export const OTHER_ORGANISATION_TEXT =
  'This bot works only for its own organisation, and this request came from another one. Nothing was changed.';

/** What a person from another organisation is told when they click or use a command. */
export const OTHER_ORGANISATION: Reply = {
  type: 'notice',
  tone: 'warning',
  title: 'Not available here',
  text: OTHER_ORGANISATION_TEXT,
};
