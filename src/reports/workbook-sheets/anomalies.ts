import type ExcelJS from 'exceljs';
import { dossierUrl } from '../dossier-url.ts';
import { parisDay, SEVERITY_LABELS } from '../../shared/french-format.ts';
import { candidateName } from '../report-columns.ts';
import type { DossierReportRow, FindingReportRow, ReportData } from '../report-data.ts';
import { FILLS, FROZEN_HEADER, writeTable, type SheetColumn } from './table.ts';
import { withPrintSetup } from './print-setup.ts';

export const ANOMALIES_SHEET = 'Anomalies';

function severityFill(f: FindingReportRow): string | undefined {
  if (f.severity === 'bloquant') return FILLS.bloquant;
  if (f.severity === 'alerte') return FILLS.alerte;
  return undefined;
}

/** One row per finding of a live dossier. */
export async function writeAnomaliesSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  data: ReportData,
  uiBaseUrl: string,
): Promise<number> {
  const dossiers = new Map<number, DossierReportRow>(data.dossiers.map((d) => [d.number, d]));
  const name = (f: FindingReportRow) => {
    const dossier = dossiers.get(f.dossierNumber);
    return dossier ? candidateName(dossier) : { nom: '', prenom: '' };
  };
  const columns: SheetColumn<FindingReportRow>[] = [
    {
      header: 'N° dossier',
      width: 12,
      value: (f) => ({ text: String(f.dossierNumber), hyperlink: dossierUrl(uiBaseUrl, data.demarche.number, f.dossierNumber) }),
    },
    { header: 'Nom', width: 20, value: (f) => name(f).nom || null },
    { header: 'Prénom', width: 18, value: (f) => name(f).prenom || null },
    { header: 'Règle', width: 24, value: (f) => f.ruleId },
    { header: 'Gravité', width: 11, value: (f) => SEVERITY_LABELS[f.severity] ?? f.severity, fill: severityFill },
    { header: 'Message', width: 60, value: (f) => f.message },
    { header: 'Champ', width: 32, value: (f) => f.champLabel },
    { header: 'Valeur', width: 32, value: (f) => f.champValue },
    { header: 'Constaté le', width: 12, kind: 'date', value: (f) => parisDay(f.firstSeenAt) },
  ];
  const sheet = workbook.addWorksheet(ANOMALIES_SHEET, withPrintSetup(workbook, FROZEN_HEADER));
  const count = await writeTable(sheet, columns, data.findings);
  sheet.commit();
  return count;
}
