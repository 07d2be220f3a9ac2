import { type Candidature, type FieldValue, fieldOf } from '../candidature.ts';
import type { RuleContext } from '../context.ts';
import type { Finding, Rule } from '../finding.ts';
import { isHundredPercent } from '../validators/percent.ts';
import {
  cannotCheck,
  durationYearsOf,
  emptyReportedElsewhere,
  evidenceOf,
  finding,
  frNumber,
  quote,
  shortLabel,
  unmappedNeeds,
} from './helpers.ts';

/** Sums compare within a hundredth, as isHundredPercent does, so 33.33 + 66.67 makes 100. */
const sameTotal = (sum: number, total: number) => isHundredPercent(sum - total + 100);

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
  // Two rows claiming year 2 are reported even when the duration is unknown, never skipped.
  const withYear2 =
    duration === null ? year2.some((f) => f.status === 'rempli' || f.rowProblem?.problem === 'plusieurs_lignes') : duration >= 2;
  const years: YearShares[] = [{ year: 1, fields: prefixes.map((p) => fieldOf(c, `${p}.annee1`)) }];
  if (withYear2) years.push({ year: 2, fields: year2 });
  return years;
}

/** Reads the shares of one year; returns findings for what cannot be read, or the percentages. */
function readShares(
  ruleId: string,
  title: string,
  shares: YearShares,
  ctx: RuleContext,
  yearNamed = true,
): { findings: Finding[]; values: number[] | null } {
  const findings: Finding[] = [];
  const values: number[] = [];
  // The year's row missing (or claimed twice) is said once, not once per share read from it.
  const rowsReported = new Set<string>();
  for (const f of shares.fields) {
    const row = f.rowProblem;
    if (row !== undefined) {
      const key = `${row.block}\u0000${row.selector}\u0000${row.value}`;
      if (rowsReported.has(key)) continue;
      rowsReported.add(key);
    }
    const unknown = cannotCheck(ruleId, title, f);
    if (unknown) findings.push(unknown);
    else if (f.status === 'vide') {
      if (!emptyReportedElsewhere(f, ctx))
        findings.push(
          finding(ruleId, 'bloquant', `Quotité de l’année ${shares.year} non renseignée (champ « ${shortLabel(f.label)} »).`, [
            evidenceOf(f),
          ]),
        );
    } else if (f.percent === null) {
      // Like an unreadable date: the form cannot be read, not the candidate shown ineligible — a person reads it.
      findings.push(
        finding(
          ruleId,
          'alerte',
          `Quotité illisible ${quote(f.raw)} (champ « ${shortLabel(f.label)} ») : un pourcentage est attendu, par exemple 40 % ; vérifiez la répartition à la main.`,
          [evidenceOf(f)],
        ),
      );
    } else values.push(f.percent);
  }
  if (values.length !== shares.fields.length) return { findings, values: null };
  // « 0,4 » and « 0,6 »: fractions of the week that make a whole, not 0.4 % and 0.6 %. Read as
  // 40 % and 60 % so the split is checked, never silently: an instructor confirms (alerte).
  const sum = values.reduce((a, b) => a + b, 0);
  if (values.every((v) => v > 0 && v <= 1) && values.some((v) => v < 1) && isHundredPercent(sum * 100)) {
    const percents = values.map((v) => v * 100);
    findings.push(
      finding(
        ruleId,
        'alerte',
        `Quotités${yearNamed ? ` de l’année ${shares.year}` : ''} écrites en fractions (${shares.fields.map((f) => quote(f.raw)).join(', ')}) : lues comme ${percents.map((p) => `${frNumber(p)} %`).join(' et ')}. Vérifiez auprès du déposant.`,
        shares.fields.map(evidenceOf),
      ),
    );
    return { findings, values: percents };
  }
  return { findings, values };
}

