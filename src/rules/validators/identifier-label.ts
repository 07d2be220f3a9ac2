/**
 * An identifier typed with its own label around it: « n° 10001234565 », « RPPS : 10001234565 »,
 * « 930780127 (FINESS) ». The label is dropped only when it names this identifier (`names`), so a
 * SIRET typed in the RPPS champ stays malformed.
 */
export function withoutIdentifierLabel(input: string, names: readonly string[]): string {
  const name = `(?:${names.join('|')})`;
  const number = String.raw`(?:n\s*°|n[o°]\.?|num(?:[ée]ro)?\.?)`;
  const leading = new RegExp(String.raw`^\s*(?:${number}\s*${name}?|${name}\s*${number}?)\s*[:.]?\s*(?=\S)`, 'iu');
  const trailing = new RegExp(String.raw`\s*\(\s*${name}\s*\)\s*$`, 'iu');
  return input.replace(leading, '').replace(trailing, '');
}

/** « 1 trouvé », « 8 trouvés »: French agrees the participle with the count (0 and 1 are singular). */
export function found(count: number): string {
  return count <= 1 ? 'trouvé' : 'trouvés';
}
