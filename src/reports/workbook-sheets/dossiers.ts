import type ExcelJS from 'exceljs';
import { dossierUrl } from '../dossier-url.ts';
import { completLabel, eligibleLabel, parisDay, SEVERITY_LABELS, stateLabel } from '../../shared/french-format.ts';
import {
  candidateName,
  establishmentColumns,
  fieldCell,
  keyFieldColumns,
  ordrePrioriteColumn,
  type FieldColumn,
} from '../report-columns.ts';
import type { DossierReportRow, FindingReportRow, ReportData } from '../report-data.ts';
import { FILLS, FROZEN_HEADER, writeTable, type SheetColumn } from './table.ts';
import { withPrintSetup } from './print-setup.ts';

export const DOSSIERS_SHEET = 'Dossiers';

/** Fill of an eligibility verdict cell. */
export function eligibleFill(row: DossierReportRow): string | undefined {
  switch (row.evaluation?.eligible) {
    case 'non':
      return FILLS.bloquant;
    case 'a_verifier':
      return FILLS.alerte;
    case 'oui':
      return FILLS.ok;
    default:
      return undefined;
  }
}

function fieldColumn(field: FieldColumn): SheetColumn<DossierReportRow> {
  const kind = field.kind === 'date' ? 'date' : field.kind === 'number' || field.kind === 'percent' ? 'number' : 'text';
  return { header: field.label, width: kind === 'text' ? 28 : 14, kind, value: (row) => fieldCell(field.kind, row.fields.get(field.key)) };
}

// The evaluation's summary when the rules wrote one; otherwise the blocking and warning messages.
function findingsText(row: DossierReportRow, findings: readonly FindingReportRow[] | undefined): string {
  if (row.evaluation?.summary) return row.evaluation.summary;
  return (findings ?? [])
    .filter((f) => f.severity !== 'info')
    .map((f) => `${SEVERITY_LABELS[f.severity]} : ${f.message}`)
    .join('\n');
}

/** Columns of the *Dossiers* sheet for this démarche (depends on the mapped fields). */
export function dossierColumns(
  data: ReportData,
  uiBaseUrl: string,
  packPages?: ReadonlyMap<number, number>,
): SheetColumn<DossierReportRow>[] {
  const { demarche } = data;
  const findingsByDossier = new Map<number, FindingReportRow[]>();
  for (const f of data.findings) findingsByDossier.set(f.dossierNumber, [...(findingsByDossier.get(f.dossierNumber) ?? []), f]);
  const ordre = ordrePrioriteColumn(demarche);
  return [
    {
      header: 'N° dossier',
      width: 12,
      value: (r) => ({ text: String(r.number), hyperlink: dossierUrl(uiBaseUrl, demarche.number, r.number) }),
    },
    { header: 'État', width: 18, value: (r) => stateLabel(r.state) },
    { header: 'Déposé le', width: 12, kind: 'date', value: (r) => parisDay(r.dateDepot) },
    { header: 'En instruction le', width: 12, kind: 'date', value: (r) => parisDay(r.datePassageEnInstruction) },
    { header: 'Traité le', width: 12, kind: 'date', value: (r) => parisDay(r.dateTraitement) },
    { header: 'Groupe instructeur', width: 22, value: (r) => r.groupe },
    { header: 'Nom', width: 20, value: (r) => candidateName(r).nom || null },
    { header: 'Prénom', width: 18, value: (r) => candidateName(r).prenom || null },
    ...establishmentColumns(demarche).map((f) => ({ ...fieldColumn(f), width: 32 })),
    ...keyFieldColumns(demarche).map(fieldColumn),
    ...(ordre ? [{ ...fieldColumn(ordre), width: 12 }] : []),
    { header: 'Complet', width: 10, value: (r) => completLabel(r.evaluation?.complet ?? null) },
    { header: 'Éligible', width: 12, value: (r) => eligibleLabel(r.evaluation?.eligible ?? null), fill: eligibleFill },
    {
      header: 'Bloquants',
      width: 10,
      kind: 'number',
      value: (r) => r.evaluation?.bloquants ?? null,
      fill: (r) => ((r.evaluation?.bloquants ?? 0) > 0 ? FILLS.bloquant : undefined),
    },
    {
      header: 'Alertes',
      width: 10,
      kind: 'number',
      value: (r) => r.evaluation?.alertes ?? null,
      fill: (r) => ((r.evaluation?.alertes ?? 0) > 0 ? FILLS.alerte : undefined),
    },
    { header: 'Constats', width: 60, value: (r) => findingsText(r, findingsByDossier.get(r.number)) || null },
    // Written with the jury pack (report --dossier-jury): where the candidate starts in the PDF.
    ...(packPages
      ? [
          {
            header: 'Page du dossier-jury',
            width: 12,
            kind: 'number' as const,
            value: (r: DossierReportRow) => packPages.get(r.number) ?? null,
          },
        ]
      : []),
  ];
}

/** One row per live dossier. */
export async function writeDossiersSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  data: ReportData,
  uiBaseUrl: string,
  packPages?: ReadonlyMap<number, number>,
): Promise<number> {
  const sheet = workbook.addWorksheet(DOSSIERS_SHEET, withPrintSetup(workbook, FROZEN_HEADER));
  const count = await writeTable(sheet, dossierColumns(data, uiBaseUrl, packPages), data.dossiers);
  sheet.commit();
  return count;
}
