import { parisDayKey, parisWallClock } from './paris-time.ts';
import { stripAccentsAndInvisibles } from './names.ts';

/** A calendar date as 'YYYY-MM-DD'; compares correctly as a string. */
export type CalendarDate = string;

/**
 * Calendar date in Europe/Paris of an ISO datetime. DS stamps dates in UTC or with an offset;
 * deadlines are Paris calendar days, so 2025-04-30T22:10:00Z is already 1 May.
 */
export function parisDateOf(isoDateTime: string): CalendarDate | null {
  const instant = new Date(isoDateTime);
  if (Number.isNaN(instant.getTime())) return null;
  return parisDayKey(instant);
}

/** Closing dates are inclusive: filed on the closing day (Paris time) is on time. */
export function isOnOrBeforeClosing(isoDateTime: string, closingDate: CalendarDate): boolean | null {
  const day = parisDateOf(isoDateTime);
  return day === null ? null : day <= closingDate;
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds whole years; 29 February becomes 28 February in a non-leap year. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  return format(year, m, Math.min(d, daysInMonth(year, m)));
}

const MONTHS: Record<string, number> = {
  janvier: 1,
  fevrier: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  decembre: 12,
  janv: 1,
  fev: 2,
  avr: 4,
  juil: 7,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function clean(input: string): string {
  return stripAccentsAndInvisibles(input).toLowerCase().trim();
}

// Words before a date that say nothing of it: « le 2 novembre 2026 », « au 2 novembre 2026 » (seed 003: « prise de
// fonction 4 mai 2026, au 2 novembre 2026 ou 2 mai 2027 »), « à compter du … », « Session de novembre 2026 ».
const LEADING_WORDS = /^(?:(?:session|mois) d['\u2019]\s*|(?:le|au|a compter du|a partir du|session du|session de|session|en|mois de)\s+)/;
// A comment without digits after a date: « 2 novembre 2026 (session de novembre) », « Novembre 2026 (sous réserve) ».
const TRAILING_COMMENT = /\s*\([^()\d]*\)$/;

/**
 * Reads a calendar date written the ways forms do: ISO ("2025-04-30", or a datetime whose Paris
 * day is taken), French numeric ("30/04/2025", "30-04-2025", "30.04.2025") or French words
 * ("30 avril 2025", "1er novembre 2025", "lundi 4 mai 2026", "2 novembre 2026 (session de novembre)").
 * Returns null when it is not one unambiguous valid date.
 */
export function parseCalendarDate(input: string): CalendarDate | null {
  const cleaned = clean(input);
  if (cleaned === '' || cleaned.length > 64) return null;
  // « Lundi 4 mai 2026 (session de mai) »: a weekday before and a comment without digits after, as drop-downs word dates.
  const bare = cleaned.replace(LEADING_WORDS, '');
  const weekday = /^(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+/.exec(bare)?.[1];
  const text = bare.replace(/^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+/, '').replace(TRAILING_COMMENT, '');
  const date = parseBareDate(text, input);
  // A weekday that is not the date's makes it ambiguous (« mardi 4 mai 2026 » is a Monday).
  if (date !== null && weekday !== undefined && WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] !== weekday) return null;
  return date;
}

const WEEKDAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

function parseBareDate(text: string, input: string): CalendarDate | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return toDate(+m[1]!, +m[2]!, +m[3]!);
  if (/^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}/.test(text)) return parisDateOf(input.trim());
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) return toDate(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[m[2]!];
    return month === undefined ? null : toDate(+m[3]!, month, +m[1]!);
  }
  return null;
}

const MONTH_NAMES = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** First and last day of a month, and its French name (« septembre 2025 »), for a date planned to the month. */
export function monthSpan(m: { year: number; month: number }): { first: CalendarDate; last: CalendarDate; label: string } {
  return {
    first: format(m.year, m.month, 1),
    last: format(m.year, m.month, daysInMonth(m.year, m.month)),
    label: `${MONTH_NAMES[m.month - 1]} ${m.year}`,
  };
}

/** A month of a year ("Novembre 2026", "11/2026", "2026-11"): session start dates are often chosen that way. */
export function parseMonthYear(input: string): { year: number; month: number } | null {
  const text = clean(input).replace(LEADING_WORDS, '').replace(TRAILING_COMMENT, '');
  let m = /^([a-z]+)\.?\s+(\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS[m[1]!];
    return month === undefined ? null : { year: +m[2]!, month };
  }
  m = /^(\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m && +m[1]! >= 1 && +m[1]! <= 12) return { year: +m[2]!, month: +m[1]! };
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return { year: +m[1]!, month: +m[2]! };
  return null;
}

function toDate(year: number, month: number, day: number): CalendarDate | null {
  return isValidCalendarDate(year, month, day) ? format(year, month, day) : null;
}

/** Paris wall-clock time « 00:10 » of an ISO datetime (a late deposit is a matter of minutes). */
export function parisTimeOf(isoDateTime: string): string | null {
  const instant = new Date(isoDateTime);
  if (Number.isNaN(instant.getTime())) return null;
  const w = parisWallClock(instant);
  return `${w.hour}:${w.minute}`;
}
