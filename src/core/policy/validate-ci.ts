/**
 * The policy's `ci:` section: which workload identities may ask for registry access through the access API, from
 * which CI subject, for how long, and whether an entry approves by itself. Read with the validator's checker, so its
 * issues carry key paths like every other section's.
 */
import { hasInvisible } from '../text/invisible.js';
import { type Checker, isObj, parsePatterns, type PolicyPath } from './checker.js';
import { DAY_MS, formatDuration, HOUR_MS, MINUTE_MS } from './duration.js';
import { isGuid } from './identity.js';
import type { CiIdentity, CiPolicy, SubjectRule } from './types.js';

const CI_KEYS = ['duration', 'identities'];
const IDENTITY_KEYS = [
  'name',
  'appId',
  'objectId',
  'subject',
  'subjectPattern',
  'issuer',
  'registries',
  'duration',
  'approval',
];
const DURATION_KEYS = ['default', 'max'];

/** Short by default: a CI job needs the registry for its own run, not for the day. */
export const CI_DEFAULT_DURATIONS = Object.freeze({ defaultMs: 30 * MINUTE_MS, maxMs: 1 * HOUR_MS });
/** No CI grant outlives a day, whatever an entry says. */
const CI_LONGEST_MS = DAY_MS;
/** GitHub Actions' OIDC issuer: the subject's issuer when an entry names none. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
/** Entra ID caps a federated credential's subject at 600 characters. */
const MAX_SUBJECT = 600;

function subjectText(c: Checker, v: unknown, path: PolicyPath): string | undefined {
  if (typeof v === 'string' && v.trim() !== '' && v.length <= MAX_SUBJECT && !/\s/.test(v) && !hasInvisible(v))
    return v;
  c.add(path, `must be the subject claim as the CI platform writes it (one word of at most ${MAX_SUBJECT} characters)`);
  return undefined;
}

/**
 * A pattern must pin the subject's scheme and something after it (`repo:contoso/*`, `sc://contoso/*`): `*` or
 * `repo:*` would let any repository in, which is what an identity list is there to prevent.
 */
