import { type Candidature, type FieldValue, fieldOf } from '../candidature.ts';
import type { RuleContext } from '../context.ts';
import type { Finding, Rule } from '../finding.ts';
import { isHundredPercent } from '../validators/percent.ts';
import { cannotCheck, durationYearsOf, emptyReportedElsewhere, evidenceOf, finding, frDate, quote, startDateOf } from './helpers.ts';

/**
 * DES and thesis obtained (or planned) no later than the start date (seed 003: "Il est impératif
 * que le DES et la thèse aient été validés à la date d'entrée en fonction").
 */
export const theseDesAvantPrise: Rule = {
  id: 'elig.these_des_avant_prise',
  programmes: ['asr'],
  severity: 'bloquant',
  title: 'Thèse et DES validés avant la prise de fonction',
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

interface YearShares {
  readonly year: number;
  readonly fields: readonly FieldValue[];
}

/**
 * Years to check: those of the chosen duration; when the duration is unknown, year 1 and any year
 * 2 the dossier filled in (no year 2 for a one-year post).
 */
function yearsToCheck(c: Candidature, prefixes: readonly string[]): YearShares[] {
  const duration = durationYearsOf(c);
  const year2 = prefixes.map((p) => fieldOf(c, `${p}.annee2`));
  const withYear2 = duration === null ? year2.some((f) => f.status === 'rempli') : duration >= 2;
  const years: YearShares[] = [{ year: 1, fields: prefixes.map((p) => fieldOf(c, `${p}.annee1`)) }];
  if (withYear2) years.push({ year: 2, fields: year2 });
  return years;
}

/** Reads the shares of one year; returns findings for what cannot be read, or the percentages. */
function readShares(ruleId: string, title: string, shares: YearShares, ctx: RuleContext): { findings: Finding[]; values: number[] | null } {
  const findings: Finding[] = [];
  const values: number[] = [];
  for (const f of shares.fields) {
    const unknown = cannotCheck(ruleId, title, f);
    if (unknown) findings.push(unknown);
    else if (f.status === 'vide') {
      if (!emptyReportedElsewhere(f, ctx)) findings.push(finding(ruleId, 'bloquant', `Quotité de l'année ${shares.year} non renseignée (champ « ${f.label} »).`, [evidenceOf(f)]));
    } else if (f.percent === null) {
      findings.push(finding(ruleId, 'bloquant', `Quotité illisible ${quote(f.raw)} (champ « ${f.label} ») : un pourcentage est attendu, par exemple 40 %.`, [evidenceOf(f)]));
    } else values.push(f.percent);
  }
  return { findings, values: values.length === shares.fields.length ? values : null };
}

/**
 * Weekly time split per year: CHU at least 20 % (one day) and at most 40 %, peripheral CH at least
 * 60 %, together 100 % (seed 003, annexe 4 and page 1).
 */
export const quotiteAsr: Rule = {
  id: 'elig.quotite_asr',
  programmes: ['asr'],
  severity: 'bloquant',
  title: 'Répartition du temps CHU / CH',
  evaluate(c, ctx) {
    const out: Finding[] = [];
    for (const shares of yearsToCheck(c, ['quotite.chu', 'quotite.ch'])) {
      const { findings, values } = readShares(this.id, this.title, shares, ctx);
      out.push(...findings);
      if (values === null) continue;
      const [chu, ch] = values as [number, number];
      const evidence = shares.fields.map(evidenceOf);
      const y = `année ${shares.year}`;
      if (chu < 20 || chu > 40) out.push(finding(this.id, 'bloquant', `Temps au CHU de ${chu} % en ${y} : il doit être compris entre 20 % (une journée) et 40 %.`, evidence));
      if (ch < 60) out.push(finding(this.id, 'bloquant', `Temps au centre hospitalier de ${ch} % en ${y} : il doit être d'au moins 60 %.`, evidence));
      if (!isHundredPercent(chu + ch)) out.push(finding(this.id, 'bloquant', `Répartition de l'${y} : CHU ${chu} % + CH ${ch} % = ${Math.round((chu + ch) * 100) / 100} %, le total doit faire 100 %.`, evidence));
    }
    return out;
  },
};

/** Ambulatory share at least 50 %, hospital + ambulatory 100 % (seed 004: "à hauteur de 50% minimum"). */
export const quotiteAsap: Rule = {
  id: 'elig.quotite_asap',
  programmes: ['asap'],
  severity: 'bloquant',
  title: 'Répartition du temps hospitalier / ambulatoire',
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const years = yearsToCheck(c, ['quotite.hospitalier', 'quotite.ambulatoire']).filter(
      // The ASAP form has one split; a year 2 is checked only where the form has year-2 champs.
      (y) => y.year === 1 || y.fields.some((f) => f.mapped),
    );
    for (const shares of years) {
      const { findings, values } = readShares(this.id, this.title, shares, ctx);
      out.push(...findings);
      if (values === null) continue;
      const [hosp, ambu] = values as [number, number];
      const evidence = shares.fields.map(evidenceOf);
      const y = years.length > 1 ? ` en année ${shares.year}` : '';
      if (ambu < 50) out.push(finding(this.id, 'bloquant', `Temps en structure ambulatoire de ${ambu} %${y} : il doit être d'au moins 50 % (consultations avancées).`, evidence));
      if (!isHundredPercent(hosp + ambu)) out.push(finding(this.id, 'bloquant', `Répartition${y} : hospitalier ${hosp} % + ambulatoire ${ambu} % = ${Math.round((hosp + ambu) * 100) / 100} %, le total doit faire 100 %.`, evidence));
    }
    return out;
  },
};

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
