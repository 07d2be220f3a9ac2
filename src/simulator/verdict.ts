/** PROGRAMMES.md « Duplicates »: NFKD, no combining marks or zero-width characters, lower case, hyphens/apostrophes/spaces as one space. */
export function normalisedName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u200b-\u200d\u2060\ufeff]/g, '')
    .toLowerCase()
    .replace(/[-'’\s]+/g, ' ')
    .trim();
}
