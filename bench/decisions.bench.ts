// Bulk decisions: planning a 5 000-row jury workbook, and how close applying decisions gets to
// the configured request budget against the simulator's own rate limit (without any 429).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseConfig } from '../src/config/file.ts';
import { openDatabase } from '../src/db/database.ts';
import { applyDecisions } from '../src/decisions/apply-decisions.ts';
import { loadDecisions } from '../src/decisions/load-decisions.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient } from '../src/graphql/client.ts';
import { DECISIONS_SHEET, decisionColumnNumber, dossierNumberFromCell } from '../src/reports/decisions-sheet.ts';
import { writeJuryWorkbook } from '../src/reports/jury-workbook.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { aumgDemarche, seedDemarche, seedDossiers } from '../test/reports-fixtures.ts';
import { syntheticDossiers } from './report.bench.ts';
import type { BenchResult } from './types.ts';

const PLAN_ROWS = 5_000;
const PLAN_MAX_MS = 3_000;
const DEMARCHE = 90_002;
/** Budget and simulator limit, requests per minute; the run lasts about APPLY_SECONDS. */
const BUDGET = 600;
const APPLY_SECONDS = Number(process.env.DS_ARS_BENCH_DECISIONS_SECONDS ?? 30);
const MIN_RATIO = 0.95;

/** Fills the decision column of every row: accept, refuse or classer sans suite with a motivation. */
async function fillAll(src: string, dest: string, keep: (dossier: number) => boolean = () => true): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(src);
  const sheet = workbook.getWorksheet(DECISIONS_SHEET)!;
  let filled = 0;
  sheet.eachRow((row, n) => {
    const dossier = dossierNumberFromCell(row.getCell(decisionColumnNumber('dossierNumber')).value);
    if (n === 1 || dossier === null || !keep(dossier)) return;
    const choice = filled % 3;
    row.getCell(decisionColumnNumber('decision')).value = choice === 0 ? 'Accepter' : choice === 1 ? 'Refuser' : 'Classer sans suite';
    if (choice !== 0) row.getCell(decisionColumnNumber('motivation')).value = `Motivation du jury n° ${filled}`;
    filled += 1;
  });
  await workbook.xlsx.writeFile(dest);
  return filled;
}

async function benchPlan(dir: string): Promise<BenchResult[]> {
  const db = await openDatabase(join(dir, 'plan.sqlite'));
  try {
    await seedDemarche(db, DEMARCHE);
    await seedDossiers(db, DEMARCHE, syntheticDossiers(PLAN_ROWS));
    const report = await writeJuryWorkbook(db, {
      demarche: aumgDemarche(DEMARCHE),
      uiBaseUrl: 'https://demat.social.gouv.fr',
      outDir: join(dir, 'rapports'),
    });
    const file = join(dir, 'jury-5000.xlsx');
    const filled = await fillAll(report.path, file);
    const config = parseConfig(
      {
        demarches: [
          { number: DEMARCHE, programme: 'aumg', instructeurEmail: 'claire.moreau@ars.sante.fr', session: { closingDate: '2025-04-30' } },
        ],
      },
      'bench',
    );
    const runs: Array<{ ms: number; cpuMs: number; lines: number }> = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const loaded = await loadDecisions(db, config, { path: file, ignoreChanges: false });
      const used = process.cpuUsage(cpu);
      runs.push({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, lines: loaded.plan.lines.length });
    }
    runs.sort((a, b) => a.ms - b.ms);
    const median = runs[1]!;
    return [
      {
        figure: `plan des décisions, classeur de ${filled.toLocaleString('fr-FR')} lignes remplies (lecture .xlsx, validation, miroir) : durée médiane de 3`,
        target: `≤ ${PLAN_MAX_MS} ms`,
        measured: median.ms,
        unit: 'ms',
        ok: median.ms <= PLAN_MAX_MS && filled === PLAN_ROWS && median.lines === PLAN_ROWS,
      },
      {
        figure: 'plan des décisions 5 000 lignes : temps CPU',
        target: `≤ ${PLAN_MAX_MS} ms`,
        measured: median.cpuMs,
        unit: 'ms',
        ok: median.cpuMs <= PLAN_MAX_MS,
      },
    ];
  } finally {
    await db.destroy();
  }
}

