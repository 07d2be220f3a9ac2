import type ExcelJS from 'exceljs';
import { getProgramme } from '../../domain/programmes/index.ts';
import { cellText, TEXT_FORMAT } from '../cell-text.ts';
import { plural } from '../../shared/plural.ts';
import { parisDateTime } from '../../shared/paris-time.ts';
import type { ReportData } from '../report-data.ts';
import type { BreakdownTable, CountRow, SummaryModel } from '../summary.ts';
import { HEADER_STYLE } from './table.ts';
import { withPrintSetup } from './print-setup.ts';

export const SUMMARY_SHEET = 'Synthèse';

const EURO_FORMAT = '#,##0 "€"';
const TITLE_FONT: Partial<ExcelJS.Font> = { bold: true, size: 14 };
const SECTION_FONT: Partial<ExcelJS.Font> = { bold: true, size: 12, color: { argb: 'FF1F4E79' } };

type Value = string | number | null;

/** Rows appended one by one and committed at once (the streaming writer keeps nothing). */
class SheetCursor {
  constructor(private readonly sheet: ExcelJS.Worksheet) {}

  line(values: Value[], style?: (cell: ExcelJS.Cell, index: number) => void): void {
    const row = this.sheet.addRow(values.map((v) => (typeof v === 'string' ? cellText(v) : v)));
    if (style) row.eachCell((cell, col) => style(cell, col - 1));
    row.commit();
  }

  blank(): void {
    this.sheet.addRow([]).commit();
  }

  title(text: string): void {
    this.line([text], (cell) => {
      cell.font = TITLE_FONT;
    });
  }

  section(text: string): void {
    this.blank();
    this.line([text], (cell) => {
      cell.font = SECTION_FONT;
    });
  }

  header(values: string[]): void {
    this.line(values, (cell) => {
      cell.style = HEADER_STYLE;
    });
  }

  counts(title: string, heading: string, rows: readonly CountRow[], unit = 'Dossiers'): void {
    this.section(title);
    this.header([heading, unit]);
    for (const row of rows) this.line([row.label, row.count]);
  }

  money(label: string, amount: number | null, format = EURO_FORMAT): void {
    this.line([label, amount], (cell, index) => {
      if (index === 1) cell.numFmt = format;
    });
  }

  breakdown(table: BreakdownTable, main: boolean): void {
    this.section(`${main ? 'Répartition principale' : 'Répartition'} par ${table.dimension.label.toLowerCase()}`);
    this.header([table.dimension.label, 'Dossiers', 'Complets', 'Éligibles', 'À vérifier', 'Non éligibles', 'En instruction', 'Acceptés']);
    for (const r of table.rows)
      this.line([r.value, r.total, r.complets, r.eligibles, r.aVerifier, r.nonEligibles, r.enInstruction, r.acceptes]);
  }
}

/** The *Synthèse* sheet: counts by state and verdict, breakdowns, and the budget when configured. */
export function writeSummarySheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  data: ReportData,
  summary: SummaryModel,
  generatedAt: Date,
): void {
  const sheet = workbook.addWorksheet(SUMMARY_SHEET, withPrintSetup(workbook, { pageSetup: { printTitlesRow: '' } }));
  sheet.columns = [{ width: 46, style: { numFmt: TEXT_FORMAT } }, ...Array.from({ length: 7 }, () => ({ width: 14 }))];
  const out = new SheetCursor(sheet);
  const programme = getProgramme(data.demarche.programme);

  out.title(data.demarche.libelle ?? data.title ?? `Démarche ${data.demarche.number}`);
  out.line([`Démarche ${data.demarche.number} – ${programme.title} – ${programme.region}`]);
  out.line([
    `Généré le ${parisDateTime(generatedAt.toISOString())} (heure de Paris) – ${plural(summary.total, 'dossier')} (dossiers supprimés exclus)`,
  ]);

  out.counts('Dossiers par état', 'État', summary.byState);
  out.counts('Complétude', 'Complet', summary.complet);
  out.counts('Éligibilité', 'Éligible', summary.eligible);

  const [main, ...others] = summary.breakdowns;
  if (main) out.breakdown(main, true);

  const budget = summary.budget;
  if (budget) {
    out.section('Budget (financement ARS par poste)');
    out.money('Montant mensuel brut par poste', budget.monthlyAmountEur);
    out.money('Durée (mois)', budget.months, '0');
    out.money('Coût d’un poste', budget.perPostEur);
    out.money('Postes acceptés', budget.acceptedPosts, '0');
    out.money('Montant engagé (postes acceptés)', budget.committedEur);
    if (budget.envelopeEur !== null) {
      out.money('Enveloppe de la session', budget.envelopeEur);
      out.money('Reste disponible', budget.remainingEur);
    }
    out.money('Postes acceptés + éligibles non encore décidés', budget.potentialPosts, '0');
    out.money('Montant si tous ces postes sont retenus', budget.potentialEur);
  }

  const parameters = data.demarche.sessionParameters ?? [];
  if (parameters.length > 0) {
    out.section('Paramètres de la session');
    out.header(['Paramètre', 'Valeur utilisée']);
    for (const [what, value] of parameters) out.line([what, value]);
  }

  for (const table of others) out.breakdown(table, false);
  out.counts('Anomalies relevées', 'Gravité', summary.findingsBySeverity, 'Anomalies');
  const unchecked = data.demarche.unchecked ?? [];
  out.section('Contrôles non effectués pour toute la démarche, et pourquoi');
  if (unchecked.length === 0) out.line(['Aucun : toutes les règles du programme ont pu être appliquées.']);
  for (const line of unchecked) out.line([line]);
  sheet.commit();
}
