import { removeInvisibles } from '../../shared/names.ts';

/**
 * Reads a number typed the ways forms do: 2, "2", "2 ans", "1 an", "2,5", "48 000", BigInt strings
 * from IntegerNumberChamp, "deux ans", "1 (un) an", "2 ans renouvelable". Returns null when the text is not
 * plainly one number.
 */
export function parseLooseNumber(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const typed = removeInvisibles(input.normalize('NFKC')).toLowerCase().trim();
  if (typed.length > 64) return null;
  // « 2 ans renouvelable (une fois) »: the post lasts what is stated; a renewal is a later contract (seed 002: « durée de 2 ans … Renouvellement possible »).
  const text = typed.replace(/^(.*\b(?:ans?|années?|mois))\s*,?\s*renouvelables?\b.*$/, '$1');
  // « 1 (un) an », « Deux (2) ans »: the same number twice; « deux ans »: a number in words.
  const bare = text
    .replace(/\s*\(([^()]*)\)\s*/g, (all, inner: string) => (sameNumber(inner, text) ? ' ' : all))
    .trim()
    .replace(/\s+/g, ' ');
  const worded = bare.replace(/^([a-z]+)(?=\s|$)/, (word) => NUMBER_WORDS[word]?.toString() ?? word);
  const m = /^(-?\d{1,3}(?:[ \u00A0\u202F]\d{3})+|-?\d+)(?:[.,](\d+))?\s*(?:ans?|annees?|années?|mois|€|eur|euros?)?$/.exec(worded);
  if (!m?.[1]) return null;
  const value = Number(`${m[1].replace(/[ \u00A0\u202F]/g, '')}${m[2] ? `.${m[2]}` : ''}`);
  return Number.isFinite(value) ? value : null;
}

/** Small numbers in words, as drop-down options write durations (« Un an », « Deux ans »). */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  six: 6,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
};

/** A parenthesis that repeats the number of the text in the other notation: « 1 (un) an ». */
function sameNumber(inner: string, text: string): boolean {
  const word = inner.trim();
  const digits = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word];
  if (digits === undefined) return false;
  const first = /^([a-z]+|\d+)/.exec(text)?.[1];
  if (first === undefined) return false;
  return (/^\d+$/.test(first) ? Number(first) : NUMBER_WORDS[first]) === digits;
}
