import { normalizeText } from '../validators/names.ts';

// Words that carry no meaning in form labels; "n°"/"numéro" too, since "N° RPPS" and "RPPS" mean the same.
const STOP_WORDS = new Set([
  'de', 'du', 'la', 'le', 'l', 'd', 'des', 'en', 'au', 'aux', 'et', 'a', 'un', 'une', 'les', 'pour', 'par', 'sur',
  'son', 'sa', 'ses', 'votre', 'vos', 'n', 'no', 'num', 'numero', 'o', 'ou', 'si', 'dans', 'avec', 'est', 'il', 'elle',
]);

/** normalizeText of the label, capped: a hostile label of megabytes is not worth comparing whole. */
export function normalizeLabel(label: string): string {
  return normalizeText(label.slice(0, 500));
}

/** Meaningful tokens of a label (stop words dropped). */
export function labelTokens(label: string): string[] {
  return normalizeLabel(label)
    .split(' ')
    .filter((t) => t !== '' && !STOP_WORDS.has(t));
}
