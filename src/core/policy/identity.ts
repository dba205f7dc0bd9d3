/**
 * Who is clicking, and is that an approver? The rules:
 * - Teams users are identified by their Azure AD object id (`from.aadObjectId`), with their UPN as email;
 *   Slack users by their user id, with the email `users.info` returns. Both emails come from the platform's
 *   directory, never from message text, so they count as verified.
 * - An actor matches an approver entry only by a stable id (`teams:`, `slack:`), a verified email, or a group the
 *   chat adapter resolved. Display names never match.
 * - Anything ambiguous fails closed: no id, an id of the wrong shape for its platform, a CLI user, a guest UPN
 *   (`…#EXT#@…`, which is not the person's own address), an email that is not exactly one address.
 */
import type { Actor } from '../actor.js';
import type { ApproverEntry, Refusal } from './types.js';

/**
 * Azure AD object ids are GUIDs. The last group may have 13 digits because the Microsoft 365 Agents Playground's
 * sample users carry ids like 00000000-0000-0000-0000-0000000000020, and demos must be able to name them; a Teams
 * channel account id (`29:…`) never has this shape, so it still fails closed.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;
/** Slack user ids: `U…`, or `W…` on Enterprise Grid. */
const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;
/** Slack user-group ids. */
const SLACK_GROUP = /^S[A-Z0-9]{2,20}$/;
/** One address, no spaces or list separators; bounded length keeps the check linear. */
const EMAIL = /^[^\s@,;<>()]{1,64}@[^\s@,;<>()]{1,253}$/;

export function isGuid(text: string): boolean {
  return GUID.test(text);
}
export function isSlackUserId(text: string): boolean {
  return SLACK_USER.test(text);
}
export function isSlackGroupId(text: string): boolean {
  return SLACK_GROUP.test(text);
}
export function isEmail(text: string): boolean {
  return text.length <= 320 && EMAIL.test(text) && text.slice(text.indexOf('@') + 1).includes('.');
}

/** The identity facts of an actor that policy may rely on. */
export interface VerifiedIdentity {
  platform: 'teams' | 'slack';
  /** Teams AAD object id (lower-case) or Slack user id. */
  id: string;
  /** Directory email/UPN, lower-case; null when absent or not trustworthy for matching. */
  email: string | null;
  /** Resolved group ids; null when the adapter could not resolve them (group entries then never match). */
  groups: string[] | null;
}

export type IdentityCheck = { ok: true; identity: VerifiedIdentity } | Refusal<'unknown_identity'>;

/** Fail closed on anything we cannot tie to one directory identity. */
export function verifyIdentity(actor: Actor): IdentityCheck {
  const refuse = (reason: string): Refusal<'unknown_identity'> => ({ ok: false, code: 'unknown_identity', reason });
  if (actor.platform === 'cli')
    return refuse('Requests and approvals are made in Teams or Slack, where the bot can tell who you are.');
  const id = typeof actor.id === 'string' ? actor.id.trim() : '';
  if (actor.platform === 'teams' && !isGuid(id)) {
    return refuse(
      'Your Teams account has no Azure AD object id the bot can verify (guest or anonymous accounts cannot request or approve).',
    );
  }
  if (actor.platform === 'slack' && !isSlackUserId(id)) {
    return refuse('The bot could not verify your Slack user id, so it cannot check your permissions.');
  }
  let email: string | null = null;
  if (typeof actor.email === 'string') {
    const e = actor.email.trim().toLowerCase();
    // A Teams guest's UPN is the home address mangled into the host tenant (alice_contoso.com#EXT#@host): not theirs.
    if (isEmail(e) && !e.includes('#ext#')) email = e;
  }
  const groups = Array.isArray(actor.groups)
    ? actor.groups.map((g) => g.trim().toLowerCase()).filter((g) => g.length > 0)
    : null;
  return {
    ok: true,
    identity: { platform: actor.platform, id: actor.platform === 'teams' ? id.toLowerCase() : id, email, groups },
  };
}

/** The approver entry this identity matches, or null. Stable ids first, then email, then groups. */
export function matchApprover(identity: VerifiedIdentity, entries: readonly ApproverEntry[]): ApproverEntry | null {
  const byId = entries.find(
    (e) => (e.kind === 'teams' || e.kind === 'slack') && e.kind === identity.platform && e.value === identity.id,
  );
  if (byId) return byId;
  if (identity.email !== null) {
    const byEmail = entries.find((e) => e.kind === 'email' && e.value === identity.email);
    if (byEmail) return byEmail;
  }
  if (identity.groups !== null && identity.groups.length > 0) {
    const byGroup = entries.find((e) => e.kind === 'group' && identity.groups!.includes(e.value));
    if (byGroup) return byGroup;
  }
  return null;
}

/** The person as stored on a request: enough to recognise them again on either platform. */
export interface PartyLike {
  platform: string;
  id: string;
  email: string | null;
}

/**
 * Same person? Same platform and id, or the same directory email (someone who requested in Slack and approves in
 * Teams is still approving their own request). Errs towards "same", which is the safe side for self-approval.
 */
export function samePerson(a: PartyLike, b: PartyLike): boolean {
  if (a.platform === b.platform && a.id.toLowerCase() === b.id.toLowerCase()) return true;
  const ea = a.email?.trim().toLowerCase();
  const eb = b.email?.trim().toLowerCase();
  return ea !== undefined && ea !== '' && ea === eb;
}

/** An approver for people to read: the policy's name for them, else what the entry says. */
export function describeApprover(e: ApproverEntry): string {
  if (e.name) return e.name;
  switch (e.kind) {
    case 'email':
      return e.value;
    case 'slack':
      return `Slack user ${e.value}`;
    case 'teams':
      return `Teams user ${e.value}`;
    case 'group':
      return `group ${e.value}`;
  }
}
