/**
 * Which row of a repetition block a mapping key reads: the row whose selector cell (« Année »,
 * « Année de fonctions »…) says the configured value, never the row at some position. Candidates
 * type the year their own way, so the comparison is tolerant:
 * - a value that names a number (2, "2", "Année 2", "deuxième année") matches a cell that names
 *   exactly that one number: "2", "2e année", "Année 2", "2ème", "2nde", "deuxième année",
 *   "Seconde année", a DS number 2; "Année 2025-2026" or "1 et 2" name other or several numbers
 *   and match nothing;
 * - any other value matches a cell with the same text, case, accents and punctuation aside.
 */
import { normalizeLabel } from './normalize-label.ts';

// Ordinal and cardinal words a candidate may type for a year or a rank (accents removed).
const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['premier', 1],
  ['premiere', 1],
  ['deux', 2],
  ['deuxieme', 2],
  ['second', 2],
  ['seconde', 2],
  ['nde', 2],
  ['trois', 3],
  ['troisieme', 3],
  ['quatre', 4],
  ['quatrieme', 4],
  ['cinq', 5],
  ['cinquieme', 5],
]);

function plain(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The distinct numbers a text names, in digits or in words (« 2e », « deuxième », « 2nde »). */
export function numbersNamed(text: string): number[] {
  const found = new Set<number>();
  const t = plain(text);
  for (const m of t.matchAll(/\d+(?:[.,]\d+)?/g)) found.add(Number(m[0].replace(',', '.')));
  for (const word of t.split(/[^a-z]+/)) {
    const n = NUMBER_WORDS.get(word);
    // « nde » only as the tail of « 2nde », already read as 2.
    if (n !== undefined && word !== 'nde') found.add(n);
  }
  return [...found];
}

/** The number a configured value names (2, "2", "Année 2"), or null when it names none or several. */
function wantedNumber(value: string | number): number | null {
  if (typeof value === 'number') return value;
  const numbers = numbersNamed(value);
  return numbers.length === 1 ? numbers[0]! : null;
}

/** Does a selector cell (its text as read from the dossier) say the configured value? */
export function rowValueMatches(cell: string | null, value: string | number): boolean {
  if (cell === null || cell.trim() === '') return false;
  const n = wantedNumber(value);
  if (n !== null) {
    const named = numbersNamed(cell);
    return named.length === 1 && named[0] === n;
  }
  return normalizeLabel(cell) === normalizeLabel(String(value));
}
