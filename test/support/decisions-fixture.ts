/**
 * Shared setup of the decisions tests: a simulator on loopback, a real SQLite file synced from
 * it, a configuration, jury workbooks produced by the report module, and a helper that fills
 * the Décisions sheet the way a jury member would (exceljs, real .xlsx files).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseConfig, type Config } from '../../src/config/file.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import { createTestDatabase, dropTestDatabases } from './postgres.ts';
import { RequestBudget } from '../../src/graphql/budget.ts';
import { DsClient } from '../../src/graphql/client.ts';
import { DossierEnvoyerMessageDocument } from '../../src/generated/graphql.ts';
import { DECISIONS_SHEET, decisionColumnNumber, dossierNumberFromCell } from '../../src/reports/decisions-sheet.ts';
import { writeJuryWorkbook } from '../../src/reports/jury-workbook.ts';
import { startSimulator, type ProgrammeId, type RunningSimulator, type SimDemarcheInfo } from '../../src/simulator/index.ts';
import { runSync } from '../../src/sync/sync-runner.ts';

export interface DecisionsWorld {
  sim: RunningSimulator;
  dir: string;
  db: Db;
  /** The DS_ARS_DB value of `db`: the SQLite file or the PostgreSQL URL. */
  dbPath: string;
  client: DsClient;
  config: Config;
  demarche: SimDemarcheInfo;
  other: SimDemarcheInfo;
  sync(): Promise<void>;
  report(demarche?: SimDemarcheInfo): Promise<string>;
  /** Unused dossiers of the main démarche in `state` (never handed out twice in one world). */
  take(state: string, count: number): Promise<number[]>;
  close(): Promise<void>;
}

export interface WorldOptions {
  seed?: number;
  dossiers?: number;
  decisions?: { passerEnInstruction?: boolean; disableNotification?: boolean; justificatif?: string | null };
  rateLimitPerMinute?: number;
  budgetPerMinute?: number;
  /** Annotation keys the simulated form makes required (e.g. 'a_commentaire'). */
  requiredAnnotations?: string[];
  /** 'postgres': the mirror is a fresh PostgreSQL database, dropped on close. */
  dialect?: DialectName;
}

