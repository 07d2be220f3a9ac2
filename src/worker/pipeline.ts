import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.ts';
import type { PipelineStepName, PipelineStepStatus, PipelineTrigger } from '../db/tables/pipeline.table.ts';
import { AppError, toError } from '../errors.ts';
import { childLogger, type Logger } from '../logger.ts';
import { parisDateTime } from '../shared/paris-time.ts';
import { DEFAULT_LEASE_TTL_MS, demarcheResource, LeaseBusyError, newHolderId, PIPELINE_RESOURCE, readLease, withLease } from './lease.ts';
import { agree, plural } from '../shared/plural.ts';

export type { PipelineStepName, PipelineTrigger } from '../db/tables/pipeline.table.ts';

export { PIPELINE_RESOURCE } from './lease.ts';

/** What every step receives besides its démarche. */
export interface PipelineContext {
  db: Db;
  /** Stamped with run id, démarche and step. */
  logger: Logger;
  runId: string;
  trigger: PipelineTrigger;
}

/** What a step may report; returning nothing means "ok". */
export interface StepOutcome {
  /** Some items failed but the step carried on (e.g. 3 files not downloaded). */
  partial?: boolean;
  /** Short French summary for the digest ("12 dossiers mis à jour"). */
  summary?: string;
  /** The digest step mailed this run's summary: the last line may point to it. */
  mailed?: boolean;
}

/** The minimum the pipeline needs to know about a démarche; steps get the full config entry. */
export interface PipelineDemarche {
  number: number;
}

