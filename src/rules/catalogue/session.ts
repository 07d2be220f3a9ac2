import { fieldOf } from '../candidature.ts';
import type { Finding, Rule } from '../finding.ts';
import { cannotCheck, durationYearsOf, emptyReportedElsewhere, evidenceOf, finding, frDate, quote, startDateOf } from './helpers.ts';

/** Start date is one of the session's dates; duration is one the session allows (seeds 003, 004). */
export const session: Rule = {
  id: 'elig.session',
  programmes: ['asr', 'asap'],
  severity: 'bloquant',
  title: 'Prise de fonction et durée conformes à la session',
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const f = fieldOf(c, 'poste.date_prise_fonction');
    const starts = ctx.session.startDates;
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) out.push(unknown);
    else if (f.status === 'rempli') {
      if (starts.length === 0) {
        out.push(finding(this.id, 'info', `Règle « ${this.title} » : n'a pas pu être vérifiée : la configuration ne donne pas les dates de prise de fonction de la session (session.startDates).`, [evidenceOf(f)]));
      } else {
        const start = startDateOf(c, ctx);
        if (start.date === null || !starts.includes(start.date)) {
          out.push(finding(this.id, 'bloquant', `Prise de fonction ${quote(f.raw)} (champ « ${f.label} ») : elle doit être l'une des dates de la session (${starts.map(frDate).join(', ')}).`, [evidenceOf(f)]));
        }
      }
    } else if (!emptyReportedElsewhere(f, ctx)) {
      out.push(finding(this.id, 'bloquant', `Date de prise de fonction non renseignée (champ « ${f.label} »).`, [evidenceOf(f)]));
    }

    const d = fieldOf(c, 'poste.duree_annees');
    const allowed = ctx.session.durationsYears;
    if (!d.mapped && ctx.programme.id !== 'asr') return out;
    const unknownDuration = cannotCheck(this.id, this.title, d);
    if (unknownDuration) out.push(unknownDuration);
    else if (d.status === 'rempli') {
      const years = durationYearsOf(c);
      if (allowed.length === 0) {
        out.push(finding(this.id, 'info', `Règle « ${this.title} » : durée non vérifiée : la configuration ne donne pas les durées possibles (session.durationsYears).`, [evidenceOf(d)]));
      } else if (years === null || !allowed.includes(years)) {
        out.push(finding(this.id, 'bloquant', `Durée ${quote(d.raw)} (champ « ${d.label} ») : elle doit être de ${allowed.join(' ou ')} an(s).`, [evidenceOf(d)]));
      }
    } else if (!emptyReportedElsewhere(d, ctx)) {
      out.push(finding(this.id, 'bloquant', `Durée des fonctions non renseignée (champ « ${d.label} »).`, [evidenceOf(d)]));
    }
    return out;
  },
};
