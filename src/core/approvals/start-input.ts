/**
 * The start time a request form sent back, untrusted: Slack's datetimepicker gives Unix seconds, Teams' Input.Date
 * and Input.Time give a date and a time of day, which the form labels as UTC. Policy (core/policy start.ts) then
 * decides whether that start is allowed.
 */
import { FORM_INPUTS } from '../approval-views.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/;

/** The start as an ISO time, null when none was given, 'invalid' when the input is not a time. */
export function readStart(data: Record<string, unknown>): string | null | 'invalid' {
  const instant = data[FORM_INPUTS.startsAt];
  if (typeof instant === 'number' || (typeof instant === 'string' && instant.trim() !== '')) {
    const text = String(instant).trim();
    const ms = /^\d{9,11}$/.test(text) ? Number(text) * 1000 : Date.parse(text);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : 'invalid';
  }
  const date = typeof data[FORM_INPUTS.startDate] === 'string' ? (data[FORM_INPUTS.startDate] as string).trim() : '';
  const time = typeof data[FORM_INPUTS.startTime] === 'string' ? (data[FORM_INPUTS.startTime] as string).trim() : '';
  if (date === '' && time === '') return null;
  const d = DATE.exec(date);
  const t = time === '' ? ['', '00', '00'] : TIME.exec(time);
  if (!d || !t) return 'invalid';
  const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(d[3])) return 'invalid';
  return back.toISOString();
}
