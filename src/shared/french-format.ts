/** French wording and Paris-time dates shared by the workbook and the digest mail. */
import { parisDateTime, parisWallClock } from './paris-time.ts';

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

// Paris time comes from the one time-zone module (a library, no hand-written summer-time rule).
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

/**
 * An instant in a sentence (« déjà envoyé le … », « modifié dans DS depuis le contrôle du … »):
 * `jj/mm/aaaa hh:mm`, Paris time (`parisDateTime`); a missing one reads « date inconnue », an
 * unreadable one as given.
 */
export function frenchDateTimeOrUnknown(iso: string | null): string {
  if (iso === null) return 'date inconnue';
  return parisDateTime(iso) || iso;
}

/** `YYYY-MM-DD_HHMM` in Paris time, for file names. */
export function parisStamp(instant: Date): string {
  const w = parisWallClock(instant);
  return `${w.year}-${w.month}-${w.day}_${w.hour}${w.minute}`;
}

let count: Intl.NumberFormat | undefined;

/** `10 000`: plain spaces (Intl's narrow no-break space shows as a box in some fonts and mail clients). */
export function frenchCount(n: number): string {
  // Created on first use: loading the French number data costs ~80 ms at start-up.
  return (count ??= new Intl.NumberFormat('fr-FR')).format(n).replace(/[\u202f\u00a0]/g, ' ');
}

/** Seconds as a French reader writes them: « 16,0 s ». */
export function frenchSeconds(seconds: number): string {
  return `${seconds.toFixed(1).replace('.', ',')} s`;
}

/** Durations a session allows, for a message: « 1 ou 2 ans », « 2 ans », « 1 an » (French plural from 2). */
export function frenchYears(years: readonly number[]): string {
  const items = years.map((y) => String(y).replace('.', ','));
  const joined = items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ou ${items.at(-1)}`;
  return `${joined} ${Math.max(...years) >= 2 ? 'ans' : 'an'}`;
}