/**
 * Weekly time split per year: CHU at least 20 % (one day) and at most 40 %, peripheral CH at least
 * 60 %, together 100 % (seed 003, annexe 4 and page 1) — the session's timeSplitAsr.
 */
export const quotiteAsr: Rule = {
  id: 'elig.quotite_asr',
  programmes: ['asr'],
  severity: 'bloquant',
  title: 'Répartition du temps CHU / CH',
  skipped(ctx, isMapped) {
    const twoYears = ctx.session.durationsYears.length === 0 || ctx.session.durationsYears.some((d) => d >= 2);
    const keys = ['quotite.chu.annee1', 'quotite.ch.annee1', ...(twoYears ? ['quotite.chu.annee2', 'quotite.ch.annee2'] : [])];
    return unmappedNeeds(ctx, isMapped, keys);
  },
  evaluate(c, ctx) {
    const out: Finding[] = [];
    for (const shares of yearsToCheck(c, ['quotite.chu', 'quotite.ch'])) {
      const { findings, values } = readShares(this.id, this.title, shares, ctx);
      out.push(...findings);
      if (values === null) continue;
      const [chu, ch] = values as [number, number];
      const [chuField, chField] = shares.fields as [FieldValue, FieldValue];
      const q = ctx.session.timeSplitAsr;
      const y = `année ${shares.year}`;
      if (chu < q.chuMinPercent || chu > q.chuMaxPercent) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Temps au CHU de ${frNumber(chu)} % en ${y} (champ « ${shortLabel(chuField.label)} ») : il doit être compris entre ${q.chuMinPercent} % et ${q.chuMaxPercent} %.`,
            [evidenceOf(chuField)],
          ),
        );
      }
      if (ch < q.chMinPercent) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Temps au centre hospitalier de ${frNumber(ch)} % en ${y} (champ « ${shortLabel(chField.label)} ») : il doit être d’au moins ${q.chMinPercent} %.`,
            [evidenceOf(chField)],
          ),
        );
      }
      if (!sameTotal(chu + ch, q.totalPercent)) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Répartition de l’${y} : CHU ${frNumber(chu)} % + centre hospitalier ${frNumber(ch)} % = ${frNumber(chu + ch)} %, le total doit faire ${q.totalPercent} %.`,
            shares.fields.map(evidenceOf),
          ),
        );
      }
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
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['quotite.hospitalier.annee1', 'quotite.ambulatoire.annee1']),
  evaluate(c, ctx) {
    const out: Finding[] = [];
    const years = yearsToCheck(c, ['quotite.hospitalier', 'quotite.ambulatoire']).filter(
      // The ASAP form has one split; a year 2 is checked only where the form has year-2 champs.
      (y) => y.year === 1 || y.fields.some((f) => f.mapped),
    );
    for (const shares of years) {
      const { findings, values } = readShares(this.id, this.title, shares, ctx, years.length > 1);
      out.push(...findings);
      if (values === null) continue;
      const [hosp, ambu] = values as [number, number];
      const ambuField = shares.fields[1]!;
      const q = ctx.session.timeSplitAsap;
      const y = years.length > 1 ? ` en année ${shares.year}` : '';
      if (ambu < q.ambulatoryMinPercent) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Temps en structure ambulatoire de ${frNumber(ambu)} %${y} (champ « ${shortLabel(ambuField.label)} ») : il doit être d’au moins ${q.ambulatoryMinPercent} % (consultations avancées).`,
            [evidenceOf(ambuField)],
          ),
        );
      }
      if (!sameTotal(hosp + ambu, q.totalPercent)) {
        out.push(
          finding(
            this.id,
            'bloquant',
            `Répartition${y} : hospitalier ${frNumber(hosp)} % + ambulatoire ${frNumber(ambu)} % = ${frNumber(hosp + ambu)} %, le total doit faire ${q.totalPercent} %.`,
            shares.fields.map(evidenceOf),
          ),
        );
      }
    }
    return out;
  },
};
