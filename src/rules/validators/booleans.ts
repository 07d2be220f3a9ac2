import { normalizeName } from '../../shared/names.ts';

const TRUE_WORDS = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x', 'coche', 'accepte', 'j accepte', 'd accord']);
const FALSE_WORDS = new Set(['non', 'n', 'no', 'false', 'faux', '0', 'non coche', 'refuse', 'je refuse']);

/** "Oui"/"Non" and friends typed as text; null when the text is not a plain yes or no. */
export function parseLooseBoolean(input: string | boolean | null | undefined): boolean | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'boolean') return input;
  const text = normalizeName(input)
    .replace(/[.!]+$/, '')
    .trim();
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  // « Oui – date de soutenance : … » (seed 004), « Non, pas encore »: a plain yes or no, then a comment.
  const lead = /^\s*(oui|non)\s*[,;:(\-\u2010-\u2015]/i.exec(input.normalize('NFKC'))?.[1]?.toLowerCase();
  return lead === undefined ? null : lead === 'oui';
}
