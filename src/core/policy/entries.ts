/**
 * The entries a policy lists: approvers (`alice@contoso.com`, `slack:U…`, `teams:<id>`, `group:<id>`, optionally
 * named) and channel selectors (`teams:`, `slack:`, `direct: true`). Each reader reports what is wrong through the
 * Checker and returns what it could read.
 */
import { hasInvisible } from '../text/invisible.js';
import { isObj, type Checker, type PolicyPath } from './checker.js';
import { isEmail, isGuid, isSlackGroupId, isSlackUserId } from './identity.js';
import type { ApproverEntry, ChannelSelector } from './types.js';

const SELECTOR_KEYS = ['teams', 'slack', 'direct'];
/** Slack conversation ids: public (C), private (G) and direct (D) channels. */
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,20}$/;

/**
 * `alice@contoso.com`, `email:`/`upn:alice@contoso.com`, `slack:U0123ABCD` (or a bare `U…`/`W…` id),
 * `teams:<aad object id>`, `group:<entra group object id | Slack user-group id S…>`.
 */
export function parseApprover(text: string): ApproverEntry | { error: string } {
  const t = text.trim();
  const colon = t.indexOf(':');
  const prefix = colon > 0 ? t.slice(0, colon).toLowerCase() : '';
  const rest = colon > 0 ? t.slice(colon + 1).trim() : t;
  if (prefix === 'email' || prefix === 'upn' || (prefix === '' && t.includes('@'))) {
    const e = rest.toLowerCase();
    return isEmail(e) && !e.includes('#ext#')
      ? { kind: 'email', value: e }
      : { error: `"${t}" is not an email address or UPN` };
  }
  if (prefix === 'slack' || (prefix === '' && isSlackUserId(t))) {
    return isSlackUserId(rest) ? { kind: 'slack', value: rest } : { error: `"${t}" is not a Slack user id (U… or W…)` };
  }
  if (prefix === 'teams') {
    return isGuid(rest)
      ? { kind: 'teams', value: rest.toLowerCase() }
      : { error: `"${t}" is not a Teams user's Azure AD object id (a GUID)` };
  }
  if (prefix === 'group') {
    if (isGuid(rest)) return { kind: 'group', value: rest.toLowerCase() };
    if (isSlackGroupId(rest)) return { kind: 'group', value: rest.toLowerCase() };
    return { error: `"${t}" is not an Entra group object id (GUID) or a Slack user-group id (S…)` };
  }
  if (prefix === '' && isGuid(t)) {
    return { error: `"${t}" is ambiguous: write teams:${t} for a user or group:${t} for a group` };
  }
  return { error: `"${t}" is not an approver: use an email/UPN, slack:U…, teams:<object id> or group:<id>` };
}

const APPROVER_KEYS = ['id', 'name'];
const APPROVER_FORMS = 'an email/UPN, slack:U…, teams:<object id> or group:<id>, or { id: …, name: "Display Name" }';

/** One `approvers` item: `teams:<id>`, or `{ id: teams:<id>, name: Megan Bowen }` to name them on cards. */
export function approverItem(c: Checker, item: unknown, path: PolicyPath): ApproverEntry | null {
  const text = isObj(item) ? item.id : item;
  if (typeof text !== 'string') {
    c.add(path, `must be ${APPROVER_FORMS}`);
    return null;
  }
  const e = parseApprover(text);
  if ('error' in e) {
    c.add(isObj(item) ? [...path, 'id'] : path, e.error);
    return null;
  }
  if (!isObj(item)) return e;
  c.knownKeys(item, path, APPROVER_KEYS);
  if (!('name' in item)) return e;
  const name = typeof item.name === 'string' ? item.name.trim() : '';
  if (name === '' || name.length > 80 || /[\n\t]/.test(name) || hasInvisible(name)) {
    c.add([...path, 'name'], 'must be a display name of 1 to 80 printable characters');
    return e;
  }
  return { ...e, name };
}

export function parseSelector(
  c: Checker,
  v: unknown,
  path: PolicyPath,
  extraKeys: readonly string[],
): ChannelSelector | undefined {
  if (!isObj(v)) {
    c.add(path, 'must be a map with one of teams: <conversation id>, slack: <channel id> or direct: true');
    return undefined;
  }
  c.knownKeys(v, path, [...SELECTOR_KEYS, ...extraKeys]);
  const present = SELECTOR_KEYS.filter((k) => k in v);
  if (present.length !== 1) {
    c.add(
      path,
      `must name exactly one of teams, slack or direct (found ${present.length === 0 ? 'none' : present.join(', ')})`,
    );
    return undefined;
  }
  const key = present[0]!;
  const value = v[key];
  if (key === 'direct') {
    if (value !== true) c.add([...path, key], 'must be true (direct: true selects 1:1 chats with the bot)');
    return value === true ? { kind: 'direct' } : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || /\s/.test(value.trim())) {
    c.add(
      [...path, key],
      key === 'slack'
        ? 'must be a Slack channel id like C0123ABCD'
        : 'must be a Teams conversation or channel id like 19:…@thread.tacv2',
    );
    return undefined;
  }
  const id = value.trim();
  if (key === 'slack') {
    if (!SLACK_CHANNEL.test(id)) {
      c.add([...path, key], `must be a Slack channel id (C…, G… or D…), not "${id}"; a #name is not stable`);
      return undefined;
    }
    return { kind: 'slack', id };
  }
  return { kind: 'teams', id: normaliseTeamsId(id) };
}

/** Teams thread conversation ids carry `;messageid=…`; the channel is the part before it. */
export function normaliseTeamsId(id: string): string {
  const semi = id.indexOf(';');
  return (semi >= 0 ? id.slice(0, semi) : id).trim();
}
