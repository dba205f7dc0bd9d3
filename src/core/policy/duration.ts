/**
 * Durations as people write them in the policy file and in chat: `30m`, `4h`, `2d`, `1h30m`. Parsed by hand (no
 * regex) so any input is linear. Minutes are the smallest unit: firewall rules take minutes to propagate anyway.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const UNITS: Record<string, number> = { d: DAY_MS, h: HOUR_MS, m: MINUTE_MS };
/** Nobody needs a temporary rule for more than ten years; the cap keeps arithmetic exact. */
const MAX_DURATION_MS = 3650 * DAY_MS;

/** Milliseconds for `2d`, `4h`, `30m`, `1h30m` (units in d, h, m order, each at most once); null otherwise. */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string') return null;
  const t = text.trim().toLowerCase();
  if (t.length === 0 || t.length > 24) return null;
  let total = 0;
  let digits = '';
  let lastUnit = -1;
  const order = ['d', 'h', 'm'];
  for (const ch of t) {
    if (ch >= '0' && ch <= '9') {
      digits += ch;
      continue;
    }
    const unit = UNITS[ch];
    const rank = order.indexOf(ch);
    if (unit === undefined || digits === '' || rank <= lastUnit) return null;
    total += Number(digits) * unit;
    digits = '';
    lastUnit = rank;
  }
  if (digits !== '' || lastUnit < 0 || total <= 0 || total > MAX_DURATION_MS) return null;
  return total;
}

/** The shortest exact text for a duration: 90 min → `1h30m`, 48 h → `2d`. Rounds down to whole minutes. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < MINUTE_MS) return '0m';
  let rest = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  let out = '';
  for (const [unit, size] of [
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
