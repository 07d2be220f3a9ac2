import { normalizeName } from '../../shared/names.ts';

const TRUE_WORDS = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x', 'coche', 'accepte', 'j accepte', 'd accord']);
const FALSE_WORDS = new Set(['non', 'n', 'no', 'false', 'faux', '0', 'non coche', 'refuse', 'je refuse']);

/** "Oui"/"Non" and friends typed as text; null when the text is not a plain yes or no. */
export function parseLooseBoolean(input: string | boolean | null | undefined): boolean | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'boolean') return input;
  const text = normalizeName(input).replace(/[.!]+$/, '').trim();
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return null;
}
