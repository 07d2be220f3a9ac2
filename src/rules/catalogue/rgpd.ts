import { fieldOf } from '../candidature.ts';
import type { Rule } from '../finding.ts';
import { cannotCheck, evidenceOf, finding, shortLabel, unmappedNeeds } from './helpers.ts';

/** Data-protection consent ticked (seed 003 annexe 12, seed 004 "Traitement des données à caractère personnel"). */
export const consentement: Rule = {
  id: 'rgpd.consentement',
  programmes: ['asr', 'asap'],
  severity: 'bloquant',
  title: 'Consentement à la protection des données',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['rgpd.consentement']),
  evaluate(c) {
    const f = fieldOf(c, 'rgpd.consentement');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.boolean === true) return [];
    return [
      finding(
        this.id,
        'bloquant',
        `Consentement à la protection des données non donné (champ « ${shortLabel(f.label)} ») : sans lui, l’ARS ne peut pas traiter la candidature. Demandez au candidat de cocher la case.`,
        [evidenceOf(f)],
      ),
    ];
  },
};
