/**
 * Time zones, by library: UTC offsets come from @date-fns/tz (the runtime's tz database through
 * Intl); previous cron occurrences are cron-parser's (worker/cron.ts). Every time shown to a person
 * is Paris time in one format, `jj/mm/aaaa hh:mm`. Nothing here hard-codes a summer-time rule.
 */
import { tzOffset } from '@date-fns/tz';

export const PARIS = 'Europe/Paris';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Calendar date and time on a wall clock, zero-padded (`month` 01–12). */
export interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

/** Wall-clock fields as numbers (`month` 1–12). */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Offsets change on whole hours (in Paris at 01:00 UTC), so one lookup per UTC hour is exact and
// spares Intl on hot paths (the simulator formats every date of every dossier).
const offsetMemo = new Map<string, Map<number, number>>();

/** Offset of `timeZone` from UTC at `ms`, in minutes (Paris: 60 in winter, 120 in summer). */
export function offsetMinutes(ms: number, timeZone: string = PARIS): number {
  let byHour = offsetMemo.get(timeZone);
  if (byHour === undefined) offsetMemo.set(timeZone, (byHour = new Map()));
  const hour = Math.floor(ms / HOUR);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    if (byHour.size > 50_000) byHour.clear();
    offset = tzOffset(timeZone, new Date(ms));
    byHour.set(hour, offset);
  }
  return offset;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The numeric wall-clock fields of an instant in `timeZone`. */
export function localParts(instant: Date | number, timeZone: string = PARIS): LocalParts {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const local = new Date(ms + offsetMinutes(ms, timeZone) * MINUTE);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** Calendar date and time of an instant on a Paris wall clock. */
export function parisWallClock(instant: Date): WallClock {
  const p = localParts(instant);
  return { year: pad(p.year, 4), month: pad(p.month), day: pad(p.day), hour: pad(p.hour), minute: pad(p.minute), second: pad(p.second) };
}

/**
 * The instant a wall-clock time happens in `timeZone`, or null when it does not exist (the hour
 * skipped when summer time starts). Of two instants (the hour repeated in autumn), the later one.
 */
export function localTimeToInstant(parts: LocalParts, timeZone: string = PARIS): number | null {
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  // The offsets in force half a day either side cover any transition near that wall time.
  const offsets = new Set([
    offsetMinutes(asUtc - 14 * HOUR, timeZone),
    offsetMinutes(asUtc, timeZone),
    offsetMinutes(asUtc + 14 * HOUR, timeZone),
  ]);
  const instants = [...offsets]
    .map((offset) => asUtc - offset * MINUTE)
    .filter((instant) => asUtc - instant === offsetMinutes(instant, timeZone) * MINUTE);
  return instants.length === 0 ? null : Math.max(...instants);
}

/** Epoch ms of a Paris wall-clock time given as 'YYYY-MM-DD' plus hours and minutes (a skipped time reads as one hour later, as clocks do). */
export function parisTime(date: string, hours = 0, minutes = 0): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parts = { year, month, day, hour: hours, minute: minutes, second: 0 };
  return localTimeToInstant(parts) ?? localTimeToInstant({ ...parts, hour: hours + 1 })!;
}

/** ISO 8601 with the Paris offset, e.g. 2025-04-30T23:10:00+02:00 (how DS writes dates). */
export function parisIso(ms: number): string {
  const offset = offsetMinutes(ms);
  const p = localParts(ms);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `YYYY-MM-DD` of the Paris calendar day of an instant. */
export function parisDayKey(instant: Date): string {
  const w = parisWallClock(instant);
  return `${w.year}-${w.month}-${w.day}`;
}

/** `jj/mm/aaaa hh:mm`, Paris time: the one way a time is shown to a person. */
export function parisDateTime(instant: Date | string | null | undefined): string {
  if (instant === null || instant === undefined) return '';
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return '';
  const w = parisWallClock(date);
  return `${w.day}/${w.month}/${w.year} ${w.hour}:${w.minute}`;
}

/** `jj/mm/aaaa hh:mm` in another zone (the worker's `worker.timezone`), with the zone named unless Paris. */
export function dateTimeIn(instant: Date, timeZone: string): string {
  if (timeZone === PARIS) return parisDateTime(instant);
  const p = localParts(instant, timeZone);
  return `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)} ${pad(p.hour)}:${pad(p.minute)} (${timeZone})`;
}

/** `hh:mm:ss`, Paris time (log lines on a terminal). */
export function parisClock(instant: Date): string {
  const w = parisWallClock(instant);
  return `${w.hour}:${w.minute}:${w.second}`;
}
