/**
 * `ds-ars sync`: incremental mirror of the démarches' dossiers into the local SQLite base.
 * `ds-ars` exits 0 when every démarche synced, 1 when one failed or some files did not
 * download, 2 on a usage or configuration error.
 */
import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../errors.ts';
import type { DemarcheSyncResult, SyncReport } from '../../sync/sync-runner.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { openCommandContext } from '../command-context.ts';
import { agree, plural } from '../../shared/plural.ts';

interface SyncCliOptions {
  demarche?: number[];
  full?: boolean;
  files?: boolean;
  labels?: boolean;
}

export function parseDemarcheNumber(value: string, previous: number[] | undefined): number[] {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('un numéro de démarche (entier positif) est attendu.');
  return [...(previous ?? []), number];
}

/** The config file given by --config or DS_ARS_CONFIG, if any. */
const MODE = { full: 'complète', incremental: 'incrémentale' } as const;
const STATUS = { ok: 'ok', partial: 'partiel', failed: 'échec', interrupted: 'interrompue' } as const;

function printReport(command: Command, report: SyncReport): void {
  printTable<DemarcheSyncResult>(command, report.results, [
    { header: 'Démarche', value: (r) => String(r.demarche), align: 'right' },
    { header: 'Mode', value: (r) => MODE[r.mode] },
    { header: 'Résultat', value: (r) => STATUS[r.status] },
    { header: 'Pages', value: (r) => r.pages },
    { header: 'Dossiers écrits', value: (r) => r.upserted },
    { header: 'Supprimés', value: (r) => r.deleted },
    { header: 'En attente de suppr.', value: (r) => r.pendingDeleted },
    { header: 'Étiquettes modifiées', value: (r) => (r.labelsPass ? r.labelsChanged : null) },
    { header: 'Fichiers', value: (r) => r.filesDownloaded },
    { header: 'Fichiers en erreur', value: (r) => r.filesFailed },
    { header: 'Requêtes', value: (r) => r.requests },
  ]);
  for (const r of report.results) {
    if (r.status === 'failed') print(command, `Démarche ${r.demarche} : ${r.error ?? 'échec'}`);
    if (r.purged > 0)
      print(
        command,
        `Démarche ${r.demarche} : ${plural(r.purged, 'dossier modifié', 'dossiers modifiés')} dans DS mais ${agree(r.purged, 'purgé', 'purgés')} du miroir (ds-ars purge), non ${agree(r.purged, 'réimporté', 'réimportés')}.`,
      );
    for (const f of r.fileErrors.slice(0, 10)) print(command, `Démarche ${r.demarche}, dossier ${f.dossierNumber} : ${f.message}`);
    if (r.fileErrors.length > 10)
      print(command, `Démarche ${r.demarche} : et ${plural(r.fileErrors.length - 10, 'autre fichier', 'autres fichiers')} en erreur.`);
  }
}

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description(
      'Synchroniser les dossiers DS dans la base locale (incrémental : seuls les dossiers modifiés depuis la dernière fois sont relus)',
    )
    .option(
      '-d, --demarche <numéro>',
      'démarche à synchroniser (répétable) ; par défaut celles du fichier de configuration',
      parseDemarcheNumber,
    )
    .option('--full', 'tout relire depuis l’origine (curseurs remis à zéro) ; ne supprime rien')
    .option('--files', 'télécharger les pièces jointes des dossiers relus (dans DS_ARS_FILES_DIR)')
    .option('--labels', 'relire les étiquettes de tous les dossiers (sinon toutes les sync.labelsEveryHours heures)')
    .addHelpText(
      'after',
      [
        '',
        'Sans --full, seuls les dossiers modifiés depuis le dernier passage sont relus (4 requêtes par démarche sans changement).',
        'Les étiquettes ne changent pas la date de modification d’un dossier : elles sont relues à part (--labels,',
        '--full, ou si la dernière passe date de plus de sync.labelsEveryHours heures, 24 par défaut).',
        'Codes de sortie : 0 succès, 1 échec d’une démarche ou fichiers en erreur, 2 erreur d’utilisation ou de configuration.',
      ].join('\n'),
    )
    .action(async (options: SyncCliOptions, command: Command) => {
      const [
        { storageError },
        { logObserver },
        { DEFAULT_LABELS_EVERY_HOURS, DEFAULT_ORIGIN },
        { runSync },
        { stopOnSignals },
        { progressObserver },
        { withDemarcheLeases },
        { manualLeaseOptions },
      ] = await Promise.all([
        import('../../db/storage-errors.ts'),
        import('../../sync/log-observer.ts'),
        import('../../sync/run-plan.ts'),
        import('../../sync/sync-runner.ts'),
        import('../stop-on-signals.ts'),
        import('../sync-progress.ts'),
        import('../../worker/lease.ts'),
        import('../lease-guard.ts'),
      ]);
      const context = await openCommandContext(command);
      const { env } = context;
      // The docs say sync first, init second: with --demarche, a DS_ARS_CONFIG file that init has
      // not written yet is no error (an explicit --config still must exist).
      const explicit = command.optsWithGlobals<{ config?: string }>().config;
      const notWrittenYet =
        options.demarche !== undefined && explicit === undefined && env.DS_ARS_CONFIG !== undefined && !existsSync(env.DS_ARS_CONFIG);
      const config = notWrittenYet ? undefined : await context.optionalConfig();
      const demarches = options.demarche ?? config?.demarches.map((d) => d.number) ?? [];
      if (demarches.length === 0) {
        throw new AppError(
          'usage',
          'Aucune démarche à synchroniser : indiquez --demarche <numéro> ou un fichier de configuration (--config ou DS_ARS_CONFIG).',
        );
      }
      const json = wantsJson(command);
      const progress = !json && process.stderr.isTTY === true;
      const logger = await context.logger({ quiet: progress });
      const client = await context.dsClient();
      const db = await context.database('create');
      const bar = progress ? progressObserver(process.stderr) : undefined;
      // Ctrl-C stops after the page being written: its cursor is saved, the next run resumes there.
      const signals = stopOnSignals();
      let report: SyncReport | undefined;
      let leaseKept = false;
      try {
        // The same démarches must not be synced by a worker or another command at the same time.
        const numbers = [...new Set(demarches)];
        await withDemarcheLeases(
          db,
          numbers,
          async () =>
            (report = await runSync(
              { db, client },
              {
                demarches: numbers,
                full: options.full ?? false,
                labels: options.labels ?? false,
                files: options.files ?? config?.sync.files ?? false,
                filesDir: env.DS_ARS_FILES_DIR,
                origin: config?.sync.origin ?? DEFAULT_ORIGIN,
                labelsEveryHours: config?.sync.labelsEveryHours ?? DEFAULT_LABELS_EVERY_HOURS,
                observer: bar ?? logObserver(logger),
                logger,
                signal: signals.signal,
              },
            )),
          manualLeaseOptions(config, logger),
        );
      } catch (error) {
        // A full disk refuses even the release of the lease: the report still matters more.
        if (report === undefined || storageError(error, env.DS_ARS_DB) === undefined) throw error;
        leaseKept = true;
      } finally {
        signals.dispose();
        bar?.stop();
        await context.close();
      }
      // Set by the callback whenever withDemarcheLeases returned or the catch above kept going.
      if (report === undefined) throw new AppError('internal', 'synchronisation terminée sans rapport.');
      if (json) printJson(command, report);
      else printReport(command, report);
      const storage = report.results.find((r) => r.storageFailure);
      if (storage !== undefined) {
        const lease = leaseKept ? ' Le verrou de la démarche n’a pas pu être libéré : il expirera de lui-même.' : '';
        throw new AppError('storage', `synchronisation arrêtée, la base n’a pas pu être écrite. ${storage.error ?? ''}${lease}`.trim());
      }
      if (report.status === 'interrupted') {
        throw new PartialFailure(
          'synchronisation interrompue à la demande ; relancez la même commande : la reprise part du dernier curseur enregistré.',
        );
      }
      if (report.status !== 'ok') {
        const failed = report.results.filter((r) => r.status !== 'ok').map((r) => r.demarche);
        throw new PartialFailure(
          `synchronisation incomplète pour la ou les démarches ${failed.join(', ')} (détail ci-dessus ; relancez : la reprise part du dernier curseur enregistré).`,
        );
      }
    });
}
