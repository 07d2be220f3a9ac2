/**
 * `ds-ars worker`: the long-running process (systemd) that runs the pipeline on the configured
 * schedule, nightly at 02:30 Paris time by default. SIGTERM/SIGINT stop it cleanly (exit 0).
 */
import type { Command } from 'commander';
import { withCommandContext } from '../command-context.ts';

interface WorkerCliOptions {
  schedule?: string;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Lancer le traitement planifié — synchronisation, contrôles, annotations, classeurs, récapitulatif — par défaut chaque nuit à 2 h 30, heure de Paris',
    )
    .option('--schedule <cron>', 'planification cron à utiliser à la place de worker.schedule, par exemple "30 2 * * *"')
    .addHelpText(
      'after',
      [
        '',
        'Étapes, pour chaque démarche : sync → check → annotate (si worker.annotate vaut true ; envoi réel) → report,',
        'puis un récapitulatif (digest). Une étape ou une démarche en échec n’arrête pas les autres.',
        'Un verrou en base empêche deux processus de traiter la même démarche en même temps ; il est renouvelé tant que',
        'le travail avance. Celui d’un processus arrêté brutalement sur cette machine est repris aussitôt ; sinon il expire',
        'après worker.leaseMinutes minutes (« ds-ars verrous » les liste). Une démarche occupée est retentée dans la nuit',
        '(toutes les worker.busyRetryEverySeconds secondes, pendant worker.busyRetryMinutes minutes au plus, jamais',
        'au-delà du créneau suivant). Un passage manqué pendant un arrêt est rattrapé au démarrage.',
        'SIGTERM ou Ctrl+C : fin de la page ou de la mutation en cours, puis arrêt (code 0).',
      ].join('\n'),
    )
    .action(async (options: WorkerCliOptions, command: Command) => {
      const [{ serveWorker }, { setUpPipeline }] = await Promise.all([import('../../worker/worker.ts'), import('../pipeline-setup.ts')]);
      await withCommandContext(command, async (context) => {
        const setup = await setUpPipeline(context, undefined);
        await serveWorker({
          db: setup.db,
          logger: setup.logger,
          demarches: setup.demarches,
          steps: setup.steps,
          schedule: options.schedule ?? setup.config.worker.schedule,
          timezone: setup.config.worker.timezone,
          leaseTtlMs: setup.leaseTtlMs,
          busyRetry: setup.busyRetry,
        });
      });
    });
}
