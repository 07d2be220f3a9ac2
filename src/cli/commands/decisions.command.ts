/**
 * `ds-ars decisions plan|apply FICHIER.xlsx`: bulk decisions from the reviewed jury workbook.
 * Exit 0 when every row went well, 1 when a row is wrong, blocked or failed in DS, 2 for a usage
 * or configuration problem or a workbook refused as a whole.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../../config/file.ts';
import type { Db } from '../../db/database.ts';
import type { DecisionsReport } from '../../decisions/apply-decisions.ts';
import type { LoadedDecisions } from '../../decisions/load-decisions.ts';
import type { LineStatus, PlanLine } from '../../decisions/plan-decisions.ts';
import type { LineResult } from '../../decisions/result-workbook.ts';
import { AppError } from '../../errors.ts';
import { OPERATION_LABELS, STATE_LABELS } from '../../pushback/state-guard.ts';
import { PartialFailure } from '../exit.ts';
import { withCommandContext } from '../command-context.ts';
import { type Column, print, printJson, printTable, wantsJson } from '../output.ts';
import { agree, plural } from '../../shared/plural.ts';

// Set by runPlan and runApply before anything is printed: their modules load zod and exceljs,
// which `ds-ars --help` and the other commands do not need.
let DECISION_LABELS: typeof import('../../decisions/decision-row.schema.ts')['DECISION_LABELS'];
let OUTCOME_LABELS: typeof import('../../decisions/result-workbook.ts')['OUTCOME_LABELS'];

interface CommonOptions {
  demarche?: number;
  ignoreChanges?: boolean;
  accepterContreControle?: boolean;
}

interface ApplyCliOptions extends CommonOptions {
  apply?: boolean;
  output?: string;
  mail?: boolean;
}

const LINE_STATUS: Record<LineStatus, string> = {
  a_faire: 'à faire',
  deja_fait: 'déjà fait',
  bloque: 'bloqué',
  erreur: 'erreur',
  vide: 'sans décision',
};

function parseDemarche(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('un numéro de démarche (entier positif) est attendu.');
  return number;
}

const short = (text: string | null, max = 40): string | null =>
  text === null ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text;

function decisionOf(line: PlanLine): string | null {
  return line.decision === null ? line.decisionText || null : DECISION_LABELS[line.decision];
}

/** Flags a decision that goes against the stored check (plan and result tables alike). */
const CHECK_COLUMN: Column<PlanLine> = { header: 'Contrôle', value: (l) => (l.contraryToCheck === null ? null : 'décision contraire') };

const LINE_COLUMNS: Column<PlanLine>[] = [
  { header: 'Ligne', value: (l) => l.rowNumber, align: 'right' },
  { header: 'Dossier', value: (l) => (l.dossierNumber === null ? null : String(l.dossierNumber)), align: 'right' },
  { header: 'État actuel', value: (l) => (l.currentState === null ? null : STATE_LABELS[l.currentState]) },
  { header: 'Décision', value: decisionOf },
  { header: 'Transitions', value: (l) => l.operations.map((op) => OPERATION_LABELS[op]).join(' puis ') || null },
  { header: 'Motivation', value: (l) => short(l.motivation) },
  { header: 'Statut', value: (l) => LINE_STATUS[l.status] },
  CHECK_COLUMN,
];

function printHeader(command: Command, loaded: LoadedDecisions, mode: string): void {
  const { binding, demarche } = loaded;
  print(command, `Classeur : ${loaded.source}`);
  print(
    command,
    `Démarche ${binding.demarcheNumber} (${demarche.libelle ?? demarche.programme.toUpperCase()}), classeur ${binding.workbookId}`,
  );
  print(command, `${mode}\n`);
}

/** Located messages of the rows that need attention, then a one-line count. */
function printMessages(command: Command, lines: readonly PlanLine[]): void {
  const messages = lines.filter((l) => l.status !== 'a_faire' || l.messages.length > 0).flatMap((l) => l.messages);
  if (messages.length > 0) print(command, `\nRemarques et problèmes :\n${messages.map((m) => `- ${m}`).join('\n')}`);
}

function planSummary(loaded: LoadedDecisions): string {
  const count = (s: LineStatus) => loaded.plan.lines.filter((l) => l.status === s).length;
  return `${count('a_faire')} à faire (${plural(loaded.plan.items.length, 'mutation')}), ${count('deja_fait')} déjà ${agree(count('deja_fait'), 'fait', 'faits')}, ${plural(count('bloque'), 'bloqué')}, ${count('erreur')} en erreur, ${count('vide')} sans décision.`;
}

function planJson(loaded: LoadedDecisions) {
  return {
    source: loaded.source,
    demarche: loaded.binding.demarcheNumber,
    workbookId: loaded.binding.workbookId,
    lines: loaded.plan.lines,
    mutations: loaded.plan.items.map((i) => ({
      operation: i.operation,
      dossier: i.dossierNumber,
      motivation: 'motivation' in i.payload ? (i.payload.motivation ?? null) : null,
    })),
  };
}

