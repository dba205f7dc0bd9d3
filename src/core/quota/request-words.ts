/**
 * What a cleanup request's card and messages say, built once for every platform: the proof that nobody loses access,
 * what merges add, and where the change stands.
 */
import type { AccessRequest } from '../requests/types.js';
import { type RuleCleanup, slotsFreed } from './cleanup.js';

const MAX_PROOF_LINES = 12;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The short label a cleanup request carries as its `rule`: "free 5 slots". */
export function cleanupLabel(c: RuleCleanup): string {
  return `free ${plural(slotsFreed(c), 'slot')}`;
}

/** A reason people can read, for the request and its audit trail. */
export function cleanupReason(c: RuleCleanup, registryName: string, ruleCount: number): string {
  const kinds = (['duplicate', 'covered', 'merged'] as const)
    .map((why) => [why, c.remove.filter((r) => r.why === why).length] as const)
    .filter(([, n]) => n > 0)
    .map(([why, n]) =>
      why === 'duplicate'
        ? plural(n, 'duplicate')
        : why === 'covered'
          ? `${n} covered by a wider rule`
          : `${n} merged into ${plural(c.add.length, 'prefix', 'prefixes')}`,
    );
  return `Free ${plural(slotsFreed(c), 'slot')} of ${registryName}'s IP rules (${ruleCount} used): ${kinds.join(', ')}.`;
}

/** The lines an approver reads before approving: each rule taken off and what keeps its addresses in. */
export function cleanupFlags(c: RuleCleanup): string[] {
  const lossless = c.remove.filter((r) => r.why !== 'merged');
  const out: string[] = [];
  if (lossless.length > 0)
    out.push(
      `Nobody loses access through the ${plural(lossless.length, 'rule')} taken off: each is a copy of, or inside, a rule that stays.`,
    );
  const proof = c.remove.map((r) =>
    r.why === 'duplicate'
      ? `${r.value}: the same range as ${r.by}, which stays`
      : r.why === 'covered'
        ? `${r.value}: inside ${r.by}, which stays`
        : `${r.value}: merged into ${r.by}`,
  );
  out.push(...proof.slice(0, MAX_PROOF_LINES));
  if (proof.length > MAX_PROOF_LINES) out.push(`and ${proof.length - MAX_PROOF_LINES} more`);
  if (c.add.length > 0)
    out.push(
      c.widens.length > 0
        ? `Widens access: writing ${c.add.join(', ')} admits ${c.widens.slice(0, 8).join(', ')}${c.widens.length > 8 ? ', …' : ''}, which no rule admitted before.`
        : `Writing ${c.add.join(', ')} admits no address that was not admitted before.`,
    );
  out.push('The bot re-reads the registry before the change and refuses it if any of this no longer holds.');
  return out;
}

/** A cleanup's card banner for the states that differ from a grant's; null for the others. */
export function cleanupBanner(r: AccessRequest, approvedBy: string): string | null {
  const c = r.cleanup;
  if (!c) return null;
  const n = slotsFreed(c);
  switch (r.status) {
    case 'approved':
    case 'applying':
      return `Approved by ${approvedBy}; taking ${plural(c.remove.length, 'rule')} off ${r.registry.name}…`;
    case 'applied':
      return `Done: ${plural(c.remove.length, 'rule')} taken off ${r.registry.name}${c.add.length > 0 ? ` and ${c.add.join(', ')} written` : ''}, ${plural(n, 'slot')} freed. Every address they admitted is still admitted.`;
    default:
      return null;
  }
}

/** What the requester and the approver who completed it are told. */
export function cleanupNews(r: AccessRequest, moment: 'approved' | 'applied' | 'failed', detail = ''): string {
  const n = r.cleanup ? slotsFreed(r.cleanup) : 0;
  if (moment === 'approved') return `Approved: the bot is freeing ${plural(n, 'slot')} on ${r.registry.name} now.`;
  if (moment === 'applied')
    return `Freed ${plural(n, 'slot')} on ${r.registry.name}: the redundant rules are off, and nobody lost access.`;
  return `The cleanup of ${r.registry.name} was not applied: ${detail}`;
}
