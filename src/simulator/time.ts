/** Dates as DS shows them: Europe/Paris wall time with its offset (offsets from the time-zone module). */
import { parisIso, parisTime } from '../shared/paris-time.ts';

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let lastMs = Number.NaN;
let lastText = '';

/** ISO 8601 with the Paris offset, e.g. 2025-04-30T23:10:00+02:00 (memoised: champs share dates). */
export function formatParis(ms: number): string {
  if (ms === lastMs) return lastText;
  lastText = parisIso(ms);
  lastMs = ms;
  return lastText;
}

/** Epoch ms of a Paris wall-clock time given as 'YYYY-MM-DD' plus hours and minutes. */
export { parisTime };

/** 'YYYY-MM-DD' shifted by whole days or years (calendar arithmetic in UTC). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function addYears(date: string, years: number): string {
  const [y, rest] = [Number(date.slice(0, 4)), date.slice(4)];
  return `${y + years}${rest}`;
}
