import type ExcelJS from 'exceljs';
import {
  DECISION_COLUMNS,
  DECISION_LABELS,
  DECISIONS_FIRST_ROW,
  DECISIONS_SHEET,
  decisionColumnNumber,
  SHEET_PASSWORD,
  type DecisionColumnKey,
} from '../decisions-sheet.ts';
import { dossierUrl } from '../dossier-url.ts';
import { juryOrder } from '../jury-order.ts';
import { completLabel, eligibleLabel, stateLabel } from '../../shared/french-format.ts';
import { candidateName, ESTABLISHMENT_KEYS, fieldCell, fieldText, ORDRE_PRIORITE_KEY } from '../report-columns.ts';
import type { DossierReportRow, ReportData } from '../report-data.ts';
import { eligibleFill } from './dossiers.ts';
import { FROZEN_HEADER, writeTable, type SheetColumn, type TableCell } from './table.ts';
import { withPrintSetup } from './print-setup.ts';

function establishment(row: DossierReportRow): string {
  return ESTABLISHMENT_KEYS.map((key) => fieldText(row, key))
    .filter((t) => t !== '')
    .join(' / ');
}

function ordre(row: DossierReportRow): number | null {
  const value = fieldCell('number', row.fields.get(ORDRE_PRIORITE_KEY));
  return typeof value === 'number' ? value : null;
}

const CAUSES_MAX = 160;

const findingsByData = new WeakMap<ReportData, Map<number, ReportData['findings']>>();

function findingsOf(data: ReportData): Map<number, ReportData['findings']> {
  let byDossier = findingsByData.get(data);
  if (!byDossier) {
    byDossier = new Map();
    for (const f of data.findings) {
      const list = byDossier.get(f.dossierNumber);
      if (list) list.push(f);
      else byDossier.set(f.dossierNumber, [f]);
    }
    findingsByData.set(data, byDossier);
  }
  return byDossier;
}

/** « Non : <causes bloquantes> », « À vérifier : <alertes> » or « Oui », short enough for one cell. */
function verdictAndCauses(row: DossierReportRow, data: ReportData): string {
  const verdict = eligibleLabel(row.evaluation?.eligible ?? null);
  const severity = row.evaluation?.eligible === 'non' ? 'bloquant' : row.evaluation?.eligible === 'a_verifier' ? 'alerte' : null;
  if (severity === null) return verdict;
  const causes = (findingsOf(data).get(row.number) ?? []).filter((f) => f.severity === severity).map((f) => f.champLabel ?? f.message);
  if (causes.length === 0) return verdict;
  const text = `${verdict} : ${[...new Set(causes)].join(' ; ')}`;
  return text.length <= CAUSES_MAX ? text : `${text.slice(0, CAUSES_MAX - 1)}…`;
}

function cellFor(key: DecisionColumnKey, row: DossierReportRow, data: ReportData, uiBaseUrl: string): TableCell {
  switch (key) {
    case 'dossierNumber':
      return { text: String(row.number), hyperlink: dossierUrl(uiBaseUrl, data.demarche.number, row.number) };
    case 'nom':
      return candidateName(row).nom || null;
    case 'prenom':
      return candidateName(row).prenom || null;
    case 'etablissement':
      return establishment(row) || null;
    case 'ordrePriorite':
      return ordre(row);
    case 'etat':
      return stateLabel(row.state);
    case 'complet':
      return completLabel(row.evaluation?.complet ?? null);
    case 'eligible':
      return verdictAndCauses(row, data);
    case 'decision':
    case 'motivation':
    case 'forcer':
      return null;
    case 'dossierId':
      return row.id;
    case 'demarcheNumber':
      return data.demarche.number;
    case 'stateSeen':
      return row.state;
    case 'champsModifiedAt':
      return row.dateDerniereModificationChamps;
  }
}

/**
 * The sheet the jury fills: a drop-down decision and a free motivation per dossier; every other
 * cell locked; hidden columns carry the dossier id, démarche and the version the jury saw.
 */
export async function writeDecisionsSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  data: ReportData,
  uiBaseUrl: string,
): Promise<number> {
  const columns: SheetColumn<DossierReportRow>[] = DECISION_COLUMNS.map((c) => ({
    header: c.header,
    // Verdict and blocking causes, read beside the decision cell: wide enough to wrap, not more,
    // so the visible columns fit one landscape page across.
    width: c.key === 'eligible' ? 34 : c.key === 'motivation' ? 40 : c.width,
    kind: c.key === 'ordrePriorite' || c.key === 'demarcheNumber' ? 'number' : 'text',
    hidden: c.hidden ?? false,
    editable: c.editable ?? false,
    value: (row) => cellFor(c.key, row, data, uiBaseUrl),
    ...(c.key === 'eligible' ? { fill: eligibleFill } : {}),
  }));
  const sheet = workbook.addWorksheet(DECISIONS_SHEET, withPrintSetup(workbook, FROZEN_HEADER));
  const rows = juryOrder(data.dossiers, data.demarche);
  const count = await writeTable(sheet, columns, rows);
  if (count > 0) {
    const letter = (key: DecisionColumnKey) => sheet.getColumn(decisionColumnNumber(key)).letter;
    const range = `${letter('decision')}${DECISIONS_FIRST_ROW}:${letter('decision')}${DECISIONS_FIRST_ROW + count - 1}`;
    // Missing from exceljs' typings, present on the streaming worksheet (one range, not one per cell).
    (sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations.add(
      range,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${DECISION_LABELS.join(',')}"`],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'Décision',
        error: `Choisissez ${DECISION_LABELS.join(', ')}, ou laissez la cellule vide.`,
        showInputMessage: true,
        promptTitle: 'Décision du jury',
        prompt: 'Accepter, Refuser (motivation obligatoire) ou Classer sans suite.',
      },
    );
    const force = `${letter('forcer')}${DECISIONS_FIRST_ROW}:${letter('forcer')}${DECISIONS_FIRST_ROW + count - 1}`;
    (sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations.add(
      force,
      {
        type: 'list',
        allowBlank: true,
        formulae: ['"Oui"'],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: 'Forcer',
        error: 'Écrivez « Oui » ou laissez la cellule vide.',
        showInputMessage: true,
        promptTitle: 'Forcer la décision',
        prompt: '« Oui » : accepter même si le contrôle dit le dossier incomplet ou non éligible.',
      },
    );
  }
  await sheet.protect(SHEET_PASSWORD, {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    autoFilter: true,
    // Sorting moves whole rows, hidden technical cells included: a decision stays with its dossier.
    sort: true,
  });
  sheet.commit();
  return count;
}
