import { randomUUID } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isReadOnly, type Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { parisStamp } from '../shared/french-format.ts';
import { parisDateTime } from '../shared/paris-time.ts';
import { ensurePrivateDir, freePath, privateWriteStream } from './output-files.ts';
import { defaultBreakdown, type Breakdown } from './report-columns.ts';
import { loadReportData, type ReportData, type ReportDemarche } from './report-data.ts';
import { buildSummary } from './summary.ts';
import { writeAnomaliesSheet } from './workbook-sheets/anomalies.ts';
import { writeDecisionsSheet } from './workbook-sheets/decisions.ts';
import { writeDossiersSheet } from './workbook-sheets/dossiers.ts';
import { writeMetadataSheet } from './workbook-sheets/metadata.ts';
import { setPrintFooter } from './workbook-sheets/print-setup.ts';
import { writeSummarySheet } from './workbook-sheets/summary.ts';

export interface RenderOptions {
  /** DS instructor UI, e.g. https://demat.social.gouv.fr (links to each dossier). */
  uiBaseUrl: string;
  breakdown?: Breakdown | undefined;
  workbookId: string;
  generatedAt: Date;
  /** First page of each candidate in the jury pack written with the workbook. */
  packPages?: ReadonlyMap<number, number> | undefined;
}

export interface RenderCounts {
  dossiers: number;
  findings: number;
}

/**
 * Streams the jury workbook of `data` into `output` (rows are committed as they are written, so
 * memory stays flat with the number of dossiers). Sheets: Synthèse, Dossiers, Anomalies,
 * Décisions, and the very hidden Métadonnées.
 */
export async function renderJuryWorkbook(data: ReportData, options: RenderOptions, output: Writable): Promise<RenderCounts> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'ds-ars';
  workbook.created = options.generatedAt;
  setPrintFooter(
    workbook,
    data.demarche.libelle ?? data.title ?? `Démarche ${data.demarche.number}`,
    parisDateTime(options.generatedAt.toISOString()).replace(' à ', ' '),
  );
  const breakdown = options.breakdown ?? defaultBreakdown(data.demarche.programme);
  writeSummarySheet(workbook, data, buildSummary(data, breakdown), options.generatedAt);
  const dossiers = await writeDossiersSheet(workbook, data, options.uiBaseUrl, options.packPages);
  const findings = await writeAnomaliesSheet(workbook, data, options.uiBaseUrl);
  await writeDecisionsSheet(workbook, data, options.uiBaseUrl);
  writeMetadataSheet(workbook, {
    workbookId: options.workbookId,
    demarcheNumber: data.demarche.number,
    programme: data.demarche.programme,
    generatedAt: options.generatedAt.toISOString(),
    dossiers,
  });
  await workbook.commit();
  return { dossiers, findings };
}

export interface JuryWorkbookOptions {
  demarche: ReportDemarche;
  uiBaseUrl: string;
  /** Private folder for the file (created 0700 if missing). */
  outDir: string;
  breakdown?: Breakdown | undefined;
  now?: Date | undefined;
  packPages?: ReadonlyMap<number, number> | undefined;
}

export interface JuryWorkbookResult extends RenderCounts {
  path: string;
  workbookId: string;
  demarcheNumber: number;
  /** Recorded in `workbooks` (false on a database opened read-only: `decisions` will refuse it). */
  registered: boolean;
}

/** `dossiers-jury_d12345_aumg_2026-11-27_0312` (Paris time). */
export function workbookBaseName(demarche: ReportDemarche, now: Date): string {
  return `dossiers-jury_d${demarche.number}_${demarche.programme}_${parisStamp(now)}`;
}

/**
 * Writes the jury workbook of one démarche (file 0600, written under a temporary name then
 * renamed, so a crash never leaves a half file under the final name) and records it in
 * `workbooks` with the id stored in its metadata.
 */
export async function writeJuryWorkbook(db: Db, options: JuryWorkbookOptions): Promise<JuryWorkbookResult> {
  const now = options.now ?? new Date();
  const data = await loadReportData(db, options.demarche);
  ensurePrivateDir(options.outDir);
  const path = freePath(options.outDir, workbookBaseName(options.demarche, now), 'xlsx');
  const partial = join(dirname(path), `.${randomUUID()}.xlsx.part`);
  const workbookId = randomUUID();
  let counts: RenderCounts;
  try {
    counts = await renderJuryWorkbook(
      data,
      { uiBaseUrl: options.uiBaseUrl, breakdown: options.breakdown, workbookId, generatedAt: now, packPages: options.packPages },
      privateWriteStream(partial),
    );
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new AppError(
      'workbook',
      `Le classeur de la démarche ${options.demarche.number} n’a pas pu être écrit dans « ${options.outDir} » : ${(error as Error).message}. Vérifiez le dossier de sortie (--out) et l’espace disque.`,
      { cause: error },
    );
  }
  const registered = !isReadOnly(db);
  if (registered) {
    await db
      .insertInto('workbooks')
      .values({ id: workbookId, demarche_number: options.demarche.number, path, created_at: now.toISOString(), dossiers: counts.dossiers })
      .execute();
  }
  return { path, workbookId, demarcheNumber: options.demarche.number, registered, ...counts };
}