/** A step run once per démarche, under that démarche's lease (sync, check, annotate, report). */
export interface DemarcheStep<D extends PipelineDemarche = PipelineDemarche> {
  name: Exclude<PipelineStepName, 'digest'>;
  scope: 'demarche';
  /** Steps of this démarche that must have succeeded in this run (annotate needs a fresh check). */
  needs?: PipelineStepName[];
  /** Must stop after its current page or mutation once `signal` aborts, and return or throw. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a step with nothing to report is an async function returning nothing.
  run(ctx: PipelineContext, demarche: D, signal: AbortSignal): Promise<StepOutcome | void>;
}

/** A step run once per run, after every démarche (the digest mail reads what the others recorded). */
export interface RunStep<D extends PipelineDemarche = PipelineDemarche> {
  name: PipelineStepName;
  scope: 'run';
  // biome-ignore lint/suspicious/noConfusingVoidType: a step with nothing to report is an async function returning nothing.
  run(ctx: PipelineContext, demarches: readonly D[], signal: AbortSignal): Promise<StepOutcome | void>;
}

export type PipelineStep<D extends PipelineDemarche = PipelineDemarche> = DemarcheStep<D> | RunStep<D>;

export interface StepResult {
  step: PipelineStepName;
  demarche: number | null;
  status: Exclude<PipelineStepStatus, 'running'>;
  error?: Error;
  /** Set by the digest step when it mailed the summary of this run. */
  mailed?: boolean;
}

export type PipelineStatus = 'ok' | 'partial' | 'interrupted' | 'skipped';

export interface PipelineResult {
  runId: string;
  /** 'skipped': another process holds the pipeline lease; nothing was done. */
  status: PipelineStatus;
  steps: StepResult[];
}

export interface RunPipelineOptions<D extends PipelineDemarche> {
  db: Db;
  logger: Logger;
  demarches: readonly D[];
  steps: readonly PipelineStep<D>[];
  trigger: PipelineTrigger;
  /** SIGTERM/SIGINT: the running step finishes its page or mutation, the rest is not started. */
  signal?: AbortSignal;
  holder?: string;
  leaseTtlMs?: number;
  runId?: string;
  /** Called once the run's lease is held, before the first step (records the schedule run). */
  onStarted?: () => Promise<void>;
  /**
   * A démarche whose lease another live process holds is tried again every `everyMs` after the
   * others, until `until`; then it is recorded as skipped. Without it, it is skipped at once.
   */
  busyRetry?: BusyRetry;
}

export interface BusyRetry {
  everyMs: number;
  until: Date;
}

/**
 * Runs every step for every démarche, each démarche under its own lease. A failing step or
 * démarche is recorded in `pipeline_runs` and the run carries on with the next one; only an
 * abort (signal, or a lease lost) stops it, after recording where it stopped.
 */
export async function runPipeline<D extends PipelineDemarche>(options: RunPipelineOptions<D>): Promise<PipelineResult> {
  const runId = options.runId ?? randomUUID();
  const holder = options.holder ?? newHolderId();
  const ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const outer = options.signal ?? new AbortController().signal;
  const logger = childLogger(options.logger, { run: runId });
  const results: StepResult[] = [];
  const base = { db: options.db, runId, trigger: options.trigger };

  logger.info(
    { trigger: options.trigger, demarches: options.demarches.map((d) => d.number) },
    `Début du traitement (${plural(options.demarches.length, 'démarche')}).`,
  );
  try {
    await withLease(
      options.db,
      PIPELINE_RESOURCE,
      holder,
      async (runSignal) => {
        await options.onStarted?.();
        // Runs each démarche in turn; returns those another process holds.
        const pass = async (demarches: readonly D[]): Promise<D[]> => {
          const busy: D[] = [];
          for (const demarche of demarches) {
            if (runSignal.aborted) break;
            const outcome = await runDemarche(base, logger, demarche, options.steps, runSignal, holder, ttlMs);
            if (outcome === 'busy') busy.push(demarche);
            else results.push(...outcome);
          }
          return busy;
        };
        let busy = await pass(options.demarches);
        // Busy démarches wait for their holder within the same night rather than until the next slot.
        const retry = options.busyRetry;
        while (busy.length > 0 && !runSignal.aborted && retry !== undefined && Date.now() + retry.everyMs <= retry.until.getTime()) {
          logger.info(
            { demarches: busy.map((d) => d.number), retryInMs: retry.everyMs, until: retry.until.toISOString() },
            `${agree(busy.length, 'Démarche', 'Démarches')} ${busy.map((d) => d.number).join(', ')} ${agree(busy.length, 'occupée', 'occupées')} par un autre processus : nouvelle tentative dans ${Math.round(retry.everyMs / 1000)} s (au plus tard jusqu’au ${parisDateTime(retry.until)}).`,
          );
          await sleep(retry.everyMs, undefined, { signal: runSignal }).catch(() => undefined);
          busy = runSignal.aborted ? busy : await pass(busy);
        }
        for (const demarche of busy) results.push(await recordBusy(base, logger, demarche, options.steps));
        for (const step of options.steps) {
          if (step.scope !== 'run' || runSignal.aborted) continue;
          const ctx = { ...base, logger: childLogger(logger, { step: step.name }) };
          results.push(await runStep(ctx, step.name, null, runSignal, () => step.run(ctx, options.demarches, runSignal)));
        }
      },
      { ttlMs, signal: outer, logger },
    );
  } catch (caught) {
    const error = toError(caught);
    if (error instanceof LeaseBusyError) {
      logger.warn(
        { holder: error.lease?.holder, expiresAt: error.lease?.expiresAt },
        `Un autre processus traite déjà les démarches (${error.lease?.holder ?? 'inconnu'}) : ce passage est ignoré.`,
      );
      return { runId, status: 'skipped', steps: [] };
    }
    throw error;
  }
  const status = pipelineStatus(results, outer.aborted);
  const failed = results.filter((r) => r.status !== 'ok').length;
  const message = {
    ok: 'Traitement terminé sans erreur.',
    partial: `Traitement terminé avec ${plural(failed, 'étape')} en échec, ${agree(failed, 'partielle', 'partielles')} ou ${agree(failed, 'ignorée', 'ignorées')} ; ${
      results.some((r) => r.mailed)
        ? 'le récapitulatif envoyé par mail les détaille'
        : 'détail ci-dessus (aucun récapitulatif envoyé par mail)'
    }.`,
    interrupted: 'Traitement interrompu proprement ; il reprendra où il s’est arrêté au prochain passage.',
  }[status];
  (status === 'ok' ? logger.info.bind(logger) : logger.warn.bind(logger))({ status, steps: results.length, failed }, message);
  return { runId, status, steps: results };
}

function pipelineStatus(results: StepResult[], aborted: boolean): Exclude<PipelineStatus, 'skipped'> {
  if (aborted || results.some((r) => r.status === 'interrupted')) return 'interrupted';
  return results.every((r) => r.status === 'ok') ? 'ok' : 'partial';
}

async function runDemarche<D extends PipelineDemarche>(
  base: Omit<PipelineContext, 'logger'>,
  runLogger: Logger,
  demarche: D,
  steps: readonly PipelineStep<D>[],
  runSignal: AbortSignal,
  holder: string,
  ttlMs: number,
): Promise<StepResult[] | 'busy'> {
  const logger = childLogger(runLogger, { demarche: demarche.number });
  const demarcheSteps = steps.filter((s): s is DemarcheStep<D> => s.scope === 'demarche');
  const results: StepResult[] = [];
  try {
    await withLease(
      base.db,
      demarcheResource(demarche.number),
      holder,
      async (signal) => {
        for (const step of demarcheSteps) {
          if (signal.aborted) break;
          const ctx = { ...base, logger: childLogger(logger, { step: step.name }) };
          const unmet = (step.needs ?? []).filter((name) => results.find((r) => r.step === name)?.status !== 'ok');
          if (unmet.length > 0) {
            results.push(await recordSkipped(ctx, step.name, demarche.number, `étape ignorée : ${unmet.join(', ')} n’a pas réussi`));
            continue;
          }
          results.push(await runStep(ctx, step.name, demarche.number, signal, () => step.run(ctx, demarche, signal)));
        }
      },
      { ttlMs, signal: runSignal, logger },
    );
  } catch (caught) {
    // Taking or releasing the démarche's lease failed: the démarche is skipped, not the run.
    const error = toError(caught);
    const first = demarcheSteps[0]?.name ?? 'sync';
    const ctx = { ...base, logger };
    if (error instanceof LeaseBusyError && results.length === 0) {
      logger.warn(
        { holder: error.lease?.holder, expiresAt: error.lease?.expiresAt },
        `Démarche ${demarche.number} déjà en cours de traitement par ${error.lease?.holder ?? 'un autre processus'}.`,
      );
      return 'busy';
    } else {
      logger.error({ err: error }, `Démarche ${demarche.number} : erreur hors étape (${error.message}).`);
      results.push(await recordSkipped(ctx, first, demarche.number, error.message, error, 'failed'));
    }
  }
  return results;
}

/** A démarche still busy when the retries end: recorded as skipped, with who holds it. */
async function recordBusy<D extends PipelineDemarche>(
  base: Omit<PipelineContext, 'logger'>,
  runLogger: Logger,
  demarche: D,
  steps: readonly PipelineStep<D>[],
): Promise<StepResult> {
  const logger = childLogger(runLogger, { demarche: demarche.number });
  const lease = await readLease(base.db, demarcheResource(demarche.number));
  const error = new LeaseBusyError(demarcheResource(demarche.number), lease);
  logger.warn(
    { holder: lease?.holder },
    `Démarche ${demarche.number} ignorée : déjà en cours de traitement par ${lease?.holder ?? 'un autre processus'}.`,
  );
  const first = steps.find((s) => s.scope === 'demarche')?.name ?? 'sync';
  return recordSkipped({ ...base, logger }, first, demarche.number, error.message, error);
}

async function runStep(
  ctx: PipelineContext,
  step: PipelineStepName,
  demarche: number | null,
  signal: AbortSignal,
  // biome-ignore lint/suspicious/noConfusingVoidType: the step's own run, which may return nothing.
  run: () => Promise<StepOutcome | void>,
): Promise<StepResult> {
  const startedAt = new Date().toISOString();
  const { id } = await ctx.db
    .insertInto('pipeline_runs')
    .values({ run_id: ctx.runId, trigger: ctx.trigger, demarche_number: demarche, step, status: 'running', started_at: startedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  ctx.logger.info(`Étape ${step} : début.`);
  let status: StepResult['status'];
  let error: Error | undefined;
  let summary: string | null = null;
  let mailed = false;
  try {
    const outcome = await run();
    summary = outcome?.summary ?? null;
    mailed = outcome?.mailed === true;
    status = signal.aborted ? 'interrupted' : outcome?.partial ? 'partial' : 'ok';
  } catch (caught) {
    error = toError(caught);
    status = signal.aborted ? 'interrupted' : 'failed';
  }
  await ctx.db
    .updateTable('pipeline_runs')
    .set({
      status,
      ended_at: new Date().toISOString(),
      error_code: error ? (error instanceof AppError ? error.code : 'internal') : null,
      error_message: error?.message ?? null,
      summary,
    })
    .where('id', '=', id)
    .execute();
  if (status === 'failed')
    ctx.logger.error({ err: error }, `Étape ${step} en échec : ${error?.message ?? ''} ; les étapes suivantes continuent.`);
  else if (status === 'interrupted') ctx.logger.warn(`Étape ${step} interrompue ; elle reprendra au prochain passage.`);
  else ctx.logger.info({ status }, `Étape ${step} terminée${summary ? ` : ${summary}` : ''}.`);
  return { step, demarche, status, ...(error ? { error } : {}), ...(mailed ? { mailed } : {}) };
}

async function recordSkipped(
  ctx: PipelineContext,
  step: PipelineStepName,
  demarche: number,
  reason: string,
  error?: Error,
  status: 'skipped' | 'failed' = 'skipped',
): Promise<StepResult> {
  const now = new Date().toISOString();
  await ctx.db
    .insertInto('pipeline_runs')
    .values({
      run_id: ctx.runId,
      trigger: ctx.trigger,
      demarche_number: demarche,
      step,
      status,
      started_at: now,
      ended_at: now,
      error_code: error instanceof AppError ? error.code : error ? 'internal' : null,
      error_message: error?.message ?? null,
      summary: reason,
    })
    .execute();
  if (status === 'skipped' && !error) ctx.logger.warn(`Étape ${step} ignorée : ${reason}.`);
  return error ? { step, demarche, status, error } : { step, demarche, status };
}
