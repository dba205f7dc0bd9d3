/**
 * Can anyone hear about a request? For each part of the policy (the defaults, each `registries[]` entry), whether
 * its approvers can be reached from the chat platforms that are on: a notify channel on a platform that is on, or
 * direct messages to at least one approver the bot can DM there (a Teams or Slack id on a platform that is on, an
 * email on any). A group has no DM of its own. A part nobody can be reached for makes requests that wait unseen.
 */
import { approverNames, NO_NAMES, type ChatPlatform, type NameBook } from '../approver-names.js';
import type { ApproverEntry, Policy, RegistryPattern, RegistryPolicy } from './types.js';

export type { ChatPlatform };

export interface UnreachablePart {
  /** "defaults" or "registries[1]". */
  source: string;
  /** The registries it covers, as written (`prod-*`, a resource id prefix), or "every other registry". */
  registries: string[];
  /** The approvers no configured channel reaches, as cards name them. */
  approvers: string[];
}

function canDm(e: ApproverEntry, on: ReadonlySet<ChatPlatform>): boolean {
  switch (e.kind) {
    case 'teams':
    case 'slack':
      return on.has(e.kind);
    case 'email':
      return on.size > 0;
    case 'group':
      return false;
  }
}

/** True when the approvers of `p` hear about a request on the platforms that are on. */
export function approversReachable(p: RegistryPolicy, on: ReadonlySet<ChatPlatform>): boolean {
  if (p.notify.channels.some((c) => c.kind !== 'direct' && on.has(c.kind))) return true;
  return p.notify.directMessages && p.approvers.some((e) => canDm(e, on));
}

/**
 * The parts of a configured policy whose approvers nobody can reach (empty for the built-in policy), the approvers
 * named as cards name them (`names`: what the people directory knows).
 */
export function unreachableParts(
  policy: Policy,
  on: ReadonlySet<ChatPlatform>,
  names: NameBook = NO_NAMES,
): UnreachablePart[] {
  if (!policy.configured) return [];
  const patterns = (m: RegistryPattern[]) => m.map((x) => x.text);
  const parts = [
    ...policy.registries.map((r) => ({ p: r.policy, registries: patterns(r.match) })),
    { p: policy.defaults, registries: ['every other registry'] },
  ];
  return parts
    .filter(({ p }) => !approversReachable(p, on))
    .map(({ p, registries }) => ({ source: p.source, registries, approvers: approverNames(p.approvers, names) }));
}
