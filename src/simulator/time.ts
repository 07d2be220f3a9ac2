/** Dates as DS shows them: Europe/Paris wall time with its offset, computed without Intl (fast). */

const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Last Sunday of a month at 01:00 UTC, when Europe switches summer time. */
function lastSundayUtc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0, 1);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * DAY;
}

export function parisOffsetHours(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayUtc(year, 2) && ms < lastSundayUtc(year, 9) ? 2 : 1;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

let lastMs = Number.NaN;
let lastText = '';

/** ISO 8601 with the Paris offset, e.g. 2025-04-30T23:10:00+02:00 (memoised: champs share dates). */
export function formatParis(ms: number): string {
  if (ms === lastMs) return lastText;
  lastText = formatParisUncached(ms);
  lastMs = ms;
  return lastText;
}

function formatParisUncached(ms: number): string {
  const offset = parisOffsetHours(ms);
  const d = new Date(ms + offset * HOUR);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0${offset}:00`
  );
}

/** Epoch ms of a Paris wall-clock time given as 'YYYY-MM-DD' plus hours and minutes. */
export function parisTime(date: string, hours = 0, minutes = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, hours, minutes);
  const first = guess - parisOffsetHours(guess) * HOUR;
  return guess - parisOffsetHours(first) * HOUR;
}

/** 'YYYY-MM-DD' shifted by whole days or years (calendar arithmetic in UTC). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function addYears(date: string, years: number): string {
  const [y, rest] = [Number(date.slice(0, 4)), date.slice(4)];
  return `${y + years}${rest}`;
}
