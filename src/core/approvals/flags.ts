/**
 * Risk flags: the short facts an approver should read before clicking Approve, so
 * nobody approves on autopilot. Pure; the same list goes on the request form and on every copy of the card.
 */
import { classifyIp, normaliseRule } from '../ip.js';
import { formatDuration } from '../policy/duration.js';
import { MAX_IP_RULES } from '../registry.js';

export interface FlagSubject {
  rule: string;
  durationMs: number | null;
  breakGlass: boolean;
  kind?: 'grant' | 'extension' | 'cleanup';
}

export function riskFlags(
  subject: FlagSubject,
  context: { ruleCount?: number | null; requesterIsApprover?: boolean } = {},
): string[] {
  const flags: string[] = [];
  const n = normaliseRule(subject.rule);
  if (n.ok) {
    if (n.rule.prefixLength < 32)
      flags.push(
        `${n.rule.cidr} admits ${(2 ** (32 - n.rule.prefixLength)).toLocaleString('en-US')} addresses, not one.`,
      );
    if (classifyIp(n.rule.network) === 'documentation')
      flags.push(`${n.rule.network} is a documentation-range address (TEST-NET): a placeholder, not a real client.`);
  }
  if (subject.breakGlass)
    flags.push(
      'Break-glass: the requester approves it alone; every approver is told, and it should be reviewed afterwards.',
    );
  if (subject.durationMs === null && subject.kind !== 'extension')
    flags.push('Permanent: this rule never expires; someone must remove it by hand.');
  else if (subject.durationMs !== null && subject.durationMs > 7 * 24 * 3_600_000)
    flags.push(`Long: ${formatDuration(subject.durationMs)}.`);
  if (context.ruleCount != null && context.ruleCount >= MAX_IP_RULES - 10)
    flags.push(`The registry already has ${context.ruleCount} of ${MAX_IP_RULES} IP rules.`);
  if (context.requesterIsApprover) flags.push('The requester is also an approver of this registry.');
  return flags;
}
