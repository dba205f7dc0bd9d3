/**
 * The policy's auto-approval parts: top-level `groups:` (named lists of people) and each settings block's
 * `autoApprove:` rules. A rule that could never match (an empty or inverted-to-nothing window, an unknown weekday or
 * time zone, an unknown or empty group) and a rule that would approve anybody from anywhere (no requester and no
 * owner condition) are refused, each with its key path.
 */
import { hasInvisible } from '../text/invisible.js';
import { isObj, type Checker, type PolicyPath } from './checker.js';
import { formatDuration } from './duration.js';
import { parseApprover } from './entries.js';
import { isGuid } from './identity.js';
import type { ApproverEntry, AutoApproveRule, OwnerCondition, RegistryPolicy, TimeWindow, Weekday } from './types.js';
import { isTimeZone, isWeekday, parseTimeOfDay } from './window.js';

const GROUP_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
const RULE_KEYS = ['name', 'requesters', 'groups', 'owner', 'maxDuration', 'window'];
const OWNER_KEYS = ['subscriptions', 'resourceGroups', 'aksClusters'];
const WINDOW_KEYS = ['days', 'from', 'to', 'timeZone'];
/** Resource-group names: letters, digits, `._-()`; plus the wildcards. */
const RG_GLOB = /^[a-z0-9._()*?-]{1,90}$/;
/** AKS cluster names: letters, digits, `-_`; plus the wildcards. */
const AKS_GLOB = /^[a-z0-9_*?-]{1,63}$/;

/** One person (email, slack:, teams:) for a requester list or a group; `group:` needs a directory the bot lacks. */
function person(c: Checker, item: unknown, path: PolicyPath): ApproverEntry | null {
  if (typeof item !== 'string') {
    c.add(path, 'must be an email/UPN, slack:U… or teams:<object id>');
    return null;
  }
  const e = parseApprover(item);
  if ('error' in e) {
    c.add(path, e.error);
    return null;
  }
  if (e.kind === 'group') {
    c.add(
      path,
      'cannot be a directory group here (the bot cannot see group membership when a request is made): list the people under the top-level groups: and name that group in groups:',
    );
    return null;
  }
  return e;
}

function people(c: Checker, v: unknown, path: PolicyPath): ApproverEntry[] | undefined {
  const items = c.list(v, path);
  if (!items) return undefined;
  if (items.length === 0) {
    c.add(path, 'is empty, so it could never match anyone: list people or leave the key out');
    return undefined;
  }
  const out: ApproverEntry[] = [];
  items.forEach((item, i) => {
    const e = person(c, item, [...path, i]);
    if (e && !out.some((x) => x.kind === e.kind && x.value === e.value)) out.push(e);
  });
  return out;
}

/** Top-level `groups:`: `{ <name>: [people…] }`. */
export function readGroups(c: Checker, v: unknown): Record<string, ApproverEntry[]> {
  const out: Record<string, ApproverEntry[]> = {};
  if (!isObj(v)) {
    c.add(['groups'], 'must be a map of group names to lists of people, e.g. { oncall: [alice@contoso.com] }');
    return out;
  }
  for (const [name, members] of Object.entries(v)) {
    if (!GROUP_NAME.test(name)) {
      c.add(['groups', name], 'is not a group name: use letters, digits, . _ and - (at most 63)');
      continue;
    }
    const list = people(c, members, ['groups', name]);
    if (list) out[name.toLowerCase()] = list;
  }
  return out;
}

function globs(c: Checker, v: unknown, path: PolicyPath, shape: RegExp, what: string): string[] | undefined {
  const items = typeof v === 'string' ? [v] : c.list(v, path);
  if (!items) return undefined;
  if (items.length === 0) {
    c.add(path, 'is empty, so it could never match: list at least one or leave the key out');
    return undefined;
  }
  const out: string[] = [];
  items.forEach((item, i) => {
    const t = typeof item === 'string' ? item.trim().toLowerCase() : '';
    if (!shape.test(t)) c.add(typeof v === 'string' ? path : [...path, i], `must be ${what}`);
    else out.push(t);
  });
  return out;
}

function readOwner(c: Checker, v: unknown, path: PolicyPath): OwnerCondition | undefined {
  if (!isObj(v)) {
    c.add(path, 'must be a map with subscriptions, resourceGroups and/or aksClusters');
    return undefined;
  }
  c.knownKeys(v, path, OWNER_KEYS);
  if (!OWNER_KEYS.some((k) => k in v)) {
    c.add(path, 'names no subscription, resource group or AKS cluster, so it narrows nothing');
    return undefined;
  }
  const owner: OwnerCondition = { subscriptions: [], resourceGroups: [], aksClusters: [] };
  if ('subscriptions' in v) {
    const subs = globs(c, v.subscriptions, [...path, 'subscriptions'], /^.+$/, 'a subscription id (a GUID)');
    subs?.forEach((s, i) => {
      if (isGuid(s)) owner.subscriptions.push(s);
      else c.add([...path, 'subscriptions', i], 'must be a subscription id (a GUID)');
    });
    if (owner.subscriptions.length === 0) return undefined;
  }
  if ('resourceGroups' in v) {
    const rgs = globs(c, v.resourceGroups, [...path, 'resourceGroups'], RG_GLOB, 'a resource-group name glob (rg-*)');
    if (!rgs) return undefined;
    owner.resourceGroups = rgs;
  }
  if ('aksClusters' in v) {
    const aks = globs(c, v.aksClusters, [...path, 'aksClusters'], AKS_GLOB, 'an AKS cluster name glob (aks-prod-*)');
    if (!aks) return undefined;
    owner.aksClusters = aks;
  }
  return owner;
}

