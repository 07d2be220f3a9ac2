/**
 * `ds-ars run-once`: the worker's pipeline, once, for system cron or a CI schedule.
 * Exit code 0 when every step worked (or it stopped cleanly on a signal), 1 otherwise.
 */
import type { Command } from 'commander';
import { withCommandContext } from '../command-context.ts';
import type { PipelineResult, StepResult } from '../../worker/pipeline.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { parseDemarcheNumber } from './sync.command.ts';

interface RunOnceCliOptions {
  demarche?: number[];
}

const STATUS_LABELS: Record<StepResult['status'], string> = {
  ok: 'ok',
  partial: 'partiel',
  failed: 'échec',
  skipped: 'ignorée',
  interrupted: 'interrompue',
};

function printResult(command: Command, result: PipelineResult): void {
  if (result.status === 'skipped') {
    print(command, 'Rien n’a été fait : un autre processus (worker ou autre run-once) traite déjà les démarches.');
    return;
  }
  printTable(command, result.steps, [
    // A démarche number is a name, not a quantity: « 104512 », as everywhere else, never « 104 512 ».
    { header: 'Démarche', value: (r) => (r.demarche === null || r.demarche === undefined ? 'toutes' : String(r.demarche)), align: 'right' },
    { header: 'Étape', value: (r) => r.step },
    { header: 'Résultat', value: (r) => STATUS_LABELS[r.status] },
    { header: 'Détail', value: (r) => r.error?.message ?? '' },
  ]);
  const verdict = {
    ok: 'Traitement terminé sans erreur.',
    partial: result.steps.some((r) => r.mailed)
      ? 'Traitement terminé avec des erreurs (détail ci-dessus ; le récapitulatif envoyé par mail les reprend).'
      : 'Traitement terminé avec des erreurs (détail ci-dessus ; aucun récapitulatif n’a été envoyé par mail).',
    interrupted: 'Traitement interrompu proprement : le prochain passage reprendra où il s’est arrêté.',
  }[result.status];
  print(command, `\n${verdict}`);
}

export function registerRunOnceCommand(program: Command): void {
  program
    .command('run-once')
    .description('Exécuter une fois le traitement du worker (sync, check, annotate, report, digest), pour cron ou une planification CI')
    .option('-d, --demarche <numéro>', 'démarche à traiter (répétable) ; par défaut toutes celles de la configuration', parseDemarcheNumber)
    .addHelpText(
      'after',
      '\nCodes de sortie : 0 succès (ou arrêt propre sur signal), 1 étape en échec ou traitement déjà en cours ailleurs, 2 erreur de configuration.',
    )
    .action(async (options: RunOnceCliOptions, command: Command) => {
      const [{ handleShutdownSignals }, { exitCodeOf, runOnce }, { setUpPipeline }] = await Promise.all([
        import('../../worker/signals.ts'),
        import('../../worker/run-once.ts'),
        import('../pipeline-setup.ts'),
      ]);
      const result = await withCommandContext(command, async (context): Promise<PipelineResult> => {
        const setup = await setUpPipeline(context, options.demarche);
        const shutdown = handleShutdownSignals(setup.logger);
        try {
          return await runOnce({
            db: setup.db,
            logger: setup.logger,
            demarches: setup.demarches,
            steps: setup.steps,
            trigger: 'run-once',
            signal: shutdown.signal,
            leaseTtlMs: setup.leaseTtlMs,
            busyRetry: { everyMs: setup.busyRetry.everyMs, until: new Date(Date.now() + setup.busyRetry.forMs) },
          });
        } finally {
          shutdown.dispose();
        }
      });
      if (wantsJson(command)) {
        printJson(command, {
          runId: result.runId,
          status: result.status,
          steps: result.steps.map((s) => ({ demarche: s.demarche, step: s.step, status: s.status, error: s.error?.message ?? null })),
        });
      } else {
        printResult(command, result);
      }
      if (exitCodeOf(result) !== 0) {
        throw new PartialFailure(
          result.status === 'skipped'
            ? 'traitement déjà en cours dans un autre processus.'
            : 'une ou plusieurs étapes ont échoué (détail ci-dessus).',
        );
      }
    });
}
