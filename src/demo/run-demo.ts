/**
 * The one-command demo: a DS simulator in-process, then the real CLI commands one after the other
 * (sync, check, annotate, instruire, report, digest, decisions, status, journal) against it, each
 * command's output saved in the demo folder, and a short French account at the end.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { openDatabase, type Db } from '../db/database.ts';
import { formFromMirror } from '../rules/mapping/form-descriptors.ts';
import { matchAnnotations } from '../rules/mapping/match-annotations.ts';
import { matchLabels } from '../rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../domain/programmes/index.ts';
import { DECISIONS_FIRST_ROW, DECISIONS_SHEET, decisionColumnNumber } from '../reports/decisions-sheet.ts';
import { startSimulator, type RunningSimulator } from '../simulator/index.ts';
import { displayPath } from '../shared/display-path.ts';
import { frenchSeconds } from '../shared/french-format.ts';
import { plural } from '../shared/plural.ts';
import { prepareDemoFolder } from './demo-folder.ts';

export interface DemoOptions {
  outDir: string;
  dossiersPerDemarche?: number;
  /** Writes a line for the person running the demo. */
  say: (line: string) => void;
  /**
   * Runs one `ds-ars` command line in-process with these settings over the demo's own environment
   * (an undefined value unsets the variable); returns its exit code and what it printed.
   */
  run: (args: string[], settings: DemoSettings) => Promise<{ code: number; out: string; err: string }>;
}

/** The environment variables the demo sets for its commands (never written to process.env). */
export type DemoSettings = Readonly<Record<string, string | undefined>>;

export interface DemoResult {
  ok: boolean;
  outDir: string;
  seconds: number;
}

// The demo talks to a local simulator: a generous request budget keeps it well under a minute.
const DEMO_RATE_LIMIT = 6_000;

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const outDir = resolve(options.outDir);
  prepareDemoFolder(outDir);
  mkdirSync(join(outDir, 'sorties'), { recursive: true, mode: 0o700 });
  const { say } = options;
  let failures = 0;

  const sim = await startSimulator({
    seed: 1,
    dossiersPerDemarche: options.dossiersPerDemarche ?? 40,
    rateLimitPerMinute: DEMO_RATE_LIMIT,
  });
  try {
    say('Démonstration de ds-ars contre le simulateur démarches-simplifiées (données fictives).');
    say(`  Simulateur : ${sim.graphqlUrl} — ${sim.demarches.length} démarches :`);
    for (const d of sim.demarches) say(`    n° ${d.number} — ${d.programme.toUpperCase()} — ${d.title}`);
    // The first sync runs without a configuration file, as a new user would before `init`.
    let settings: DemoSettings = {
      DS_API_URL: sim.graphqlUrl,
      DS_API_TOKEN: sim.tokens.readWrite,
      DS_ARS_DB: join(outDir, 'ds-ars.sqlite'),
      DS_ARS_FILES_DIR: join(outDir, 'fichiers'),
      DS_ARS_RATE_LIMIT: String(DEMO_RATE_LIMIT),
      DS_ARS_LOG_LEVEL: 'warn',
      DS_ARS_CONFIG: undefined,
    };

    const step = async (title: string, name: string, args: string[], accepted: number[] = [0]): Promise<string> => {
      const t0 = performance.now();
      const result = await options.run(args, settings);
      const file = join(outDir, 'sorties', `${name}.txt`);
      writeFileSync(file, `$ ds-ars ${args.join(' ')}\n\n${result.out}${result.err ? `\n--- erreurs ---\n${result.err}` : ''}`, {
        mode: 0o600,
      });
      const ok = accepted.includes(result.code);
      if (!ok) failures++;
      say(`${ok ? '✔' : '✘'} ${title} (${frenchSeconds((performance.now() - t0) / 1000)}, code ${result.code}) → ${displayPath(file)}`);
      if (!ok) say(`    ${(result.err || result.out).trim().split('\n').slice(0, 3).join('\n    ')}`);
      return result.out;
    };

    const numbers = sim.demarches.map((d) => d.number);
    await step('Synchronisation des dossiers et de leurs pièces (sans fichier de configuration)', '01-sync', [
      'sync',
      '--files',
      ...numbers.flatMap((n) => ['--demarche', String(n)]),
    ]);

    const configPath = join(outDir, 'ds-ars.yaml');
    const db = await openDatabase(join(outDir, 'ds-ars.sqlite'));
    try {
      writeFileSync(configPath, await demoConfig(db, sim, outDir), { mode: 0o600 });
    } finally {
      await db.destroy();
    }
    settings = { ...settings, DS_ARS_CONFIG: configPath };
    say(`✔ Configuration écrite (correspondance des champs proposée comme par « ds-ars init ») → ${displayPath(configPath)}`);

    await step('Contrôle des règles (complétude, éligibilité)', '02-check', ['check']);
    await step('Annotations privées dans DS (plan puis envoi)', '03-annotate', ['annotate', '--apply'], [0, 1]);
    await step('Passage en instruction des dossiers complets après la clôture', '04-instruire', ['instruire', '--apply'], [0, 1]);
    await step('Nouvelle synchronisation (états et annotations relus)', '05-sync', ['sync']);
    await step('Classeurs et dossiers du jury (PDF des candidats en instruction)', '06-report', [
      'report',
      '--dossier-jury',
      '--out',
      join(outDir, 'rapports'),
    ]);
    await step('Mail de synthèse (écrit en .eml, non envoyé)', '07-digest', [
      'digest',
      '--dry-run',
      '--attach',
      '--out',
      join(outDir, 'mails'),
    ]);

    const aumg = sim.demarches.find((d) => d.programme === 'aumg') ?? sim.demarches[0]!;
    const workbook = findWorkbook(join(outDir, 'rapports'), aumg.number);
    if (workbook) {
      const filled = join(outDir, 'rapports', `decisions-jury-${aumg.number}.xlsx`);
      const count = await fillDecisions(workbook, filled);
      say(`✔ ${count} décisions saisies dans le classeur comme le ferait le jury → ${displayPath(filled)}`);
      await step('Plan des décisions', '08-decisions-plan', ['decisions', 'plan', filled], [0, 1]);
      await step('Application des décisions dans DS', '09-decisions-apply', ['decisions', 'apply', filled, '--apply'], [0, 1]);
    } else {
      failures++;
      say(`✘ Aucun classeur trouvé pour la démarche ${aumg.number}.`);
    }
    await step('Synchronisation finale', '10-sync', ['sync']);
    const status = await step('État du miroir', '11-status', ['status']);
    await step('Journal des écritures vers DS', '12-journal', ['journal']);

    say('');
    say('État du miroir après la démonstration :');
    for (const line of status.trimEnd().split('\n')) say(`  ${line}`);
    say('');
    say(`Tout est dans ${displayPath(outDir)}/ : base SQLite (ds-ars.sqlite), configuration (ds-ars.yaml),`);
    say('classeurs et dossiers PDF du jury (rapports/), mail de synthèse (mails/*.eml) et la sortie de chaque commande (sorties/).');
  } finally {
    await sim.close();
  }
  const seconds = (performance.now() - started) / 1000;
  say(
    failures === 0
      ? `Démonstration terminée en ${frenchSeconds(seconds)}.`
      : `Démonstration terminée en ${frenchSeconds(seconds)} avec ${plural(failures, 'étape')} en échec.`,
  );
  return { ok: failures === 0, outDir, seconds };
}

