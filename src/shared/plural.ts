/**
 * Counts in French: « 0 dossier », « 1 dossier », « 2 dossiers » (the plural starts at 2), never
 * « dossier(s) ». No import: the CLI's help and usage errors use it without loading anything else.
 */

/** `10 000`: digits grouped by three with plain spaces. */
function grouped(count: number): string {
  return Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ' ') : String(count);
}

/** The word or words agreed with `count`: `many` defaults to `one` followed by « s ». */
export function agree(count: number, one: string, many = `${one}s`): string {
  return Math.abs(count) >= 2 ? many : one;
}

/** `count` and its agreed word: plural(3, 'dossier') → « 3 dossiers ». */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${grouped(count)} ${agree(count, one, many)}`;
}
