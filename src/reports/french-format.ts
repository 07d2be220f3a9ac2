/** French wording and Paris-time dates shared by the workbook and the digest mail. */

export const STATE_LABELS: Readonly<Record<string, string>> = {
  en_construction: 'En construction',
  en_instruction: 'En instruction',
  accepte: 'Accepté',
  refuse: 'Refusé',
  sans_suite: 'Classé sans suite',
};

/** DS states in their lifecycle order (sections of the summary follow it). */
export const STATE_ORDER = ['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'] as const;

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

export type EligibleVerdict = 'oui' | 'non' | 'a_verifier';

export const ELIGIBLE_LABELS: Readonly<Record<EligibleVerdict, string>> = { oui: 'Oui', non: 'Non', a_verifier: 'À vérifier' };

export const SEVERITY_LABELS: Readonly<Record<string, string>> = { bloquant: 'Bloquant', alerte: 'Alerte', info: 'Info' };

export const NOT_EVALUATED = 'Non évalué';

export function completLabel(complet: boolean | null): string {
  return complet === null ? NOT_EVALUATED : complet ? 'Oui' : 'Non';
}

export function eligibleLabel(eligible: EligibleVerdict | null): string {
  return eligible === null ? NOT_EVALUATED : ELIGIBLE_LABELS[eligible];
}

const PARIS = 'Europe/Paris';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

// EU summer time (since 1996): from the last Sunday of March to the last Sunday of October, 01:00 UTC.
function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}

const summerBounds = new Map<number, [number, number]>();

/** Paris offset from UTC in ms; Intl (slow, per call) only for years before the EU rule. */
function parisOffsetMs(instant: Date): number | null {
  const year = instant.getUTCFullYear();
  if (year < 1996) return null;
  let bounds = summerBounds.get(year);
  if (!bounds) summerBounds.set(year, (bounds = [lastSundayUtc(year, 2), lastSundayUtc(year, 9)]));
  const t = instant.getTime();
  return (t >= bounds[0] && t < bounds[1] ? 2 : 1) * 3_600_000;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Calendar date and time of an instant on a Paris wall clock. */
export function parisWallClock(instant: Date): WallClock {
  const offset = parisOffsetMs(instant);
  if (offset !== null) {
    const local = new Date(instant.getTime() + offset);
    return {
      year: String(local.getUTCFullYear()),
      month: pad(local.getUTCMonth() + 1),
      day: pad(local.getUTCDate()),
      hour: pad(local.getUTCHours()),
      minute: pad(local.getUTCMinutes()),
      second: pad(local.getUTCSeconds()),
    };
  }
  const parts: Record<string, string> = {};
  for (const part of partsFormatter.formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: parts.year ?? '0000',
    month: parts.month ?? '01',
    day: parts.day ?? '01',
    hour: parts.hour ?? '00',
    minute: parts.minute ?? '00',
    second: parts.second ?? '00',
  };
}

function parseInstant(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A Date whose UTC fields are the Paris calendar day of `iso` (at midnight). exceljs stores dates
 * as serial numbers read as UTC, so this is what shows the Paris day in a `dd/mm/yyyy` cell.
 * A bare `YYYY-MM-DD` is taken as that calendar day.
 */
export function parisDay(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (bare) return new Date(Date.UTC(Number(bare[1]), Number(bare[2]) - 1, Number(bare[3])));
  const instant = parseInstant(iso);
  if (!instant) return null;
  const w = parisWallClock(instant);
  return new Date(Date.UTC(Number(w.year), Number(w.month) - 1, Number(w.day)));
}

/** `dd/mm/yyyy` in Paris time; empty for a missing or unreadable date. */
export function frenchDate(iso: string | null | undefined): string {
  const day = parisDay(iso);
  if (!day) return '';
  const dd = String(day.getUTCDate()).padStart(2, '0');
  const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${day.getUTCFullYear()}`;
}

/** `dd/mm/yyyy à HH:MM` in Paris time. */
export function frenchDateTime(iso: string): string {
  const instant = parseInstant(iso);
  if (!instant) return '';
  const w = parisWallClock(instant);
  return `${w.day}/${w.month}/${w.year} à ${w.hour}:${w.minute}`;
}

/** `YYYY-MM-DD` of the Paris calendar day (file names, digest periods). */
export function parisDayKey(instant: Date): string {
  const w = parisWallClock(instant);
  return `${w.year}-${w.month}-${w.day}`;
}

/** `YYYY-MM-DD_HHMM` in Paris time, for file names. */
export function parisStamp(instant: Date): string {
  const w = parisWallClock(instant);
  return `${w.year}-${w.month}-${w.day}_${w.hour}${w.minute}`;
}

const count = new Intl.NumberFormat('fr-FR');

/** `10 000`: plain spaces (Intl's narrow no-break space shows as a box in some fonts and mail clients). */
export function frenchCount(n: number): string {
  return count.format(n).replace(/[\u202f\u00a0]/g, ' ');
}
