import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Operation } from '../pushback/plan.ts';
import { OPERATION_LABELS, STATE_LABELS } from '../pushback/state-guard.ts';
import { cellText } from '../reports/cell-text.ts';
import { parisStamp } from '../shared/french-format.ts';
import { FILLS, HEADER_STYLE } from '../reports/workbook-sheets/table.ts';
import { DECISION_LABELS } from './decision-row.schema.ts';
import type { PlanLine } from './plan-decisions.ts';

/** What finally happened to one row. */
export type Outcome = 'applique' | 'deja_fait' | 'echec' | 'bloque' | 'erreur' | 'vide' | 'simulation' | 'non_traite' | 'incertain';

export const OUTCOME_LABELS: Record<Outcome, string> = {
  applique: 'Appliqué',
  deja_fait: 'Déjà fait',
  echec: 'Échec dans DS',
  bloque: 'Bloqué',
  erreur: 'Erreur dans le classeur',
  vide: 'Aucune décision',
  simulation: 'À appliquer (simulation)',
  non_traite: 'Non traité (interrompu)',
  incertain: 'Incertain (vérifié à la prochaine exécution)',
};

/** Outcomes that leave a row for someone to take up again (the command exits 1, the summary mail lists them). */
export const TO_REVIEW: ReadonlySet<Outcome> = new Set(['bloque', 'erreur', 'echec', 'non_traite', 'incertain']);

export interface LineResult {
  line: PlanLine;
  outcome: Outcome;
  /** French detail: the plan's messages and DS's error text, if any. */
  detail: string;
}

export interface ResultSummary {
  source: string;
  demarcheNumber: number;
  applied: boolean;
  finishedAt: Date;
}

const FILL_BY_OUTCOME: Partial<Record<Outcome, string>> = {
  applique: FILLS.ok,
  deja_fait: FILLS.ok,
  echec: FILLS.bloquant,
  erreur: FILLS.bloquant,
  bloque: FILLS.alerte,
  non_traite: FILLS.alerte,
  incertain: FILLS.alerte,
};

const COLUMNS = [
  { header: 'Ligne', width: 8 },
  { header: 'N° dossier', width: 12 },
  { header: 'Décision', width: 20 },
  { header: 'Motivation', width: 40 },
  { header: 'État avant', width: 18 },
  { header: 'Opérations', width: 36 },
  { header: 'Résultat', width: 24 },
  { header: 'Détail', width: 80 },
  { header: 'Contrôle', width: 60 },
] as const;

function decisionText(line: PlanLine): string {
  return line.decision === null ? line.decisionText : DECISION_LABELS[line.decision];
}

/** Builds the result workbook: one row per row of the jury's sheet, then a short summary sheet. */
export function buildResultWorkbook(results: readonly LineResult[], summary: ResultSummary): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ds-ars';
  workbook.created = summary.finishedAt;
  const sheet = workbook.addWorksheet('Résultats', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ width: c.width, style: { alignment: { vertical: 'top', wrapText: c.width >= 36 } } }));
  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  for (const { line, outcome, detail } of results) {
    // Text from the jury or DS goes through cellText: strings stay strings, never formulas.
    const row = sheet.addRow([
      line.rowNumber,
      line.dossierNumber,
      cellText(decisionText(line)),
      cellText(line.motivation),
      line.currentState === null ? null : STATE_LABELS[line.currentState],
      line.operations.map((op: Operation) => OPERATION_LABELS[op]).join(' puis ') || null,
      OUTCOME_LABELS[outcome],
      cellText(detail),
      // « décision contraire au contrôle : … », applied or not.
      cellText(line.contraryToCheck),
    ]);
    const fill = FILL_BY_OUTCOME[outcome];
    if (fill !== undefined) row.getCell(7).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  const about = workbook.addWorksheet('Résumé');
  about.columns = [{ width: 28 }, { width: 60 }];
  about.addRow(['Classeur du jury', cellText(summary.source)]);
  about.addRow(['Démarche', summary.demarcheNumber]);
  about.addRow(['Mode', summary.applied ? 'Décisions envoyées à DS' : 'Simulation : rien n’a été envoyé']);
  about.addRow(['Terminé le (heure de Paris)', parisStamp(summary.finishedAt).replace('_', ' ')]);
  const counts = new Map<Outcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  for (const [outcome, count] of counts) about.addRow([OUTCOME_LABELS[outcome], count]);
  about.getColumn(1).font = { bold: true };
  return workbook;
}

/** `<input>-resultat-<AAAA-MM-JJ_HHMM>.xlsx`, next to the input or in `outputDir`. */
export function resultPath(inputPath: string, outputDir: string | null, now: Date): string {
  const name = basename(inputPath, extname(inputPath));
  return join(outputDir ?? dirname(inputPath), `${name}-resultat-${parisStamp(now)}.xlsx`);
}

/**
 * Writes the workbook readable by its owner only (it names candidates and decisions). Never
 * overwrites: a second run within the same minute gets `-2`, `-3`… Returns the path written.
 */
export async function writeResultWorkbook(workbook: ExcelJS.Workbook, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const data = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
  const stem = path.slice(0, path.length - extname(path).length);
  for (let attempt = 1; ; attempt++) {
    const target = attempt === 1 ? path : `${stem}-${attempt}${extname(path)}`;
    try {
      await writeFile(target, data, { mode: 0o600, flag: 'wx' });
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}
