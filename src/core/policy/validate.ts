/**
 * Validation of a policy document (already parsed from YAML into plain values) into a Policy. Pure: the loader in
 * adapters/policy turns each issue's key path into a file line. Every problem is collected, not just the first, and
 * each names the key path (`registries[1].minApprovals`) and what a valid value looks like. The parts: checker.ts
 * (issues and simple values), entries.ts (approvers, channel selectors), settings.ts (one settings block),
 * validate-ci.ts (the ci: section).
 */
import { Checker, isObj, parsePatterns, type PolicyIssue, type PolicyPath } from './checker.js';
import { DEFAULT_SETTINGS } from './defaults.js';
import { parseSelector } from './entries.js';
import { crossCheck, readSettings } from './settings.js';
import type { ChannelRule, Policy, RegistryPolicy, RegistryRule } from './types.js';
import { readCi } from './validate-ci.js';
import { readGroups } from './validate-auto.js';

export { formatPath, type PolicyIssue, type PolicyPath } from './checker.js';
export { parseApprover } from './entries.js';

export type PolicyValidation = { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] };

export const POLICY_VERSION = 1;

const TOP_KEYS = ['version', 'groups', 'defaults', 'registries', 'channels', 'ci'];
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

  const groups = 'groups' in raw ? readGroups(c, raw.groups) : {};
  let defaults: RegistryPolicy = { ...DEFAULT_SETTINGS };
  if ('defaults' in raw) {
    if (!isObj(raw.defaults)) c.add(['defaults'], 'must be a map of settings (approvers, minApprovals, duration, …)');
    else defaults = readSettings(c, raw.defaults, ['defaults'], DEFAULT_SETTINGS, 'defaults', [], groups);
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
      const policy = readSettings(c, item, p, defaults, `registries[${i}]`, ['match'], groups);
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

  uniqueRuleNames(c, defaults, registries);

  const anyApprovers = defaults.approvers.length > 0 || registries.some((r) => r.policy.approvers.length > 0);
  if (c.issues.length === 0 && !anyApprovers) {
    c.add(
      ['defaults', 'approvers'],
      'is empty and no registries entry names approvers, so no request could ever be approved',
    );
  }

  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  return { ok: true, policy: { configured: true, file, defaults, registries, channels, ci, groups } };
}

/** "approved by rule <name>" must say which rule: names are unique across the file. */
function uniqueRuleNames(c: Checker, defaults: RegistryPolicy, registries: RegistryRule[]): void {
  const seen = new Map<string, string>();
  for (const rule of [defaults, ...registries.map((r) => r.policy)].flatMap((p) => p.autoApprove)) {
    const first = seen.get(rule.name.toLowerCase());
    if (first === undefined) seen.set(rule.name.toLowerCase(), rule.source);
    else if (first !== rule.source)
      c.add(
        [
          ...rule.source
            .replace(/\[(\d+)\]/g, '.$1')
            .split('.')
            .map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
          'name',
        ],
        `"${rule.name}" is already the name of ${first}: auto-approval rule names must be unique`,
      );
  }
}
