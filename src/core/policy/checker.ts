/**
 * The checking kit of the policy validator: key paths, collected issues with "did you mean" on misspelt keys, and the
 * small readers (booleans, durations, integers, lists, registry patterns) every section of the file uses.
 */
import { parseDuration } from './duration.js';
import { toPattern } from './match.js';
import type { RegistryPattern } from './types.js';

export type PolicyPath = Array<string | number>;

export interface PolicyIssue {
  /** Key path into the document: ['registries', 1, 'minApprovals']. */
  path: PolicyPath;
  /** What is wrong, to be read after the path: "must be a positive integer". */
  message: string;
}

/** `registries[1].minApprovals` */
export function formatPath(path: PolicyPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(document)' : out;
}

/** Registry names are alphanumeric (DNL names add a dash and hash); globs add * and ?. */
const NAME_GLOB = /^[a-z0-9*?-]{1,60}$/;
/** Long enough for any approver list a team maintains by hand; bounds the work a hostile file can cause. */
export const MAX_LIST = 500;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Edit distance, for "did you mean" on misspelt keys (keys are short, so the quadratic table is tiny). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length]!;
}

export class Checker {
  readonly issues: PolicyIssue[] = [];

  add(path: PolicyPath, message: string): void {
    this.issues.push({ path, message });
  }

  /** Refuse keys we do not know: a typo in a security policy must not silently fall back to a default. */
  knownKeys(obj: Obj, path: PolicyPath, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const near = allowed.filter((k) => distance(k, key) <= 2);
      this.add(
        [...path, key],
        `is not a known key${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ` (known keys: ${allowed.join(', ')})`}`,
      );
    }
  }

  bool(v: unknown, path: PolicyPath): boolean | undefined {
    if (typeof v === 'boolean') return v;
    this.add(path, 'must be true or false');
    return undefined;
  }

  duration(v: unknown, path: PolicyPath, opts: { allowOff?: boolean } = {}): number | null | undefined {
    if (opts.allowOff && (v === 'off' || v === false)) return null;
    const ms = typeof v === 'string' ? parseDuration(v) : null;
    if (ms !== null) return ms;
    this.add(path, `must be a duration like 30m, 4h, 2d or 1h30m${opts.allowOff ? ', or off' : ''}`);
    return undefined;
  }

  int(v: unknown, path: PolicyPath, min: number, max: number, what: string): number | undefined {
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.add(path, what);
    return undefined;
  }

  list(v: unknown, path: PolicyPath): unknown[] | undefined {
    if (Array.isArray(v) && v.length <= MAX_LIST) return v;
    this.add(path, Array.isArray(v) ? `must have at most ${MAX_LIST} items` : 'must be a list');
    return undefined;
  }
}

export function parsePatterns(c: Checker, v: unknown, path: PolicyPath): RegistryPattern[] | undefined {
  const items = typeof v === 'string' ? [v] : c.list(v, path);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    c.add(path, 'must list at least one registry name glob or resource-id prefix');
    return undefined;
  }
  const out: RegistryPattern[] = [];
  items.forEach((item, i) => {
    const p: PolicyPath = typeof v === 'string' ? path : [...path, i];
    if (typeof item !== 'string' || item.trim() === '') {
      c.add(p, 'must be a registry name glob (prod-*) or an ARM resource-id prefix (/subscriptions/…)');
      return;
    }
    const pattern = toPattern(item);
    if (pattern.kind === 'glob' && !NAME_GLOB.test(pattern.text)) {
      c.add(p, `"${item}" is not a registry name glob: use letters, digits, - and the wildcards * and ?`);
      return;
    }
    if (pattern.kind === 'resource_id_prefix' && /\s/.test(pattern.text)) {
      c.add(p, `"${item}" is not a resource-id prefix`);
      return;
    }
    out.push(pattern);
  });
  return out;
}