/** The configuration an ARS team would write after `ds-ars init`, for the simulator's démarches. */
async function demoConfig(db: Db, sim: RunningSimulator, outDir: string): Promise<string> {
  const demarches = [];
  for (const d of sim.demarches) {
    const form = await formFromMirror(db, d.number);
    if (!form) throw new Error(`la démarche ${d.number} n’a pas été synchronisée`);
    const annotations = matchAnnotations(form.annotations);
    demarches.push({
      number: d.number,
      programme: d.programme,
      libelle: d.title,
      instructeurEmail: d.instructeurEmails[0],
      session: d.session,
      mapping: matchLabels(PROGRAMMES[d.programme], form.champs).mapping,
      annotations: Object.fromEntries(Object.entries(annotations).map(([key, descriptor]) => [key, descriptor.id])),
      instruction: { enabled: true, messageIncomplets: true, disableNotification: true },
      decisions: { passerEnInstruction: true, disableNotification: true },
    });
  }
  const config = {
    instance: { uiBaseUrl: sim.url },
    demarches,
    mail: {
      smtp: { host: '127.0.0.1', port: 2525, secure: false },
      from: 'ds-ars@ars.sante.fr',
      to: [sim.demarches[0]!.instructeurEmails[0]],
      attachWorkbook: true,
    },
    output: { dir: join(outDir, 'rapports') },
  };
  return `# Configuration de démonstration générée par « npm run demo » (simulateur, données fictives).\n${YAML.stringify(config)}`;
}

function findWorkbook(dir: string, demarche: number): string | undefined {
  const name = readdirSync(dir).find((f) => f.endsWith('.xlsx') && f.includes(String(demarche)));
  return name ? join(dir, name) : undefined;
}

/** Fills a few decisions as a jury would: eligible dossiers accepted, ineligible ones refused. */
async function fillDecisions(source: string, target: string): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(source);
  const sheet = workbook.getWorksheet(DECISIONS_SHEET);
  if (!sheet) throw new Error(`feuille « ${DECISIONS_SHEET} » absente de ${source}`);
  const eligibleCol = decisionColumnNumber('eligible');
  const stateCol = decisionColumnNumber('etat');
  const decisionCol = decisionColumnNumber('decision');
  const motivationCol = decisionColumnNumber('motivation');
  let accepted = 0;
  let refused = 0;
  for (let r = DECISIONS_FIRST_ROW; r <= sheet.rowCount && accepted + refused < 6; r++) {
    const row = sheet.getRow(r);
    const eligible = String(row.getCell(eligibleCol).text ?? '').toLowerCase();
    // The jury decides on dossiers still under review, not on those already decided.
    if (!/instruction|construction/i.test(String(row.getCell(stateCol).text ?? ''))) continue;
    if (eligible === 'oui' && accepted < 3) {
      row.getCell(decisionCol).value = 'Accepter';
      row.getCell(motivationCol).value = 'Candidature retenue par le jury régional.';
      accepted++;
    } else if (eligible === 'non' && refused < 3) {
      row.getCell(decisionCol).value = 'Refuser';
      row.getCell(motivationCol).value = 'Dossier incomplet ou non éligible à la date de clôture de l’appel à candidatures.';
      refused++;
    }
  }
  await workbook.xlsx.writeFile(target);
  return accepted + refused;
}
