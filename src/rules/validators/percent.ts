import { removeInvisibles, stripAccentsAndInvisibles } from '../../shared/names.ts';

/**
 * Parses a share of time written as a percentage: 40, "40", "40 %", "40,5%", "40.5 pour cent",
 * "20 % (1 jour)" (the days must agree with the share).
 * Returns a number in percent, or null when the text is not plainly a percentage.
 * A bare 0.4 is read as 0.4 %, not 40 %: guessing would hide a form error from the instructor (the
 * time-split rules read a year whose shares are all fractions summing to one as such, with an alerte).
 */
export function parsePercent(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const text = removeInvisibles(input.normalize('NFKC')).trim().toLowerCase();
  const match =
    /^(\d{1,3}(?:[.,]\d+)?)\s*(?:%|pour\s*cent|pourcent)?(?:\s*\(\s*(\d+(?:[.,]\d+)?)\s*(?:j|jours?|journées?)(?:\s*(?:\/|par)\s*semaine)?\s*\))?$/.exec(
      text,
    );
  if (!match?.[1]) return daysPerWeek(text);
  const value = Number(match[1].replace(',', '.'));
  if (!Number.isFinite(value)) return null;
  // « 20 % (1 jour) »: a weekly day is 20 % (seed 003: « au moins 1 journée »); days that say otherwise make it unreadable.
  if (match[2] !== undefined && Math.abs(Number(match[2].replace(',', '.')) * PERCENT_PER_WEEKDAY - value) >= 0.01) return null;
  return value;
}

/** One working day of a five-day week (seed 003: « au moins 1 journée », i.e. 20 %). */
const PERCENT_PER_WEEKDAY = 20;

/**
 * A share typed in days of the week alone, as seed 003 words it (« au moins 1 journée … par
 * semaine »): « 1 jour par semaine » is 20 %, « 3 jours/semaine » 60 %, « 4 demi-journées par
 * semaine » 40 %. The week must be said: « 2 jours » alone may be per month.
 */
function daysPerWeek(text: string): number | null {
  const m = /^(\d{1,2}(?:[.,]5)?)\s*(demi[\s-]?journees?|demi[\s-]?jours?|journees?|jours?|j)\s*(?:\/|par)\s*(?:semaine|sem\.?)$/.exec(
    stripAccentsAndInvisibles(text),
  );
  if (!m?.[1] || !m[2]) return null;
  const days = Number(m[1].replace(',', '.')) * (m[2].startsWith('demi') ? 0.5 : 1);
  return days <= 5 ? days * PERCENT_PER_WEEKDAY : null;
}

/** Sums of percentages compare within a hundredth, so 33.33 + 66.67 counts as 100. */
export function isHundredPercent(sum: number): boolean {
  return Math.abs(sum - 100) < 0.01;
}