async function benchApply(dir: string): Promise<BenchResult[]> {
  const targetRequests = Math.round((BUDGET * APPLY_SECONDS) / 60);
  const sim = await startSimulator({
    seed: 2026,
    programmes: ['aumg'],
    dossiersPerDemarche: Math.max(200, targetRequests * 2),
    rateLimitPerMinute: BUDGET,
  });
  const db = await openDatabase(join(dir, 'apply.sqlite'));
  try {
    const demarche = sim.demarches[0]!;
    // The mirror is filled with another token, so its requests do not count against the run's.
    const reader = new DsClient({ url: sim.graphqlUrl, token: sim.tokens.readOnly, budget: new RequestBudget({ perMinute: BUDGET }) });
    await runSync({ db, client: reader }, { demarches: [demarche.number] });
    const report = await writeJuryWorkbook(db, {
      demarche: { number: demarche.number, programme: 'aumg', mapping: {} },
      uiBaseUrl: 'https://demat.social.gouv.fr',
      outDir: join(dir, 'rapports'),
    });
    // Dossiers en instruction: one fresh read and one mutation each (2 requests).
    const rows = await db
      .selectFrom('dossiers')
      .select('number')
      .where('demarche_number', '=', demarche.number)
      .where('state', '=', 'en_instruction')
      .where('deleted_at', 'is', null)
      .orderBy('number')
      .execute();
    const chosen = new Set(rows.slice(0, Math.ceil(targetRequests / 2)).map((r) => r.number));
    const file = join(dir, 'jury-debit.xlsx');
    const filled = await fillAll(report.path, file, (n) => chosen.has(n));
    const config = parseConfig(
      {
        demarches: [
          {
            number: demarche.number,
            programme: 'aumg',
            instructeurEmail: demarche.instructeurEmails[0],
            session: { closingDate: demarche.session.closingDate },
          },
        ],
      },
      'bench',
    );
    const loaded = await loadDecisions(db, config, { path: file, ignoreChanges: false });

    const budget = new RequestBudget({ perMinute: BUDGET });
    const client = new DsClient({ url: sim.graphqlUrl, token: sim.tokens.readWrite, budget });
    const requestsBefore = sim.stats.requests;
    const limitedBefore = sim.stats.rateLimited;
    const mutationsBefore = sim.stats.mutations.length;
    const started = performance.now();
    const result = await applyDecisions({ db, client, config }, loaded, { apply: true, outputDir: join(dir, 'resultats') });
    const seconds = (performance.now() - started) / 1000;
    const requests = sim.stats.requests - requestsBefore;
    const limited = sim.stats.rateLimited - limitedBefore;
    const mutations = sim.stats.mutations.slice(mutationsBefore);
    const perMinute = (requests / seconds) * 60;
    const ratio = perMinute / BUDGET;
    const allApplied = result.counts.applique === filled && mutations.length === filled && mutations.every((m) => m.ok);
    return [
      {
        figure: `application : ${filled} décisions (${requests} requêtes en ${seconds.toFixed(1)} s), débit rapporté au budget de ${BUDGET}/min (limite du simulateur ${BUDGET}/min)`,
        target: `≥ ${MIN_RATIO * 100} %`,
        measured: ratio * 100,
        unit: '%',
        ok: ratio >= MIN_RATIO && allApplied,
      },
      { figure: 'application : réponses 429 du simulateur (boucles de rejet)', target: '= 0', measured: limited, ok: limited === 0 },
      {
        figure: 'application : pauses du budget demandées par le serveur',
        target: '= 0',
        measured: budget.stats.pauses,
        ok: budget.stats.pauses === 0,
      },
    ];
  } finally {
    await db.destroy();
    await sim.close();
  }
}

export async function benchDecisions(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-decisions-'));
  try {
    return [...(await benchPlan(dir)), ...(await benchApply(dir))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
