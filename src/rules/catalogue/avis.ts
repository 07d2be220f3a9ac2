import { type FieldValue, fieldOf } from '../candidature.ts';
import type { Finding, Rule } from '../finding.ts';
import { normalizeName } from '../validators/names.ts';
import { cannotCheck, evidenceOf, finding, quote, unmappedNeeds } from './helpers.ts';

function isPlainlyFavourable(sens: FieldValue): boolean | null {
  if (sens.type === 'Checkbox' || sens.type === 'YesNo') return sens.boolean;
  const text = normalizeName(sens.values.join(' ')).replace(/[.!]+$/, '');
  return text === 'favorable' || text === 'avis favorable' || text === 'oui';
}

/**
 * Every required avis is attached (a missing one blocks) and, where the form types it, plainly
 * "Favorable" (anything else goes to an instructor). Seeds 003 annexes 5-11, 004 pages 9-13.
 */
export const avisComplets: Rule = {
  id: 'avis.complets',
  programmes: ['asr', 'asap'],
  severity: 'bloquant',
  title: 'Avis requis joints et favorables',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ctx.programme.requiredAvis.map((key) => [key, `${key}.sens`])),
  evaluate(c, ctx) {
    const out: Finding[] = [];
    for (const key of ctx.programme.requiredAvis) {
      const piece = fieldOf(c, key);
      const sens = fieldOf(c, `${key}.sens`);
      // The signed letter is the avis: when the form has a piece champ for it, it must be attached.
      const missing = piece.status === 'vide' ? piece : piece.status === 'absent_du_formulaire' && sens.status === 'vide' ? sens : null;
      if (missing !== null) {
        out.push(finding(this.id, 'bloquant', `Dossier incomplet : avis manquant « ${missing.label} ». Demandez au déposant de joindre l'avis signé.`, [evidenceOf(missing)]));
        continue;
      }
      if (piece.status === 'absent_du_formulaire' && sens.status === 'absent_du_formulaire') {
        out.push(cannotCheck(this.id, this.title, piece)!);
        continue;
      }
      if (sens.status !== 'rempli') continue;
      const favourable = isPlainlyFavourable(sens);
      if (favourable !== true) {
        out.push(finding(this.id, 'alerte', `Avis ${quote(sens.raw)} (champ « ${sens.label} ») : ce n'est pas un avis favorable sans réserve, à examiner.`, [evidenceOf(sens), evidenceOf(piece)]));
      }
    }
    return out;
  },
};
