/**
 * A merge writes a prefix wider than the rules it replaces, so it meets the same limit as a requested rule: policy's
 * `broadestPrefix` for the registry (core/policy checkRule). A refused merge is listed but never offered.
 */
import { checkRule } from '../policy/limits.js';
import type { RegistryPolicy } from '../policy/types.js';
import type { RuleHygiene } from './analyse.js';
import type { MergeVerdict } from './view.js';

export function mergeVerdicts(h: RuleHygiene, p: Pick<RegistryPolicy, 'broadestPrefix' | 'source'>): MergeVerdict[] {
  return h.merges.map((m) => {
    const verdict = checkRule(p, m.into);
    return { into: m.into, refusal: verdict.ok ? null : verdict.reason };
  });
}
