// Zero-width and bidi control characters that survive copy-paste from word processors.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is removed on its own, joiners included.
const INVISIBLES = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;
const COMBINING = /\p{M}/gu;

// ASCII text is left unchanged by NFKD and holds no invisible or combining character: most values
// take this shortcut, which skips a normalisation and two replacements.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at U+0000.
const NON_ASCII = /[^\u0000-\u007F]/;

/** Removes zero-width and bidi control characters (copy-paste debris), nothing else. */
export function removeInvisibles(input: string): string {
  return NON_ASCII.test(input) ? input.replace(INVISIBLES, '') : input;
}

/** Removes invisible characters and diacritics (NFKD then combining marks dropped). */
export function stripAccentsAndInvisibles(input: string): string {
  if (!NON_ASCII.test(input)) return input;
  return input.normalize('NFKD').replace(INVISIBLES, '').replace(COMBINING, '');
}

/** Lower case, no accents or invisible characters, punctuation and runs of spaces as one space. */
export function normalizeText(input: string): string {
  return stripAccentsAndInvisibles(input)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Normalised form of a person's name for comparison: accents and invisible characters removed,
 * lower case, hyphens, apostrophes and runs of spaces as one space ("Jean-Édouard  D'Arc" →
 * "jean edouard d arc").
 */
export function normalizeName(input: string): string {
  return stripAccentsAndInvisibles(input)
    .toLowerCase()
    .replace(/[-\u2010-\u2015\u2212'\u2018\u2019\u02BC`´]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
