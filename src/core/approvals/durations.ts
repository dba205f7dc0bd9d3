/**
 * Duration choices for the request, narrow and extend forms, from policy: a fixed ladder cut at the maximum, the
 * policy default always present, permanent only where policy allows it. Form answers come back as the `value`s
 * (`4h`, `permanent`), parsed with parseDuration, and are re-checked against policy on submit.
 */
import type { DurationChoice } from '../approval-views.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, parseDuration } from '../policy/duration.js';

export const PERMANENT = 'permanent';

const LADDER = [
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  4 * HOUR_MS,
  8 * HOUR_MS,
  DAY_MS,
  3 * DAY_MS,
  7 * DAY_MS,
  30 * DAY_MS,
];

function label(ms: number): string {
  if (ms % DAY_MS === 0) return ms === DAY_MS ? '1 day' : `${ms / DAY_MS} days`;
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? '1 hour' : `${ms / HOUR_MS} hours`;
  if (ms < HOUR_MS) return `${Math.round(ms / MINUTE_MS)} minutes`;
  return formatDuration(ms);
}

export function choice(ms: number | null): DurationChoice {
  return ms === null
    ? { label: 'Permanent', value: PERMANENT, ms: null }
    : { label: label(ms), value: formatDuration(ms), ms };
}

/** Choices up to `maxMs` (and at most `below`, exclusive, when narrowing), with `include` added when missing. */
export function durationChoices(opts: {
  maxMs: number;
  include?: number | null;
  below?: number | null;
  permanent?: boolean;
}): DurationChoice[] {
  const limit = opts.below != null ? Math.min(opts.maxMs, opts.below - 1) : opts.maxMs;
  const set = new Set(LADDER.filter((ms) => ms <= limit));
  if (opts.include != null && opts.include <= limit && opts.include >= MINUTE_MS) set.add(opts.include);
  if (opts.below == null && opts.maxMs >= MINUTE_MS) set.add(opts.maxMs);
  const out = [...set].sort((a, b) => a - b).map((ms) => choice(ms));
  if (opts.permanent) out.push(choice(null));
  return out;
}

/** A form's duration answer: `{ms}`, `permanent`, null when absent, or `invalid`. */
export function readDuration(value: unknown): { ms: number } | 'permanent' | null | 'invalid' {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 24) return 'invalid';
  if (value.trim().toLowerCase() === PERMANENT) return 'permanent';
  const ms = parseDuration(value);
  return ms === null ? 'invalid' : { ms };
}
