/**
 * Weekly time-of-day windows in a named IANA time zone (`mon`–`fri`, `08:00`–`18:00`, `Europe/Berlin`). The local
 * weekday and time of an instant come from the runtime's own time-zone data through `Intl.DateTimeFormat`, so
 * daylight-saving changes follow the zone's rules with no library of our own. Pure: the instant is passed in.
 */
import { WEEKDAYS, type TimeWindow, type Weekday } from './types.js';

const MINUTES_PER_DAY = 24 * 60;
const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight for `08:00` / `8:30` (24-hour clock), or `24:00` as the end of the day; null otherwise. */
export function parseTimeOfDay(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t === '24:00') return MINUTES_PER_DAY;
  const m = HH_MM.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** `08:00` for 480. */
export function formatTimeOfDay(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function isWeekday(text: unknown): text is Weekday {
  return typeof text === 'string' && (WEEKDAYS as readonly string[]).includes(text.trim().toLowerCase());
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return null;
  }
  if (formatters.size > 100) formatters.clear();
  formatters.set(timeZone, f);
  return f;
}

/** Is this an IANA time-zone name the runtime knows (`Europe/Berlin`, `UTC`)? */
export function isTimeZone(text: unknown): text is string {
  return typeof text === 'string' && text.trim() !== '' && formatterFor(text.trim()) !== null;
}

/** The weekday (0 = Sunday) and minute of the day of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: number; minute: number } {
  const f = formatterFor(timeZone);
  if (!f) throw new RangeError(`unknown time zone ${timeZone}`);
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAYS.indexOf(part.value.toLowerCase().slice(0, 3) as Weekday);
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

/** Does `at` fall inside the window? A window past midnight belongs to the day it starts on. */
export function inWindow(window: TimeWindow, at: Date): boolean {
  const { day, minute } = localTime(at, window.timeZone);
  const on = (d: number): boolean => window.days.includes(WEEKDAYS[(d + 7) % 7]!);
  if (window.fromMinute < window.toMinute) return on(day) && minute >= window.fromMinute && minute < window.toMinute;
  // Past midnight: the evening part today, or the morning part of a window that started yesterday.
  return (on(day) && minute >= window.fromMinute) || (on(day - 1) && minute < window.toMinute);
}

/** `mon, tue, wed 08:00–18:00 Europe/Berlin` for cards and refusals. */
export function describeWindow(window: TimeWindow): string {
  return `${window.days.join(', ')} ${formatTimeOfDay(window.fromMinute)}–${formatTimeOfDay(window.toMinute)} ${window.timeZone}`;
}
