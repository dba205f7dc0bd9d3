/**
 * Scheduled access: a request may name when its access should start, at the earliest now and at the latest policy's
 * `maxLeadTime` ahead. A start at or before now means "as soon as approved". Break-glass is for now, never later.
 */
import { formatDuration, MINUTE_MS } from './duration.js';
import type { Refusal, RegistryPolicy } from './types.js';

export type StartRefusalCode = 'invalid_start' | 'start_in_past' | 'start_too_far' | 'scheduling_off';

/** A start a minute in the past is "now": the form was filled in a moment ago. */
const SLACK_MS = 5 * MINUTE_MS;

export function checkStart(
  p: Pick<RegistryPolicy, 'maxLeadTimeMs' | 'source'>,
  ask: { startsAt?: string | null; now?: Date },
  breakGlass: boolean,
): { ok: true; startsAt: string | null } | Refusal<StartRefusalCode> {
  const text = typeof ask.startsAt === 'string' ? ask.startsAt.trim() : '';
  if (text === '') return { ok: true, startsAt: null };
  const start = Date.parse(text);
  if (!Number.isFinite(start) || !ask.now)
    return { ok: false, code: 'invalid_start', reason: `"${text.slice(0, 40)}" is not a date and time.` };
  const now = ask.now.getTime();
  if (start < now - SLACK_MS)
    return {
      ok: false,
      code: 'start_in_past',
      reason: 'The start time is in the past: choose a later one, or none to start when approved.',
    };
  if (start <= now) return { ok: true, startsAt: null };
  if (breakGlass)
    return { ok: false, code: 'invalid_start', reason: 'Break-glass access starts now: leave the start time empty.' };
  if (p.maxLeadTimeMs === null)
    return {
      ok: false,
      code: 'scheduling_off',
      reason: `Access cannot be scheduled ahead for this registry (${p.source} sets maxLeadTime off): leave the start time empty.`,
    };
  if (start > now + p.maxLeadTimeMs)
    return {
      ok: false,
      code: 'start_too_far',
      reason: `The start is too far ahead: at most ${formatDuration(p.maxLeadTimeMs)} from now (${p.source} maxLeadTime).`,
    };
  return { ok: true, startsAt: new Date(start).toISOString() };
}
