/**
 * Validation of a policy document (already parsed from YAML into plain values) into a Policy. Pure: the loader in
 * adapters/policy turns each issue's key path into a file line. Every problem is collected, not just the first, and
 * each names the key path (`registries[1].minApprovals`) and what a valid value looks like.
 */
import { hasInvisible } from '../text/invisible.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import { Checker, isObj, parsePatterns, type Obj, type PolicyIssue, type PolicyPath } from './checker.js';
import { formatDuration } from './duration.js';
import { isEmail, isGuid, isSlackGroupId, isSlackUserId } from './identity.js';
import type { ApproverEntry, ChannelRule, ChannelSelector, Policy, RegistryPolicy, RegistryRule } from './types.js';
import { readCi } from './validate-ci.js';

export { formatPath, type PolicyIssue, type PolicyPath } from './checker.js';

export type PolicyValidation = { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] };

export const POLICY_VERSION = 1;

const TOP_KEYS = ['version', 'defaults', 'registries', 'channels', 'ci'];
const SETTING_KEYS = [
  'approvers',
  'minApprovals',
  'selfApproval',
  'breakGlass',
  'duration',
  'allowPermanent',
  'broadestPrefix',
  'requireReason',
  'requireTicket',
  'pendingTimeout',
  'reminderInterval',
  'notify',
];
const BREAK_GLASS_KEYS = ['enabled', 'maxDuration', 'allowedFor'];
const DURATION_KEYS = ['default', 'max'];
const NOTIFY_KEYS = ['channels', 'directMessages'];
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
function approverItem(c: Checker, item: unknown, path: PolicyPath): ApproverEntry | null {
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

function parseSelector(
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

function readSettings(
  c: Checker,
  obj: Obj,
  path: PolicyPath,
  base: RegistryPolicy,
  source: string,
  extraKeys: readonly string[],
): RegistryPolicy {
  c.knownKeys(obj, path, [...SETTING_KEYS, ...extraKeys]);
  // Copy every nested object: the result must never alias DEFAULT_SETTINGS or another entry.
  const s: RegistryPolicy = {
    ...base,
    source,
    approvers: [...base.approvers],
    breakGlass: { ...base.breakGlass },
    durations: { ...base.durations },
    notify: { channels: [...base.notify.channels], directMessages: base.notify.directMessages },
  };
  const at = (key: string): PolicyPath => [...path, key];

  if ('approvers' in obj) {
    const items = c.list(obj.approvers, at('approvers'));
    if (items) {
      const entries: ApproverEntry[] = [];
      items.forEach((item, i) => {
        const e = approverItem(c, item, [...at('approvers'), i]);
        if (e && !entries.some((x) => x.kind === e.kind && x.value === e.value)) entries.push(e);
      });
      s.approvers = entries;
    }
  }
  if ('minApprovals' in obj)
    s.minApprovals =
      c.int(obj.minApprovals, at('minApprovals'), 1, 20, 'must be a positive integer (1 to 20)') ?? s.minApprovals;
  if ('selfApproval' in obj) s.selfApproval = c.bool(obj.selfApproval, at('selfApproval')) ?? s.selfApproval;
  if ('allowPermanent' in obj) s.allowPermanent = c.bool(obj.allowPermanent, at('allowPermanent')) ?? s.allowPermanent;
  if ('requireReason' in obj) s.requireReason = c.bool(obj.requireReason, at('requireReason')) ?? s.requireReason;
  if ('requireTicket' in obj) s.requireTicket = c.bool(obj.requireTicket, at('requireTicket')) ?? s.requireTicket;
  if ('broadestPrefix' in obj) {
    s.broadestPrefix =
      c.int(
        obj.broadestPrefix,
        at('broadestPrefix'),
        1,
        32,
        'must be a prefix length from 1 to 32 (32 = single addresses; 0.0.0.0/0 is never allowed)',
      ) ?? s.broadestPrefix;
  }
  if ('pendingTimeout' in obj)
    s.pendingTimeoutMs = c.duration(obj.pendingTimeout, at('pendingTimeout')) ?? s.pendingTimeoutMs;
  if ('reminderInterval' in obj) {
    const r = c.duration(obj.reminderInterval, at('reminderInterval'), { allowOff: true });
    if (r !== undefined) s.reminderIntervalMs = r;
  }
  if ('duration' in obj) {
    const d = obj.duration;
    if (!isObj(d)) c.add(at('duration'), 'must be a map with default and/or max, e.g. { default: 4h, max: 1d }');
    else {
      c.knownKeys(d, at('duration'), DURATION_KEYS);
      if ('default' in d)
        s.durations.defaultMs = c.duration(d.default, [...at('duration'), 'default']) ?? s.durations.defaultMs;
      if ('max' in d) s.durations.maxMs = c.duration(d.max, [...at('duration'), 'max']) ?? s.durations.maxMs;
    }
  }
  if ('breakGlass' in obj) {
    const b = obj.breakGlass;
    if (!isObj(b)) c.add(at('breakGlass'), 'must be a map: { enabled: true, maxDuration: 1h, allowedFor: approvers }');
    else {
      const bp = at('breakGlass');
      c.knownKeys(b, bp, BREAK_GLASS_KEYS);
      if ('enabled' in b) s.breakGlass.enabled = c.bool(b.enabled, [...bp, 'enabled']) ?? s.breakGlass.enabled;
      if ('maxDuration' in b)
        s.breakGlass.maxDurationMs = c.duration(b.maxDuration, [...bp, 'maxDuration']) ?? s.breakGlass.maxDurationMs;
      if ('allowedFor' in b) {
        if (b.allowedFor === 'approvers' || b.allowedFor === 'requesters') s.breakGlass.allowedFor = b.allowedFor;
        else c.add([...bp, 'allowedFor'], 'must be approvers or requesters');
      }
    }
  }
  if ('notify' in obj) {
    const n = obj.notify;
    if (!isObj(n)) c.add(at('notify'), 'must be a map: { channels: [...], directMessages: true }');
    else {
      const np = at('notify');
      c.knownKeys(n, np, NOTIFY_KEYS);
      if ('directMessages' in n)
        s.notify.directMessages = c.bool(n.directMessages, [...np, 'directMessages']) ?? s.notify.directMessages;
      if ('channels' in n) {
        const items = c.list(n.channels, [...np, 'channels']);
        if (items) {
          const out: ChannelSelector[] = [];
          items.forEach((item, i) => {
            const sel = parseSelector(c, item, [...np, 'channels', i], []);
            if (sel?.kind === 'direct')
              c.add([...np, 'channels', i], 'cannot be direct: use notify.directMessages to DM approvers');
            else if (sel) out.push(sel);
          });
          s.notify.channels = out;
        }
      }
    }
  }
  return s;
}

/** Consistency of one resolved settings block; issues point at `path` (the block that resolved it). */
function crossCheck(c: Checker, s: RegistryPolicy, path: PolicyPath): void {
  if (s.durations.defaultMs > s.durations.maxMs) {
    c.add(
      [...path, 'duration', 'default'],
      `(${formatDuration(s.durations.defaultMs)}) must not exceed duration.max (${formatDuration(s.durations.maxMs)})`,
    );
  }
  if (s.breakGlass.enabled && s.breakGlass.maxDurationMs > s.durations.maxMs) {
    c.add(
      [...path, 'breakGlass', 'maxDuration'],
      `(${formatDuration(s.breakGlass.maxDurationMs)}) must not exceed duration.max (${formatDuration(s.durations.maxMs)})`,
    );
  }
  const individuals = s.approvers.filter((a) => a.kind !== 'group').length;
  const hasGroups = s.approvers.some((a) => a.kind === 'group');
  if (s.approvers.length > 0 && !hasGroups && individuals < s.minApprovals) {
    c.add(
      [...path, 'minApprovals'],
      `(${s.minApprovals}) is more than the ${individuals} approver(s) listed, so no request could ever be approved`,
    );
  }
}

export function validatePolicy(raw: unknown, file: string | null = null): PolicyValidation {
  const c = new Checker();
  if (!isObj(raw)) {
    c.add([], 'must be a YAML map with version, defaults, registries and channels (see policy.example.yaml)');
    return { ok: false, issues: c.issues };
  }
  c.knownKeys(raw, [], TOP_KEYS);
  if (!('version' in raw)) c.add(['version'], `is required: add "version: ${POLICY_VERSION}" at the top`);
  else if (raw.version !== POLICY_VERSION)
    c.add(['version'], `must be ${POLICY_VERSION} (this bot understands policy version ${POLICY_VERSION} only)`);

  let defaults: RegistryPolicy = { ...DEFAULT_SETTINGS };
  if ('defaults' in raw) {
    if (!isObj(raw.defaults)) c.add(['defaults'], 'must be a map of settings (approvers, minApprovals, duration, …)');
    else defaults = readSettings(c, raw.defaults, ['defaults'], DEFAULT_SETTINGS, 'defaults', []);
  }
  crossCheck(c, defaults, ['defaults']);

  const registries: RegistryRule[] = [];
  if ('registries' in raw) {
    const items = c.list(raw.registries, ['registries']);
    items?.forEach((item, i) => {
      const p: PolicyPath = ['registries', i];
      if (!isObj(item)) {
        c.add(p, 'must be a map with match: and the settings that differ from defaults');
        return;
      }
      if (!('match' in item)) {
        c.add(p, 'needs match: a registry name glob or resource-id prefix (or a list of them)');
        return;
      }
      const match = parsePatterns(c, item.match, [...p, 'match']);
      const policy = readSettings(c, item, p, defaults, `registries[${i}]`, ['match']);
      crossCheck(c, policy, p);
      if (match) registries.push({ match, policy });
    });
  }

  let channels: ChannelRule[] | null = null;
  if ('channels' in raw) {
    const items = c.list(raw.channels, ['channels']);
    if (items) {
      channels = [];
      items.forEach((item, i) => {
        const p: PolicyPath = ['channels', i];
        const selector = parseSelector(c, item, p, ['registries']);
        if (!isObj(item)) return;
        if (!('registries' in item)) {
          c.add(
            p,
            'needs registries: the registry globs or resource-id prefixes this channel may request for ("*" for all)',
          );
          return;
        }
        const pats = parsePatterns(c, item.registries, [...p, 'registries']);
        if (selector && pats) channels!.push({ selector, registries: pats, source: `channels[${i}]` });
      });
    }
  }

  const ci = 'ci' in raw ? readCi(c, raw.ci) : null;

  const anyApprovers = defaults.approvers.length > 0 || registries.some((r) => r.policy.approvers.length > 0);
  if (c.issues.length === 0 && !anyApprovers) {
    c.add(
      ['defaults', 'approvers'],
      'is empty and no registries entry names approvers, so no request could ever be approved',
    );
  }

  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  return { ok: true, policy: { configured: true, file, defaults, registries, channels, ci } };
}
