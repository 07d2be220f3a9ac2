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
  return withoutComment(input.replace(leading, '').replace(trailing, ''), names);
}

// Identifiers a comment may name: one naming another identifier than the champ's keeps the value malformed.
const IDENTIFIER_NAMES = /\b(rpps|finess|siret|siren|adeli|nir)\b/giu;

/**
 * A comment without digits after the number: « 750712184 - AP-HP », « 73282932000074 (siège) »,
 * « 750712184 (FINESS géographique) ». Kept when it names another identifier (« 732829320 (SIREN) »
 * in a FINESS champ is a SIREN, not a FINESS).
 */
function withoutComment(text: string, names: readonly string[]): string {
  const m = /\s*(?:\(([^()\d]*)\)|\s[-\u2013\u2014,;]\s+([^\d]*))\s*$/u.exec(text);
  if (!m || m.index === 0) return text;
  const comment = (m[1] ?? m[2] ?? '').toLowerCase();
  const others = [...comment.matchAll(IDENTIFIER_NAMES)].some((n) => !names.some((name) => new RegExp(`^(?:${name})$`, 'iu').test(n[1]!)));
  return others ? text : text.slice(0, m.index);
}