/** A workbook refused as a whole is a usage problem (exit 2), unlike rows refused one by one (exit 1). */
async function loadOrRefuse(db: Db, config: Config, file: string, options: CommonOptions): Promise<LoadedDecisions> {
  const [{ loadDecisions }, schema, results] = await Promise.all([
    import('../../decisions/load-decisions.ts'),
    import('../../decisions/decision-row.schema.ts'),
    import('../../decisions/result-workbook.ts'),
  ]);
  ({ DECISION_LABELS } = schema);
  ({ OUTCOME_LABELS } = results);
  try {
    return await loadDecisions(db, config, {
      path: file,
      demarche: options.demarche,
      ignoreChanges: options.ignoreChanges ?? false,
      acceptContraryToCheck: options.accepterContreControle ?? false,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'workbook') throw new AppError('usage', error.message, { cause: error });
    throw error;
  }
}

async function runPlan(command: Command, file: string, options: CommonOptions): Promise<void> {
  return withCommandContext(command, async (context) => {
    const config = await context.config();
    const db = await context.database('read');
    const loaded = await loadOrRefuse(db, config, file, options);
    const blocked = loaded.plan.lines.filter((l) => l.status === 'bloque' || l.status === 'erreur').length;
    if (wantsJson(command)) printJson(command, planJson(loaded));
    else {
      printHeader(command, loaded, 'Plan (rien n’est envoyé ; « ds-ars decisions apply --apply » pour l’appliquer)');
      printTable(
        command,
        loaded.plan.lines.filter((l) => l.status !== 'vide'),
        LINE_COLUMNS,
      );
      printMessages(command, loaded.plan.lines);
      print(command, `\nRésumé : ${planSummary(loaded)}`);
    }
    if (blocked > 0)
      throw new PartialFailure(
        `${plural(blocked, 'ligne bloquée', 'lignes bloquées')} ou en erreur (détail ci-dessus) ; les autres peuvent être appliquées.`,
      );
  });
}

const ofLine = (c: Column<PlanLine>): Column<LineResult> => ({ ...c, value: (r: LineResult) => c.value(r.line) });

const RESULT_COLUMNS: Column<LineResult>[] = [
  ...LINE_COLUMNS.slice(0, 5).map(ofLine),
  { header: 'Résultat', value: (r) => OUTCOME_LABELS[r.outcome] },
  ofLine(CHECK_COLUMN),
];

function printApplyReport(command: Command, report: DecisionsReport): void {
  printHeader(
    command,
    report.loaded,
    report.applied ? 'Application des décisions dans DS' : 'Simulation : rien n’a été envoyé (ajoutez --apply pour envoyer)',
  );
  printTable(
    command,
    report.results.filter((r) => r.outcome !== 'vide'),
    RESULT_COLUMNS,
  );
  // Applied lines are quiet, except a decision that went against the check (forced or a warned refusal).
  const details = report.results.filter(
    (r) => r.detail !== '' && ((r.outcome !== 'applique' && r.outcome !== 'simulation') || r.line.contraryToCheck !== null),
  );
  if (details.length > 0)
    print(
      command,
      `\nDétail :\n${details
        .flatMap((r) => r.detail.split('\n'))
        .map((d) => `- ${d}`)
        .join('\n')}`,
    );
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${OUTCOME_LABELS[o as keyof typeof OUTCOME_LABELS]} : ${n}`);
  // « Appliqué : 3 ; Aucune décision : 37 »: each label keeps its own colon, so the pairs are split by « ; ».
  print(command, `\nRésumé par ligne — ${counts.join(' ; ') || 'aucune ligne'}.`);
  if (report.execution?.fatal !== undefined) print(command, `Arrêt : ${report.execution.fatal}`);
  if (report.execution?.interrupted)
    print(command, 'Interrompu : relancez la même commande, elle reprendra là où elle s’est arrêtée sans rien envoyer deux fois.');
  if (report.resultPath !== null) print(command, `Classeur de résultats : ${report.resultPath}`);
}

async function runApply(command: Command, file: string, options: ApplyCliOptions): Promise<void> {
  const [
    { lazyDsClient },
    { applyDecisions },
    { sendSummaryMail },
    { leasedWhen, manualLeaseOptions },
    { progressBar },
    { stopOnSignals },
  ] = await Promise.all([
    import('../../context.ts'),
    import('../../decisions/apply-decisions.ts'),
    import('../../decisions/summary-mail.ts'),
    import('../lease-guard.ts'),
    import('../pushback-output.ts'),
    import('../stop-on-signals.ts'),
  ]);
  await withCommandContext(command, async (context) => {
    const config = await context.config();
    const mail = config.mail;
    if (options.mail && mail === undefined)
      throw new AppError('config', '--mail : aucune section « mail » (smtp, from, to) dans la configuration.');
    const json = wantsJson(command);
    const showBar = options.apply === true && !json && process.stderr.isTTY === true;
    const bar = progressBar(showBar);
    const logger = await context.logger({ quiet: showBar });
    const ds = lazyDsClient(context.env, { logger });
    if (options.apply === true) void ds.client;
    // Ctrl-C stops after the mutation in flight; the journal lets a rerun continue from there.
    const signals = stopOnSignals();
    let report: DecisionsReport;
    try {
      const db = await context.database(options.apply === true ? 'write' : 'read');
      const loaded = await loadOrRefuse(db, config, file, options);
      report = await leasedWhen(
        options.apply === true,
        db,
        [loaded.demarche.number],
        () =>
          applyDecisions(
            {
              db,
              get client() {
                return ds.client;
              },
              config,
              logger,
            },
            loaded,
            {
              apply: options.apply ?? false,
              outputDir: options.output ?? null,
              signal: signals.signal,
              ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
            },
          ),
        manualLeaseOptions(config, logger),
      );
    } finally {
      bar.stop();
      signals.dispose();
    }
    if (json)
      printJson(command, {
        ...planJson(report.loaded),
        applied: report.applied,
        planId: report.planId,
        counts: report.counts,
        results: report.results.map((r) => ({
          ligne: r.line.rowNumber,
          dossier: r.line.dossierNumber,
          resultat: r.outcome,
          detail: r.detail,
        })),
        resultPath: report.resultPath,
        fatal: report.execution?.fatal ?? null,
        interrupted: report.execution?.interrupted ?? false,
      });
    else printApplyReport(command, report);
    if (options.mail && mail !== undefined && report.applied) {
      const password = mail.smtp.passwordEnv === undefined ? undefined : context.variable(mail.smtp.passwordEnv);
      await sendSummaryMail(report, {
        smtp: { ...mail.smtp, password },
        from: mail.from,
        to: mail.to,
        attachWorkbook: mail.attachWorkbook ?? true,
      });
      if (!json) print(command, `Résumé envoyé par mail à ${mail.to.join(', ')}.`);
    }
    if (!report.ok) throw new PartialFailure('des lignes n’ont pas été appliquées (détail ci-dessus et dans le classeur de résultats).');
  });
}

export function registerDecisionsCommand(program: Command): void {
  const decisions = program
    .command('decisions')
    .description('Décisions en lot (accepter, refuser, classer sans suite) depuis le classeur du jury relu');

  decisions
    .command('plan')
    .description('Lire la feuille « Décisions » et afficher le plan, sans rien envoyer')
    .argument('<fichier>', 'classeur du jury relu (.xlsx produit par « ds-ars report »)')
    .option('-d, --demarche <numéro>', 'refuser le classeur s’il appartient à une autre démarche', parseDemarche)
    .option('--ignore-changes', 'décider même sur les dossiers modifiés dans DS depuis le rapport')
    .option('--accepter-contre-controle', 'accepter même les dossiers que le contrôle dit incomplets ou non éligibles')
    .addHelpText(
      'after',
      [
        '',
        'Décisions reconnues (casse, accents et espaces indifférents) : Accepter, Accepté, Avis favorable ;',
        'Refuser, Refusé, Avis défavorable ; Classer sans suite, Sans suite. Toute autre valeur est une erreur.',
        'Codes de sortie : 0 aucune ligne à reprendre, 1 lignes bloquées ou en erreur, 2 erreur d’utilisation,',
        'de configuration ou classeur refusé.',
      ].join('\n'),
    )
    .action((file: string, options: CommonOptions, command: Command) => runPlan(command, file, options));

  decisions
    .command('apply')
    .description('Appliquer les décisions dans DS (simulation sans --apply)')
    .argument('<fichier>', 'classeur du jury relu (.xlsx produit par « ds-ars report »)')
    .option('--apply', 'envoyer vraiment les décisions à DS')
    .option('-d, --demarche <numéro>', 'refuser le classeur s’il appartient à une autre démarche', parseDemarche)
    .option('--ignore-changes', 'décider même sur les dossiers modifiés dans DS depuis le rapport')
    .option('--accepter-contre-controle', 'accepter même les dossiers que le contrôle dit incomplets ou non éligibles')
    .option('-o, --output <dossier>', 'dossier du classeur de résultats (par défaut : à côté du classeur lu)')
    .option('--mail', 'envoyer un résumé par mail (section « mail » de la configuration) après --apply')
    .addHelpText(
      'after',
      [
        '',
        'Relancer la même commande après une interruption reprend là où elle s’est arrêtée : le journal',
        'empêche tout double envoi, et un dossier déjà dans l’état décidé est sauté.',
        'Codes de sortie : 0 succès, 1 lignes bloquées, en erreur ou refusées par DS, 2 erreur d’utilisation,',
        'de configuration ou classeur refusé.',
      ].join('\n'),
    )
    .action((file: string, options: ApplyCliOptions, command: Command) => runApply(command, file, options));
}
