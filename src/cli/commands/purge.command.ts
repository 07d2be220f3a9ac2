/**
 * `ds-ars purge --before DATE [--demarche N] [--apply]`: data retention (RGPD). Dry run by
 * default; with --apply, removes the dossiers of closed campaigns and their files, keeps the
 * decision journal without personal data, and compacts the database.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { PurgeCounts, PurgePlan, PurgeResult } from '../../purge/purge.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';

interface PurgeCliOptions {
  before: string;
  demarche?: number;
  apply?: boolean;
}

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('une date AAAA-MM-JJ est attendue, par exemple 2024-01-01.');
  return value;
}

function parseDemarche(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('un numéro de démarche (entier positif) est attendu.');
  return number;
}

const COUNT_LABELS: Record<keyof PurgeCounts, string> = {
  dossiers: 'dossiers',
  champs: 'champs',
  files: 'pièces jointes (lignes)',
  localFiles: 'fichiers sur disque',
  labels: 'étiquettes',
  findings: 'anomalies',
  evaluations: 'évaluations',
  annotationPushes: 'annotations écrites',
  journalEntries: 'entrées du journal des décisions (conservées, anonymisées)',
  plans: 'plans d’envoi (anonymisés)',
  workbooks: 'classeurs de jury',
};

function frenchDate(date: string): string {
  const text = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(`${date}T12:00:00Z`));
  return text.replace(/^1 /, '1er ');
}

function printSummary(command: Command, plan: PurgePlan, result: PurgeResult | null): void {
  const scope = plan.demarche === undefined ? 'toutes les démarches' : `démarche ${plan.demarche}`;
  print(command, `Purge RGPD (${scope}) : dossiers de campagnes closes dont la dernière activité est antérieure au ${frenchDate(plan.before)}.`);
  if (plan.dossierNumbers.length === 0) {
    print(command, 'Aucun dossier à supprimer.');
    return;
  }
  printTable(command, plan.byDemarche, [
    { header: 'Démarche', value: (r) => String(r.demarche), align: 'right' },
    { header: 'Dossiers', value: (r) => r.dossiers },
  ]);
  const lines = (Object.keys(COUNT_LABELS) as (keyof PurgeCounts)[])
    .filter((key) => plan.counts[key] > 0)
    .map((key) => `  - ${plan.counts[key]} ${COUNT_LABELS[key]}`);
  if (result === null) {
    print(command, ['Seraient supprimés ou anonymisés :', ...lines, '', 'Simulation : rien n’a été modifié. Relancez avec --apply pour supprimer.'].join('\n'));
    return;
  }
  print(command, ['Supprimés ou anonymisés :', ...lines, '', 'Base compactée (VACUUM) : les données supprimées ne restent pas dans le fichier.'].join('\n'));
  for (const failure of result.fileErrors) print(command, `Fichier non supprimé : ${failure.path} (${failure.message})`);
}

export function registerPurgeCommand(program: Command): void {
  program
    .command('purge')
    .description('Supprimer les données personnelles des campagnes closes (conservation RGPD) ; simulation sans --apply')
    .requiredOption('--before <date>', 'supprimer les dossiers dont la dernière activité est antérieure à cette date (AAAA-MM-JJ, jour de Paris)', parseDate)
    .option('-d, --demarche <numéro>', 'limiter la purge à une démarche', parseDemarche)
    .option('--apply', 'supprimer vraiment (sinon : simulation, rien n’est modifié)')
    .addHelpText(
      'after',
      [
        '',
        'Sont concernés les dossiers dont la campagne est close (démarche close sur DS ou date de fermeture passée,',
        'ou dossier accepté, refusé, classé sans suite ou supprimé sur DS) et dont la dernière activité (décision,',
        'suppression ou dernière modification) est antérieure à --before. Sont supprimés : dossiers, champs, pièces',
        'jointes (fichiers compris), étiquettes, évaluations, anomalies, annotations écrites, classeurs de jury des',
        'démarches entièrement purgées. Le journal des décisions est conservé sans données personnelles.',
      ].join('\n'),
    )
    .action(async (options: PurgeCliOptions, command: Command) => {
      const [{ loadEnv }, { openDatabase }, { createLogger }, { applyPurge, planPurge }, { demarcheResource, newHolderId, withLeases }, { PIPELINE_RESOURCE }] = await Promise.all([import('../../config/env.ts'), import('../../db/database.ts'), import('../../logger.ts'), import('../../purge/purge.ts'), import('../../worker/lease.ts'), import('../../worker/pipeline.ts')]);
      const env = loadEnv();
      const logger = createLogger({ level: env.DS_ARS_LOG_LEVEL });
      const db = await openDatabase(env.DS_ARS_DB);
      let plan: PurgePlan;
      let result: PurgeResult | null = null;
      try {
        plan = await planPurge(db, { before: options.before, ...(options.demarche === undefined ? {} : { demarche: options.demarche }) });
        if (options.apply && plan.dossierNumbers.length > 0) {
          // Keep the worker and manual syncs off these démarches while their rows go.
          const resources = [PIPELINE_RESOURCE, ...plan.byDemarche.map((d) => demarcheResource(d.demarche))];
          const planned = plan;
          result = await withLeases(db, resources, newHolderId(), () => applyPurge(db, planned, { filesDir: env.DS_ARS_FILES_DIR, logger }), { logger });
        }
      } finally {
        await db.destroy();
      }
      if (wantsJson(command)) {
        printJson(command, { before: plan.before, demarche: plan.demarche ?? null, applied: result !== null, byDemarche: plan.byDemarche, counts: plan.counts, fileErrors: result?.fileErrors ?? [] });
      } else {
        printSummary(command, plan, result);
      }
      if (result && result.fileErrors.length > 0) throw new PartialFailure(`${result.fileErrors.length} fichier(s) n’ont pas pu être supprimés du disque (détail ci-dessus).`);
    });
}
