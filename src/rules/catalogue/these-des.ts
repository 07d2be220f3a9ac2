import { type Candidature, fieldOf } from '../candidature.ts';
import { parisDateOf } from '../../shared/dates.ts';
import type { Finding, Rule } from '../finding.ts';
import {
  cannotCheck,
  emptyReportedElsewhere,
  evidenceOf,
  finding,
  frDate,
  quote,
  shortLabel,
  startDateOf,
  unmappedNeeds,
} from './helpers.ts';

/**
 * DES and thesis obtained (or planned) no later than the start date (seed 003: "Il est impératif
 * que le DES et la thèse aient été validés à la date d'entrée en fonction").
 */
const WHAT = {
  'candidat.date_these': {
    missing: 'Date de soutenance de thèse (passée ou prévue)',
    done: 'Thèse soutenue le',
    planned: 'Soutenance de thèse prévue le',
    rule: 'la thèse doit être soutenue au plus tard à l’entrée en fonction',
    check: 'que la thèse est ou sera soutenue au plus tard à la prise de fonction',
  },
  'candidat.date_des': {
    missing: 'Date d’obtention du DES (passée ou prévue)',
    done: 'DES obtenu le',
    planned: 'Obtention du DES prévue le',
    rule: 'le DES doit être obtenu au plus tard à l’entrée en fonction',
    check: 'que le DES est ou sera obtenu au plus tard à la prise de fonction',
  },
} as const;

/**
 * A date still to come is a plan, not an achievement: any date after the deposit (Paris day), even
 * when the form says « thèse soutenue » (a future date is never shown as done), and the thesis when
 * the form says it is not passed yet.
 */
function isPlanned(c: Candidature, key: keyof typeof WHAT, date: string): boolean {
  const deposit = parisDateOf(c.dateDepot);
  if (deposit === null || date > deposit) return true;
  if (key === 'candidat.date_these') {
    const passed = fieldOf(c, 'candidat.these_soutenue');
    if (passed.status === 'rempli' && passed.boolean !== null) return !passed.boolean;
  }
  return false;
}

export const theseDesAvantPrise: Rule = {
  id: 'elig.these_des_avant_prise',
  programmes: ['asr'],
  severity: 'bloquant',
  title: 'Thèse soutenue et DES obtenu avant la prise de fonction',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['candidat.date_these', 'candidat.date_des']),
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const start = startDateOf(c, ctx);
    for (const key of ['candidat.date_these', 'candidat.date_des'] as const) {
      const what = WHAT[key];
      const f = fieldOf(c, key);
      const unknown = cannotCheck(this.id, this.title, f);
      if (unknown) {
        out.push(unknown);
        continue;
      }
      if (f.status === 'vide') {
        if (!emptyReportedElsewhere(f, ctx))
          out.push(finding(this.id, 'bloquant', `${what.missing} non renseignée (champ « ${shortLabel(f.label)} »).`, [evidenceOf(f)]));
        continue;
      }
      if (f.date === null) {
        out.push(
          finding(
            this.id,
            'alerte',
            `Date illisible ${quote(f.raw)} (champ « ${shortLabel(f.label)} ») : vérifiez à la main ${what.check}.`,
            [evidenceOf(f)],
          ),
        );
        continue;
      }
      if (start.date === null) {
        out.push(
          finding(
            this.id,
            'info',
            `Règle « ${this.title} » : n’a pas pu être vérifiée (${lowerFirst(what.missing)}) : ${start.problem ?? 'date de prise de fonction inconnue'}.`,
            [evidenceOf(f), start.evidence],
          ),
        );
        continue;
      }
      if (f.date > start.date) {
        const when = isPlanned(c, key, f.date) ? what.planned : what.done;
        out.push(
          finding(this.id, 'bloquant', `${when} ${frDate(f.date)}, après la prise de fonction du ${frDate(start.date)} : ${what.rule}.`, [
            evidenceOf(f),
            start.evidence,
          ]),
        );
      }
    }
    return out;
  },
};

/** « Date d’obtention du DES » → « date d’obtention du DES »: the acronym keeps its capitals. */
function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
