import { fieldOf } from '../candidature.ts';
import { frenchYears } from '../../shared/french-format.ts';
import type { Finding, Rule } from '../finding.ts';
import {
  cannotCheck,
  durationYearsOf,
  emptyReportedElsewhere,
  evidenceOf,
  finding,
  frDate,
  quote,
  shortLabel,
  shownValue,
  startDateOf,
  unmappedNeeds,
} from './helpers.ts';

const NO_START_DATES = 'la configuration ne donne pas les dates de prise de fonction de la session (session.startDates)';
const NO_DURATIONS = 'la configuration ne donne pas les durées possibles (session.durationsYears)';

/** Start date is one of the session's dates; duration is one the session allows (seeds 003, 004). */
export const session: Rule = {
  id: 'elig.session',
  programmes: ['asr', 'asap'],
  severity: 'bloquant',
  title: 'Prise de fonction et durée conformes à la session',
  skipped(ctx, isMapped) {
    const out = unmappedNeeds(ctx, isMapped, ['poste.date_prise_fonction', ...(ctx.programme.id === 'asr' ? ['poste.duree_annees'] : [])]);
    if (ctx.session.startDates.length === 0) out.push(NO_START_DATES);
    if (ctx.session.durationsYears.length === 0 && (ctx.programme.id === 'asr' || isMapped('poste.duree_annees'))) out.push(NO_DURATIONS);
    return out;
  },
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const f = fieldOf(c, 'poste.date_prise_fonction');
    const starts = ctx.session.startDates;
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) out.push(unknown);
    else if (f.status === 'rempli') {
      if (starts.length === 0) {
        out.push({ ...finding(this.id, 'info', NO_START_DATES), scope: 'demarche' });
      } else {
        const start = startDateOf(c, ctx);
        if (start.date === null || !starts.includes(start.date)) {
          out.push(
            finding(
              this.id,
              'bloquant',
              `Prise de fonction ${quote(shownValue(f))} (champ « ${shortLabel(f.label)} ») : elle doit être l’une des dates de la session (${starts.map(frDate).join(', ')}).`,
              [evidenceOf(f)],
            ),
          );
        }
      }
    } else if (!emptyReportedElsewhere(f, ctx)) {
      out.push(
        finding(this.id, 'bloquant', `Date de prise de fonction non renseignée (champ « ${shortLabel(f.label)} »).`, [evidenceOf(f)]),
      );
    }

    const d = fieldOf(c, 'poste.duree_annees');
    const allowed = ctx.session.durationsYears;
    if (!d.mapped && ctx.programme.id !== 'asr') return out;
    const unknownDuration = cannotCheck(this.id, this.title, d);
    if (unknownDuration) out.push(unknownDuration);
    else if (d.status === 'rempli') {
      const years = durationYearsOf(c);
      if (allowed.length === 0) {
        out.push({ ...finding(this.id, 'info', NO_DURATIONS), scope: 'demarche' });
      } else if (years === null || !allowed.includes(years)) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Durée ${quote(d.raw)} (champ « ${shortLabel(d.label)} ») : elle doit être de ${frenchYears(allowed)}.`,
            [evidenceOf(d)],
          ),
        );
      }
    } else if (!emptyReportedElsewhere(d, ctx)) {
      out.push(finding(this.id, 'bloquant', `Durée des fonctions non renseignée (champ « ${shortLabel(d.label)} »).`, [evidenceOf(d)]));
    }
    return out;
  },
};
