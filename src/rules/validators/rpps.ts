import { isLuhnValid } from './luhn.ts';
import { removeInvisibles } from '../../shared/names.ts';
import { withoutIdentifierLabel } from './identifier-label.ts';
import { agree } from '../../shared/plural.ts';

export type RppsCheck =
  | { status: 'valide'; rpps: string }
  | { status: 'cle_invalide'; rpps: string }
  | { status: 'malforme'; reason: string };

/**
 * RPPS: 11 digits whose last one is a Luhn key. Spaces (and the usual separators) are ignored,
 * since forms often show it grouped ("10 00 123 456 7").
 */
export function checkRpps(input: string): RppsCheck {
  const compact = withoutIdentifierLabel(removeInvisibles(input.normalize('NFKC')), ['rpps']).replace(/[\s.-]/g, '');
  if (compact === '') return { status: 'malforme', reason: 'valeur vide' };
  if (!/^\d+$/.test(compact)) return { status: 'malforme', reason: 'le numéro ne doit contenir que des chiffres' };
  if (compact.length !== 11)
    return { status: 'malforme', reason: `11 chiffres attendus, ${compact.length} ${agree(compact.length, 'trouvé', 'trouvés')}` };
  return isLuhnValid(compact) ? { status: 'valide', rpps: compact } : { status: 'cle_invalide', rpps: compact };
}
