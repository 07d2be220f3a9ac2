import { isLuhnValid } from './luhn.ts';
import { removeInvisibles } from '../../shared/names.ts';
import { withoutIdentifierLabel } from './identifier-label.ts';
import { agree } from '../../shared/plural.ts';

export type FinessCheck =
  | { status: 'valide'; finess: string }
  | { status: 'cle_invalide'; finess: string }
  | { status: 'malforme'; reason: string };

// Département codes: 01-19, 21-95 (20 no longer exists since Corsica's split), 2A, 2B,
// and overseas 97x/98x whose third character is the first of the seven digits.
const FINESS_PATTERN = /^(?:0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5]|2[AB]|9[78])\d{7}$/;

/**
 * FINESS number: 2-character département code + 7 digits, the last digit being a Luhn key
 * over the first eight characters.
 *
 * Corsica: the key of 2A/2B numbers is computed with "20" in place of the letters — the
 * pre-1976 département code the registry still uses for arithmetic. This convention is not
 * formally published; that is why a key mismatch is only ever an "alerte", never "bloquant".
 */
export function checkFiness(input: string): FinessCheck {
  const compact = withoutIdentifierLabel(removeInvisibles(input.normalize('NFKC')), [
    String.raw`finess(?:\s+(?:et|ej|g[ée]ographique|juridique))?`,
  ])
    .replace(/[\s.-]/g, '')
    .toUpperCase();
  if (compact === '') return { status: 'malforme', reason: 'valeur vide' };
  if (compact.length !== 9)
    return { status: 'malforme', reason: `9 caractères attendus, ${compact.length} ${agree(compact.length, 'trouvé', 'trouvés')}` };
  if (!FINESS_PATTERN.test(compact)) {
    return {
      status: 'malforme',
      reason: 'code département (01 à 95, 2A, 2B, 97x, 98x) suivi de 7 chiffres attendu',
    };
  }
  const numeric = compact.replace(/^2[AB]/, '20');
  return isLuhnValid(numeric) ? { status: 'valide', finess: compact } : { status: 'cle_invalide', finess: compact };
}
