/**
 * Registry selectors: name globs and ARM resource-id prefixes. ARM ids are case-insensitive, and registry names are
 * lower-case alphanumerics, so both compare case-insensitively. Globs know `*` (any run) and `?` (one character)
 * and are matched by a linear two-pointer walk, not a regex, so a hostile pattern cannot blow up.
 */
import type { RegistryPattern, NamedRegistry } from './types.js';

export const RESOURCE_ID_PREFIX = '/subscriptions/';

/** A pattern from the policy file: a resource-id prefix when it starts with /subscriptions/, else a name glob. */
export function toPattern(text: string): RegistryPattern {
  const t = text.trim();
  if (t.toLowerCase().startsWith(RESOURCE_ID_PREFIX))
    return { kind: 'resource_id_prefix', text: t.replace(/\/+$/, '').toLowerCase() };
  return { kind: 'glob', text: t.toLowerCase() };
}

export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === text[t])) {
      p += 1;
      t += 1;
    } else if (pc === '*') {
      star = p;
      mark = t;
      p += 1;
    } else if (star >= 0) {
      p = star + 1;
      mark += 1;
      t = mark;
    } else return false;
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Does the pattern select this registry? Resource-id prefixes match on whole segments (`rg-prod` ≠ `rg-prod2`). */
export function matchesRegistry(pattern: RegistryPattern, registry: NamedRegistry): boolean {
  if (pattern.kind === 'glob') return globMatch(pattern.text, registry.name.toLowerCase());
  const id = registry.id.toLowerCase().replace(/\/+$/, '');
  return id === pattern.text || id.startsWith(`${pattern.text}/`);
}

export function matchesAny(patterns: readonly RegistryPattern[], registry: NamedRegistry): boolean {
  return patterns.some((p) => matchesRegistry(p, registry));
}