function patternText(c: Checker, v: unknown, path: PolicyPath): string | undefined {
  const t = subjectText(c, v, path);
  if (t === undefined) return undefined;
  const literal = t.slice(0, t.indexOf('*') < 0 ? t.length : t.indexOf('*'));
  if (!t.includes('*')) {
    c.add(path, 'has no * : write an exact subject as subject: instead');
    return undefined;
  }
  const colon = literal.indexOf(':');
  if (colon <= 0 || literal.slice(colon + 1).replace(/\//g, '') === '') {
    c.add(
      path,
      `("${t}") would match every subject of its CI platform: name the organisation or repository before the first *, e.g. repo:contoso/*`,
    );
    return undefined;
  }
  return t;
}

function issuerText(c: Checker, v: unknown, path: PolicyPath): string | undefined {
  // Plain http is for a token issuer on the same machine only (tests); every real CI platform serves https.
  const ok =
    typeof v === 'string' && /^(https:\/\/[^\s/?#]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?)(\/[^\s?#]*)?$/.test(v);
  if (ok) return v.replace(/\/+$/, '');
  c.add(
    path,
    "must be the https URL of the CI platform's OIDC issuer, e.g. https://token.actions.githubusercontent.com",
  );
  return undefined;
}

function durations(
  c: Checker,
  v: unknown,
  path: PolicyPath,
  base: { defaultMs: number; maxMs: number },
): { defaultMs: number; maxMs: number } {
  const out = { ...base };
  if (!isObj(v)) {
    c.add(path, 'must be a map with default and/or max, e.g. { default: 30m, max: 1h }');
    return out;
  }
  c.knownKeys(v, path, DURATION_KEYS);
  if ('default' in v) out.defaultMs = c.duration(v.default, [...path, 'default']) ?? out.defaultMs;
  if ('max' in v) out.maxMs = c.duration(v.max, [...path, 'max']) ?? out.maxMs;
  if (out.maxMs > CI_LONGEST_MS)
    c.add([...path, 'max'], `(${formatDuration(out.maxMs)}) is longer than a CI grant may be (at most 1d)`);
  if (out.defaultMs > out.maxMs)
    c.add(
      [...path, 'default'],
      `(${formatDuration(out.defaultMs)}) must not exceed max (${formatDuration(out.maxMs)})`,
    );
  return out;
}

function identity(
  c: Checker,
  item: unknown,
  path: PolicyPath,
  base: { defaultMs: number; maxMs: number },
): CiIdentity | null {
  if (!isObj(item)) {
    c.add(path, 'must be a map: { name, appId and/or objectId, registries, … }');
    return null;
  }
  const before = c.issues.length;
  c.knownKeys(item, path, IDENTITY_KEYS);
  const at = (k: string): PolicyPath => [...path, k];
  const name = typeof item.name === 'string' ? item.name.trim() : '';
  if (name === '' || name.length > 80 || /[\n\t]/.test(name) || hasInvisible(name))
    c.add(at('name'), 'is required: a name of 1 to 80 printable characters for cards and the audit log');
  const guid = (k: 'appId' | 'objectId'): string | null => {
    if (!(k in item)) return null;
    const v = item[k];
    if (typeof v === 'string' && isGuid(v.trim())) return v.trim().toLowerCase();
    c.add(at(k), `must be a GUID (the ${k === 'appId' ? 'application (client) id' : 'object (principal) id'})`);
    return null;
  };
  const appId = guid('appId');
  const objectId = guid('objectId');
  if (!('appId' in item) && !('objectId' in item))
    c.add(path, 'needs appId or objectId (or both): the workload identity this entry is for');

  let subject: SubjectRule | null = null;
  if ('subject' in item && 'subjectPattern' in item) c.add(at('subjectPattern'), 'cannot be given with subject');
  else if ('subject' in item || 'subjectPattern' in item) {
    const exact = 'subject' in item;
    const text = exact
      ? subjectText(c, item.subject, at('subject'))
      : patternText(c, item.subjectPattern, at('subjectPattern'));
    const issuer = 'issuer' in item ? issuerText(c, item.issuer, at('issuer')) : GITHUB_ACTIONS_ISSUER;
    if (text !== undefined && issuer !== undefined) subject = { kind: exact ? 'exact' : 'pattern', text, issuer };
  } else if ('issuer' in item) c.add(at('issuer'), 'only applies with subject or subjectPattern');

  const registries = 'registries' in item ? parsePatterns(c, item.registries, at('registries')) : undefined;
  if (!('registries' in item))
    c.add(path, 'needs registries: the registry globs or resource-id prefixes this identity may request for');
  const limits = 'duration' in item ? durations(c, item.duration, at('duration'), base) : { ...base };
  let approval: CiIdentity['approval'] = 'approvers';
  if ('approval' in item) {
    if (item.approval === 'auto' || item.approval === 'approvers') approval = item.approval;
    else c.add(at('approval'), "must be auto (approved by this entry) or approvers (the registry's approvers decide)");
  }
  if (c.issues.length > before || registries === undefined) return null;
  return {
    source: `ci.identities[${String(path[2])}]`,
    name,
    appId,
    objectId,
    subject,
    registries,
    durations: limits,
    approval,
  };
}

/** The `ci:` section, or null with its issues added to the checker. */
export function readCi(c: Checker, raw: unknown): CiPolicy | null {
  const path: PolicyPath = ['ci'];
  if (!isObj(raw)) {
    c.add(path, 'must be a map with identities (and optionally duration)');
    return null;
  }
  c.knownKeys(raw, path, CI_KEYS);
  const base =
    'duration' in raw
      ? durations(c, raw.duration, ['ci', 'duration'], CI_DEFAULT_DURATIONS)
      : { ...CI_DEFAULT_DURATIONS };
  const items = 'identities' in raw ? c.list(raw.identities, ['ci', 'identities']) : undefined;
  if (!('identities' in raw)) c.add(path, 'needs identities: the workload identities that may request access');
  const identities: CiIdentity[] = [];
  const names = new Set<string>();
  items?.forEach((item, i) => {
    const id = identity(c, item, ['ci', 'identities', i], base);
    if (!id) return;
    if (names.has(id.name.toLowerCase()))
      c.add(['ci', 'identities', i, 'name'], `"${id.name}" is used by another entry`);
    names.add(id.name.toLowerCase());
    identities.push(id);
  });
  return { identities };
}
