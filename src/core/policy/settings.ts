/**
 * One block of policy settings (`defaults`, or a `registries` entry over the defaults): read onto a copy of the
 * settings it refines, then checked for consistency (a default longer than the maximum, more approvals required than
 * approvers listed).
 */
import { isObj, type Checker, type Obj, type PolicyPath } from './checker.js';
import { formatDuration } from './duration.js';
import { approverItem, parseSelector } from './entries.js';
import type { ApproverEntry, ChannelSelector, RegistryPolicy } from './types.js';
import { checkAutoApprove, readAutoApprove } from './validate-auto.js';

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
  'maxLeadTime',
  'autoApprove',
];
const BREAK_GLASS_KEYS = ['enabled', 'maxDuration', 'allowedFor'];
const DURATION_KEYS = ['default', 'max'];
const NOTIFY_KEYS = ['channels', 'directMessages'];
export function readSettings(
  c: Checker,
  obj: Obj,
  path: PolicyPath,
  base: RegistryPolicy,
  source: string,
  extraKeys: readonly string[],
  groups: Record<string, ApproverEntry[]> = {},
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
    autoApprove: [...base.autoApprove],
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
  if ('maxLeadTime' in obj) {
    const r = c.duration(obj.maxLeadTime, at('maxLeadTime'), { allowOff: true });
    if (r !== undefined) s.maxLeadTimeMs = r;
  }
  if ('autoApprove' in obj)
    s.autoApprove = readAutoApprove(c, obj.autoApprove, at('autoApprove'), groups, source) ?? [];
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
export function crossCheck(c: Checker, s: RegistryPolicy, path: PolicyPath): void {
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
  checkAutoApprove(c, s, path);
  const individuals = s.approvers.filter((a) => a.kind !== 'group').length;
  const hasGroups = s.approvers.some((a) => a.kind === 'group');
  if (s.approvers.length > 0 && !hasGroups && individuals < s.minApprovals) {
    c.add(
      [...path, 'minApprovals'],
      `(${s.minApprovals}) is more than the ${individuals} approver(s) listed, so no request could ever be approved`,
    );
  }
}
