/**
 * Redaction and placeholder detection (test/fixtures/errors/FORMATS.md §D). A value that was hidden or never real
 * becomes null: never guessed, never half-taken. Covered: masks (`***`, `d*****`), angle/curly/square placeholders
 * (`<acr-name>`, `{Container registry}`, `[repo name omited]`), shell variables (`$Registry`), constant-style names
 * (`REG_NAME`), x-runs (`XXX`, `xx.xx.xx.xx`) and names people type instead of theirs (`myregistry`, `foo`).
 */
import * as P from './patterns.js';

/** Characters that never occur in a real host, repository or tag but do in masks and placeholders. */
const MARK_CHARS = new Set([
  '*',
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
  '$',
  ' ',
  '…',
  '%',
  '\\',
  '`',
  '"',
  "'",
  '(',
  ')',
  '|',
  '=',
  ',',
  '&',
  '?',
  '!',
  '~',
  '^',
  '#',
]);

const PLACEHOLDER_WORDS = new Set([
  'redacted',
  'masked',
  'hidden',
  'removed',
  'omitted',
  'omited',
  'secret',
  'private',
  'placeholder',
  'censored',
  'anonymized',
  'anonymised',
  'sanitized',
  'sanitised',
  'null',
  'undefined',
  'none',
]);

export function hasRedactionMarks(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (MARK_CHARS.has(value[i] as string)) return true;
  return value.includes('..');
}

/** `REG_NAME`, `ACR_NAME`: upper-case words joined by underscores, the shape of an environment variable. */
function looksLikeVariableName(value: string): boolean {
  if (!value.includes('_')) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_')) return false;
  }
  return true;
}

/** Any value (host label, repository, tag) that is a mask or a placeholder rather than a real value. */
export function isRedacted(value: string): boolean {
  if (value.length === 0) return true;
  if (hasRedactionMarks(value)) return true;
  if (looksLikeVariableName(value)) return true;
  if (P.REPEATED_PLACEHOLDER.test(value)) return true;
  return PLACEHOLDER_WORDS.has(value.toLowerCase());
}

/** A registry name that is a stand-in (`myregistry`, `acrname`, `yyyyyyyyyy`) and not someone's real registry. */
export function isPlaceholderRegistryName(name: string): boolean {
  const n = name.toLowerCase();
  return isRedacted(n) || P.PLACEHOLDER_REGISTRY.test(n);
}

/** Custom-domain labels that only appear in documentation. */
const PLACEHOLDER_DOMAIN_LABELS = new Set([
  'example',
  'contoso',
  'fabrikam',
  'mydomain',
  'yourdomain',
  'domain',
  'mycompany',
  'yourcompany',
  'company',
  'myregistry',
  'registryname',
]);

export function isPlaceholderDomain(host: string): boolean {
  for (const label of host.split('.')) if (PLACEHOLDER_DOMAIN_LABELS.has(label)) return true;
  return false;
}
