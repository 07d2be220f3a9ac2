import { removeInvisibles } from '../../shared/names.ts';

/**
 * Reads a number typed the ways forms do: 2, "2", "2 ans", "1 an", "2,5", "48 000", BigInt strings
 * from IntegerNumberChamp. Returns null when the text is not plainly one number.
 */
export function parseLooseNumber(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'number') return Number.isFinite(input) ? input : null;
  const text = removeInvisibles(input.normalize('NFKC'))
    
    .toLowerCase()
    .trim();
  if (text.length > 64) return null;
  const m = /^(-?\d{1,3}(?:[ \u00A0\u202F]\d{3})+|-?\d+)(?:[.,](\d+))?\s*(?:ans?|annees?|années?|mois|€|eur|euros?)?$/.exec(text);
  if (!m?.[1]) return null;
  const value = Number(`${m[1].replace(/[ \u00A0\u202F]/g, '')}${m[2] ? `.${m[2]}` : ''}`);
  return Number.isFinite(value) ? value : null;
}
