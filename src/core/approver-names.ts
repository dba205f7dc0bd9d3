/**
 * Names for people from what the bot knows without a request: a display name made fit to show (no controls, no
 * bidirectional formatting characters, one line, bounded) and an approver policy lists, by policy's name, the
 * people directory's, else the entry itself. Kept apart from people.ts so policy decisions can name approvers
 * without depending on the request records.
 */
import { describeApprover } from './policy/identity.js';
import type { ApproverEntry } from './policy/types.js';
import { stripInvisible } from './text/invisible.js';

export type ChatPlatform = 'teams' | 'slack';

/** A display name the bot has learnt for a person, or null when it knows none. */
export type NameBook = (platform: ChatPlatform, userId: string) => string | null;

/** No names known: every person falls back to their email or id. */
export const NO_NAMES: NameBook = () => null;

/** Longest name a card shows. */
export const MAX_NAME = 120;

/** A display name made fit to show and store; null when nothing is left of it. */
export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const t = stripInvisible(raw.slice(0, MAX_NAME * 4))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_NAME)
    .trim();
  return t === '' ? null : t;
}

/** An approver for people to read: policy's name, the directory's, else what the entry says. */
export function approverName(e: ApproverEntry, names: NameBook): string {
  if (e.name) return cleanName(e.name) ?? describeApprover(e);
  if (e.kind === 'teams' || e.kind === 'slack') {
    const known = cleanName(names(e.kind, e.value));
    if (known) return known;
  }
  return describeApprover(e);
}

/**
 * The approvers of a list for people to read, each name once: policy may name one person on both platforms (a
 * `teams:` and a `slack:` entry both called "Carol Diaz"). Only the words: who counts as whom for approvals stays
 * policy's (core/policy/identity.ts samePerson).
 */
export function approverNames(entries: readonly ApproverEntry[], names: NameBook): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of entries) {
    const name = approverName(e, names);
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}
