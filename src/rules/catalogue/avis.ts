import { type FieldValue, fieldOf } from '../candidature.ts';
import type { Finding, Rule } from '../finding.ts';
import { normalizeName } from '../../shared/names.ts';
import { cannotCheck, evidenceOf, finding, quote, shortLabel, unmappedNeeds } from './helpers.ts';

type Sense = 'favorable' | 'reserves' | 'defavorable' | 'autre';

/** What a typed avis says: plainly favourable, favourable with reservations, unfavourable, or unclear. */
function senseOf(sens: FieldValue): Sense {
  if (sens.type === 'Checkbox' || sens.type === 'YesNo')
    return sens.boolean === true ? 'favorable' : sens.boolean === false ? 'defavorable' : 'autre';
  const text = normalizeName(sens.values.join(' '))
    .replace(/[.!]+$/, '')
    .trim();
  // « Très favorable », « Favorable sans réserve »: favourable with no reservation is plainly favourable.
  if (text === 'oui' || /^(?:avis )?(?:tres |pleinement |entierement )?favorable(?: sans (?:aucune )?reserves?)?$/.test(text))
    return 'favorable';
  if (/\b(defavorable|non favorable|pas favorable|refus|non)\b/.test(text)) return 'defavorable';
  if (/\bfavorable\b/.test(text) && /\breserves?\b|\bsous reserve\b|\bcondition/.test(text)) return 'reserves';
  return 'autre';
}

function senseMessage(sense: Exclude<Sense, 'favorable'>, sens: FieldValue): string {
  const where = `champ « ${shortLabel(sens.label)} »`;
  switch (sense) {
    case 'defavorable':
      return `Avis défavorable (${quote(sens.raw)}, ${where}) : à examiner avant le jury.`;
    case 'reserves':
      return `Avis favorable avec réserves (${quote(sens.raw)}, ${where}) : lisez les réserves avant le jury.`;
    case 'autre':
      return `Avis ${quote(sens.raw)} (${where}) : ni « Favorable » ni « Défavorable », lisez l’avis signé avant le jury.`;
  }
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
  skipped: (ctx, isMapped) =>
    unmappedNeeds(
      ctx,
      isMapped,
      ctx.programme.requiredAvis.map((key) => [key, `${key}.sens`]),
    ),
  evaluate(c, ctx) {
    const out: Finding[] = [];
    for (const key of ctx.programme.requiredAvis) {
      const piece = fieldOf(c, key);
      const sens = fieldOf(c, `${key}.sens`);
      // The signed letter is the avis: when the form has a piece champ for it, it must be attached.
      const missing = piece.status === 'vide' ? piece : piece.status === 'absent_du_formulaire' && sens.status === 'vide' ? sens : null;
      if (missing !== null) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Dossier incomplet : avis manquant « ${shortLabel(missing.label)} ». Demandez au déposant de joindre l’avis signé.`,
            [evidenceOf(missing)],
          ),
        );
        continue;
      }
      if (piece.status === 'absent_du_formulaire' && sens.status === 'absent_du_formulaire') {
        out.push(cannotCheck(this.id, this.title, piece)!);
        continue;
      }
      if (sens.status !== 'rempli') continue;
      const sense = senseOf(sens);
      if (sense !== 'favorable') out.push(finding(this.id, 'alerte', senseMessage(sense, sens), [evidenceOf(sens), evidenceOf(piece)]));
    }
    return out;
  },
};
