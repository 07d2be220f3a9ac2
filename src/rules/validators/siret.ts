import { isLuhnValid } from './luhn.ts';
import { removeInvisibles } from '../../shared/names.ts';
import { withoutIdentifierLabel } from './identifier-label.ts';
import { agree } from '../../shared/plural.ts';

export type SiretCheck =
  | { status: 'valide'; kind: 'siret' | 'siren'; value: string }
  | { status: 'cle_invalide'; kind: 'siret' | 'siren'; value: string }
  | { status: 'malforme'; reason: string };

// La Poste's establishments share one SIREN; their SIRETs break Luhn and follow a digit-sum rule instead.
const LA_POSTE_SIREN = '356000000';

function digitSum(s: string): number {
  let sum = 0;
  for (const ch of s) sum += ch.charCodeAt(0) - 48;
  return sum;
}

/** SIRET (14 digits) or SIREN (9 digits) with its Luhn key; spaces and dots ignored. */
export function checkSiretOrSiren(input: string): SiretCheck {
  const compact = withoutIdentifierLabel(removeInvisibles(input.normalize('NFKC')), ['siret', 'siren']).replace(/[\s.-]/g, '');
  if (compact === '') return { status: 'malforme', reason: 'valeur vide' };
  if (!/^\d+$/.test(compact)) return { status: 'malforme', reason: 'le numéro ne doit contenir que des chiffres' };
  if (compact.length === 9) {
    return { status: isLuhnValid(compact) ? 'valide' : 'cle_invalide', kind: 'siren', value: compact };
  }
  if (compact.length === 14) {
    // Some La Poste SIRETs (the head office) are Luhn-valid too, so either test passes them.
    const valid = isLuhnValid(compact) || (compact.startsWith(LA_POSTE_SIREN) && digitSum(compact) % 5 === 0);
    return { status: valid ? 'valide' : 'cle_invalide', kind: 'siret', value: compact };
  }
  return {
    status: 'malforme',
    reason: `14 chiffres (SIRET) ou 9 chiffres (SIREN) attendus, ${compact.length} ${agree(compact.length, 'trouvé', 'trouvés')}`,
  };
}
