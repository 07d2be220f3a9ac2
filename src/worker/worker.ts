import { toError } from '../errors.ts';
import { dateTimeIn } from '../shared/paris-time.ts';
import type { Logger } from '../logger.ts';
import { scheduleTask, validateSchedule } from './cron.ts';
import { newHolderId } from './lease.ts';
import { findCatchUp, PIPELINE_SCHEDULE } from './missed-runs.ts';
import type { PipelineDemarche, PipelineResult, PipelineStep, PipelineTrigger } from './pipeline.ts';
import { runOnce } from './run-once.ts';
import { handleShutdownSignals } from './signals.ts';
import type { Db } from '../db/database.ts';

export interface WorkerOptions<D extends PipelineDemarche> {
  db: Db;
  logger: Logger;
  demarches: readonly D[];
  steps: readonly PipelineStep<D>[];
  /** Cron expression (node-cron syntax, 5 or 6 fields) and its timezone. */
  schedule: string;
  timezone: string;
  leaseTtlMs?: number;
  /** Retry busy démarches within the night: for how long after a run starts (never past the next slot), how often. */
  busyRetry?: { forMs: number; everyMs: number };
  /** Aborted on SIGTERM/SIGINT: the worker finishes the current page or mutation and stops. */
  signal: AbortSignal;
  holder?: string;
}

export interface RunningWorker {
  /** Resolves once the worker has stopped (signal aborted, current run finished, leases released). */
  stopped: Promise<void>;
  /** Results of the runs so far, in order (the catch-up run first); the last 100 at most. */
  runs: PipelineResult[];
}

/**
 * Schedules the pipeline with node-cron and makes up, at start, a night missed while the worker
 * was down or a run left unfinished (crash, SIGTERM). One run at a time in this process; the
 * leases keep other processes off the démarches it works on.
 */
export async function startWorker<D extends PipelineDemarche>(options: WorkerOptions<D>): Promise<RunningWorker> {
  validateSchedule(options.schedule, options.timezone);
  const { db, logger, signal } = options;
  const holder = options.holder ?? newHolderId();
  const runs: PipelineResult[] = [];
  let current: Promise<void> | null = null;

  // Read before scheduling: a database error here must not leave a timer keeping the process alive.
  const catchUp = await findCatchUp(db, PIPELINE_SCHEDULE, options.schedule, options.timezone);

  const launch = (trigger: PipelineTrigger): void => {
    if (signal.aborted) return;
    if (current) {
      logger.warn({ trigger }, 'Le passage précédent est encore en cours : ce créneau est ignoré.');
      return;
    }
    current = runOnce({
      db,
      logger,
      demarches: options.demarches,
      steps: options.steps,
      trigger,
      signal,
      holder,
      schedule: PIPELINE_SCHEDULE,
      ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
      ...(options.busyRetry === undefined ? {} : { busyRetry: retryWindow(options.busyRetry, nextSlot()) }),
    })
      .then(
        (result) => {
          runs.push(result);
          // A worker lives for months: keep only the recent runs in memory (the database has them all).
          if (runs.length > 100) runs.shift();
        },
        (caught: unknown) => {
          const error = toError(caught);
          logger.error({ err: error }, `Le traitement a échoué : ${error.message}`);
        },
      )
      .finally(() => {
        current = null;
      });
  };

  // Read when a run starts: the task exists by then (the catch-up launches after scheduling).
  const nextSlot = (): Date | null => task.getNextRun();
  const task = scheduleTask(options.schedule, options.timezone, 'ds-ars-pipeline', logger, async () => {
    launch('schedule');
    await current;
  });
  logger.info(
    { schedule: options.schedule, timezone: options.timezone, holder, next: task.getNextRun()?.toISOString() },
    `Worker démarré (« ${options.schedule} », ${options.timezone}) ; prochain passage : ${formatNext(task.getNextRun(), options.timezone)}.`,
  );

  if (catchUp?.reason === 'missed') {
    logger.warn(
      { scheduledAt: catchUp.scheduledAt?.toISOString() },
      `Passage du ${formatNext(catchUp.scheduledAt, options.timezone)} manqué (worker arrêté) : rattrapage immédiat.`,
    );
    launch('missed');
  } else if (catchUp?.reason === 'unfinished') {
    logger.warn('Le dernier passage ne s’est pas terminé (arrêt ou panne) : reprise immédiate.');
    launch('resume');
  }

  const stopped = new Promise<void>((resolve) => {
    const stop = async () => {
      try {
        await task.stop();
        await task.destroy();
      } catch (caught) {
        logger.warn({ err: toError(caught) }, 'Arrêt de la planification : erreur ignorée.');
      }
      await current;
      logger.info('Worker arrêté proprement.');
      resolve();
    };
    if (signal.aborted) void stop();
    else signal.addEventListener('abort', () => void stop(), { once: true });
  });
  return { stopped, runs };
}

/** Retries end after `forMs`, and a minute before the next slot so two nights never overlap. */
function retryWindow(
  retry: { forMs: number; everyMs: number },
  next: Date | null,
  now: Date = new Date(),
): { everyMs: number; until: Date } {
  const end = now.getTime() + retry.forMs;
  // A "next" not in the future is the slot being run now, not the following one.
  const cap = next !== null && next.getTime() - 60_000 > now.getTime() ? next.getTime() - 60_000 : end;
  return { everyMs: retry.everyMs, until: new Date(Math.min(end, cap)) };
}

function formatNext(date: Date | null, timezone: string): string {
  if (!date) return 'aucun';
  return dateTimeIn(date, timezone);
}

export type ServeWorkerOptions<D extends PipelineDemarche> = Omit<WorkerOptions<D>, 'signal'>;

/**
 * The `ds-ars worker` process: runs until SIGTERM/SIGINT, then lets the current page or mutation
 * finish, records where it stopped, releases its leases and returns exit code 0.
 */
export async function serveWorker<D extends PipelineDemarche>(options: ServeWorkerOptions<D>): Promise<0> {
  const shutdown = handleShutdownSignals(options.logger);
  try {
    const worker = await startWorker({ ...options, signal: shutdown.signal });
    await worker.stopped;
    return 0;
  } finally {
    shutdown.dispose();
  }
}
