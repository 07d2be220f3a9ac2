import { fieldOf } from '../candidature.ts';
import type { Finding, Rule } from '../finding.ts';
import { cannotCheck, emptyReportedElsewhere, evidenceOf, finding, frDate, quote, startDateOf, unmappedNeeds } from './helpers.ts';

/**
 * DES and thesis obtained (or planned) no later than the start date (seed 003: "Il est impératif
 * que le DES et la thèse aient été validés à la date d'entrée en fonction").
 */
export const theseDesAvantPrise: Rule = {
  id: 'elig.these_des_avant_prise',
  programmes: ['asr'],
  severity: 'bloquant',
  title: 'Thèse et DES validés avant la prise de fonction',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['candidat.date_these', 'candidat.date_des']),
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const start = startDateOf(c, ctx);
    for (const [key, what] of [['candidat.date_these', 'la thèse'], ['candidat.date_des', 'le DES']] as const) {
      const f = fieldOf(c, key);
      const unknown = cannotCheck(this.id, this.title, f);
      if (unknown) {
        out.push(unknown);
        continue;
      }
      if (f.status === 'vide') {
        if (!emptyReportedElsewhere(f, ctx)) out.push(finding(this.id, 'bloquant', `Date de ${what === 'la thèse' ? 'soutenance de thèse' : "validation du DES"} (obtenue ou prévue) non renseignée (champ « ${f.label} »).`, [evidenceOf(f)]));
        continue;
      }
      if (f.date === null) {
        out.push(finding(this.id, 'alerte', `Date illisible ${quote(f.raw)} (champ « ${f.label} ») : vérifiez à la main que ${what} sera validé(e) avant la prise de fonction.`, [evidenceOf(f)]));
        continue;
      }
      if (start.date === null) {
        out.push(finding(this.id, 'info', `Règle « ${this.title} » : n'a pas pu être vérifiée pour ${what} : ${start.problem ?? 'date de prise de fonction inconnue'}.`, [evidenceOf(f), start.evidence]));
        continue;
      }
      if (f.date > start.date) {
        out.push(finding(this.id, 'bloquant', `${what === 'la thèse' ? 'Thèse soutenue' : 'DES validé'} le ${frDate(f.date)}, après la prise de fonction du ${frDate(start.date)} : ${what} doit être validé(e) au plus tard à l'entrée en fonction.`, [evidenceOf(f), start.evidence]));
      }
    }
    return out;
  },
};