function readWindow(c: Checker, v: unknown, path: PolicyPath): TimeWindow | undefined {
  if (!isObj(v)) {
    c.add(
      path,
      'must be a map: { days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00", timeZone: Europe/Berlin }',
    );
    return undefined;
  }
  c.knownKeys(v, path, WINDOW_KEYS);
  let ok = true;
  for (const k of WINDOW_KEYS)
    if (!(k in v)) {
      c.add([...path, k], 'is required in a window');
      ok = false;
    }
  if (!ok) return undefined;
  const days: Weekday[] = [];
  const items = c.list(v.days, [...path, 'days']);
  if (items?.length === 0) c.add([...path, 'days'], 'is empty, so the rule could never match');
  items?.forEach((d, i) => {
    if (!isWeekday(d)) c.add([...path, 'days', i], 'must be a weekday: mon, tue, wed, thu, fri, sat or sun');
    else if (!days.includes(d.trim().toLowerCase() as Weekday)) days.push(d.trim().toLowerCase() as Weekday);
  });
  const from = parseTimeOfDay(v.from);
  const to = parseTimeOfDay(v.to);
  if (from === null || from === 24 * 60) c.add([...path, 'from'], 'must be a time of day like "08:00" (24-hour clock)');
  if (to === null) c.add([...path, 'to'], 'must be a time of day like "18:00" (24-hour clock; "24:00" for midnight)');
  if (from !== null && to !== null && from === to)
    c.add([...path, 'to'], 'equals from, so the window is empty and the rule could never match');
  const tz = typeof v.timeZone === 'string' ? v.timeZone.trim() : '';
  if (!isTimeZone(tz)) c.add([...path, 'timeZone'], 'must be an IANA time-zone name like Europe/Berlin or UTC');
  if (days.length === 0 || from === null || to === null || from === to || !isTimeZone(tz)) return undefined;
  return { days, fromMinute: from, toMinute: to, timeZone: tz };
}

/** A settings block's `autoApprove:` list. `groups` are the top-level groups; names are checked unique in validate.ts. */
export function readAutoApprove(
  c: Checker,
  v: unknown,
  path: PolicyPath,
  groups: Record<string, ApproverEntry[]>,
  source: string,
): AutoApproveRule[] | undefined {
  const items = c.list(v, path);
  if (!items) return undefined;
  const out: AutoApproveRule[] = [];
  items.forEach((item, i) => {
    const p: PolicyPath = [...path, i];
    if (!isObj(item)) {
      c.add(p, 'must be a map with name: and the conditions that must all hold');
      return;
    }
    c.knownKeys(item, p, RULE_KEYS);
    const before = c.issues.length;
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    if (name === '' || name.length > 60 || /[\n\t]/.test(name) || hasInvisible(name))
      c.add(
        [...p, 'name'],
        'is required: 1 to 60 printable characters that name the rule on cards and in the audit log',
      );
    const rule: AutoApproveRule = {
      source: `${source}.autoApprove[${i}]`,
      name,
      requesters: [],
      groups: [],
      owner: null,
      maxDurationMs: null,
      window: null,
    };
    if ('requesters' in item) rule.requesters = people(c, item.requesters, [...p, 'requesters']) ?? [];
    if ('groups' in item) {
      const names = c.list(item.groups, [...p, 'groups']) ?? [];
      if (names.length === 0 && Array.isArray(item.groups))
        c.add([...p, 'groups'], 'is empty: name a group or leave it out');
      names.forEach((n, j) => {
        const key = typeof n === 'string' ? n.trim().toLowerCase() : '';
        const members = groups[key];
        if (!members) c.add([...p, 'groups', j], `names no group defined under the top-level groups: ("${String(n)}")`);
        else rule.groups.push({ name: key, members });
      });
    }
    if ('owner' in item) rule.owner = readOwner(c, item.owner, [...p, 'owner']) ?? null;
    if ('maxDuration' in item) rule.maxDurationMs = c.duration(item.maxDuration, [...p, 'maxDuration']) ?? null;
    if ('window' in item) rule.window = readWindow(c, item.window, [...p, 'window']) ?? null;
    if (!('requesters' in item) && !('groups' in item) && !('owner' in item))
      c.add(
        p,
        'would approve anybody from any address: give requesters, groups or an owner (subscription, resource group, AKS cluster)',
      );
    if (c.issues.length === before) out.push(rule);
  });
  return out;
}

/** Against the resolved settings: a rule's maxDuration above the registry's duration.max could never be used. */
export function checkAutoApprove(c: Checker, s: RegistryPolicy, path: PolicyPath): void {
  s.autoApprove.forEach((rule) => {
    if (rule.maxDurationMs !== null && rule.maxDurationMs > s.durations.maxMs)
      c.add(
        [...path, 'autoApprove'],
        `rule "${rule.name}" (${rule.source}) has maxDuration ${formatDuration(rule.maxDurationMs)}, above duration.max (${formatDuration(s.durations.maxMs)}): no request that long can be made`,
      );
  });
}