export async function createWorld(options: WorldOptions = {}): Promise<DecisionsWorld> {
  const programmes: ProgrammeId[] = ['aumg', 'asp'];
  const sim = await startSimulator({
    seed: options.seed ?? 42,
    programmes,
    dossiersPerDemarche: options.dossiers ?? 60,
    ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
    ...(options.requiredAnnotations !== undefined ? { requiredAnnotations: options.requiredAnnotations } : {}),
  });
  const demarche = sim.demarches.find((d) => d.programme === 'aumg')!;
  const other = sim.demarches.find((d) => d.programme === 'asp')!;
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-decisions-'));
  const dbPath = options.dialect === 'postgres' ? await createTestDatabase() : join(dir, 'ds-ars.sqlite');
  const db = await openDatabase(dbPath);
  const client = new DsClient({
    url: sim.graphqlUrl,
    token: sim.tokens.readWrite,
    budget: new RequestBudget({ perMinute: options.budgetPerMinute ?? 60_000, burst: 50 }),
    maxRetries: 2,
    baseDelayMs: 10,
  });
  const config = parseConfig(
    {
      demarches: [demarche, other].map((d) => ({
        number: d.number,
        programme: d.programme,
        instructeurEmail: d.instructeurEmails[0],
        session: { closingDate: d.session.closingDate },
        decisions: { passerEnInstruction: true, disableNotification: false, justificatif: null, ...options.decisions },
      })),
    },
    'test',
  );
  const used = new Set<number>();
  const world: DecisionsWorld = {
    sim,
    dir,
    db,
    dbPath,
    client,
    config,
    demarche,
    other,
    async sync() {
      const report = await runSync({ db, client }, { demarches: [demarche.number, other.number] });
      if (report.status !== 'ok') throw new Error(`sync: ${JSON.stringify(report.results.map((r) => r.error))}`);
    },
    async report(d = demarche) {
      const result = await writeJuryWorkbook(db, {
        demarche: { number: d.number, programme: d.programme, mapping: {} },
        uiBaseUrl: 'https://demat.social.gouv.fr',
        outDir: join(dir, 'rapports'),
      });
      return result.path;
    },
    async take(state, count) {
      const rows = await db
        .selectFrom('dossiers')
        .select('number')
        .where('demarche_number', '=', demarche.number)
        .where('state', '=', state)
        .where('deleted_at', 'is', null)
        .where('pending_deletion', '=', 0)
        .orderBy('number')
        .execute();
      const free = rows.map((r) => r.number).filter((n) => !used.has(n) && !sim.store.getDossier(n).pendingCorrection);
      if (free.length < count) throw new Error(`only ${free.length} free dossier(s) ${state}, ${count} wanted`);
      const picked = free.slice(0, count);
      for (const n of picked) used.add(n);
      return picked;
    },
    async close() {
      await db.destroy();
      if (options.dialect === 'postgres') await dropTestDatabases();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await world.sync();
  return world;
}

export interface Fill {
  dossier: number;
  decision?: ExcelJS.CellValue;
  motivation?: ExcelJS.CellValue;
  /** The « Forcer » cell. */
  forcer?: ExcelJS.CellValue;
}

/**
 * Writes decisions into the Décisions sheet of a report, as a jury member would, and saves the
 * result as `dest`. `extraRows` are appended below the table (cells by column key).
 */
export async function fillWorkbook(
  src: string,
  dest: string,
  fills: readonly Fill[],
  extraRows: ReadonlyArray<
    Partial<
      Record<
        'dossierNumber' | 'decision' | 'motivation' | 'dossierId' | 'demarcheNumber' | 'stateSeen' | 'champsModifiedAt',
        ExcelJS.CellValue
      >
    >
  > = [],
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(src);
  const sheet = workbook.getWorksheet(DECISIONS_SHEET);
  if (!sheet) throw new Error('no Décisions sheet');
  const rowOf = new Map<number, number>();
  sheet.eachRow((row, rowNumber) => {
    const n = dossierNumberFromCell(row.getCell(decisionColumnNumber('dossierNumber')).value);
    if (n !== null) rowOf.set(n, rowNumber);
  });
  for (const fill of fills) {
    const rowNumber = rowOf.get(fill.dossier);
    if (rowNumber === undefined) throw new Error(`dossier ${fill.dossier} not in the workbook`);
    const row = sheet.getRow(rowNumber);
    if (fill.decision !== undefined) row.getCell(decisionColumnNumber('decision')).value = fill.decision;
    if (fill.motivation !== undefined) row.getCell(decisionColumnNumber('motivation')).value = fill.motivation;
    if (fill.forcer !== undefined) row.getCell(decisionColumnNumber('forcer')).value = fill.forcer;
  }
  let next = sheet.rowCount + 1;
  for (const extra of extraRows) {
    const row = sheet.getRow(next++);
    for (const [key, value] of Object.entries(extra))
      row.getCell(decisionColumnNumber(key as 'decision')).value = value as ExcelJS.CellValue;
  }
  await workbook.xlsx.writeFile(dest);
  return dest;
}

/** The hidden cells of a dossier's row (to copy a row, as a jury member pasting it would). */
export async function rowCells(
  path: string,
  dossier: number,
): Promise<Record<'dossierNumber' | 'dossierId' | 'demarcheNumber' | 'stateSeen' | 'champsModifiedAt', ExcelJS.CellValue>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(DECISIONS_SHEET)!;
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (dossierNumberFromCell(row.getCell(decisionColumnNumber('dossierNumber')).value) === dossier) found = row;
  });
  if (!found) throw new Error(`dossier ${dossier} not in the workbook`);
  const cell = (key: 'dossierNumber' | 'dossierId' | 'demarcheNumber' | 'stateSeen' | 'champsModifiedAt') =>
    found!.getCell(decisionColumnNumber(key)).value;
  return {
    dossierNumber: cell('dossierNumber'),
    dossierId: cell('dossierId'),
    demarcheNumber: cell('demarcheNumber'),
    stateSeen: cell('stateSeen'),
    champsModifiedAt: cell('champsModifiedAt'),
  };
}

/** Mutations the simulator received for these dossiers. */
export function mutationsFor(world: DecisionsWorld, dossiers: readonly number[]) {
  const set = new Set(dossiers);
  return world.sim.stats.mutations.filter((m) => m.dossierNumber !== null && set.has(m.dossierNumber));
}

/** An instructeur asks the usager for a correction through DS's API: the dossier is blocked until then. */
export async function requestCorrection(world: Pick<DecisionsWorld, 'sim' | 'db' | 'client'>, dossier: number): Promise<void> {
  const snapshot = world.sim.store.getDossier(dossier);
  const instructeur = await world.db
    .selectFrom('instructeurs')
    .innerJoin('groupes_instructeurs', 'groupes_instructeurs.id', 'instructeurs.groupe_id')
    .select('instructeurs.id')
    .where('groupes_instructeurs.label', '=', snapshot.groupe)
    .where('groupes_instructeurs.demarche_number', '=', snapshot.demarcheNumber)
    .executeTakeFirstOrThrow();
  const answer = await world.client.mutate(DossierEnvoyerMessageDocument, {
    input: { dossierId: snapshot.id, instructeurId: instructeur.id, body: 'Merci de joindre votre CV signé.', correction: 'incomplete' },
  });
  if ((answer.dossierEnvoyerMessage?.errors ?? []).length > 0) throw new Error(JSON.stringify(answer.dossierEnvoyerMessage?.errors));
  if (!world.sim.store.getDossier(dossier).pendingCorrection) throw new Error('correction not pending');
}
