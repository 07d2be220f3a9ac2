/**
 * The order a jury reads dossiers in, shared by the workbook's Décisions sheet and the jury pack:
 * by group (spécialité when the form has one, else groupe instructeur), then the establishments'
 * « ordre de priorité » (each one's first choices first), then verdict (éligibles, à vérifier,
 * non éligibles, non évalués), then dossier number. Dossiers without a group come last.
 */
import { DIMENSIONS, dimensionValue, fieldCell, ORDRE_PRIORITE_KEY, UNSET, type Dimension } from './report-columns.ts';
import type { DossierReportRow, ReportDemarche } from './report-data.ts';

export type JuryVerdict = 'oui' | 'non' | 'a_verifier' | 'non_evalue';

export function verdictOf(row: DossierReportRow): JuryVerdict {
  return row.evaluation ? row.evaluation.eligible : 'non_evalue';
}

const VERDICT_RANK: Record<JuryVerdict, number> = { oui: 0, a_verifier: 1, non: 2, non_evalue: 3 };

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Spécialité when mapped (`specialite` or `candidat.specialite_des`), else the groupe instructeur. */
export function juryGroupDimension(demarche: ReportDemarche): Dimension {
  const specialite = DIMENSIONS.find((d) => d.id === 'specialite') as Dimension;
  const groupe = DIMENSIONS.find((d) => d.id === 'groupe') as Dimension;
  return specialite.keys.some((k) => k in demarche.mapping) ? specialite : groupe;
}

function priority(row: DossierReportRow): number {
  const value = fieldCell('number', row.fields.get(ORDRE_PRIORITE_KEY));
  return typeof value === 'number' ? value : Number.POSITIVE_INFINITY;
}

export function juryOrder(rows: readonly DossierReportRow[], demarche: ReportDemarche): DossierReportRow[] {
  const dimension = juryGroupDimension(demarche);
  return rows
    .map((row) => {
      const group = dimensionValue(dimension, row);
      return { row, group, unset: group === UNSET ? 1 : 0, priority: priority(row), verdict: VERDICT_RANK[verdictOf(row)] };
    })
    .sort(
      (a, b) =>
        a.unset - b.unset ||
        collator.compare(a.group, b.group) ||
        (a.priority === b.priority ? 0 : a.priority < b.priority ? -1 : 1) ||
        a.verdict - b.verdict ||
        a.row.number - b.row.number,
    )
    .map((entry) => entry.row);
}
