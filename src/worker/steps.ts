/**
 * The real pipeline: each step adapts one colleague module (sync, rules, push-back, reports) to
 * the small `PipelineStep` interface, turning its report into ok / partial / thrown error.
 */
import type { Env } from '../config/env.ts';
import type { Config, DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { DsClient } from '../graphql/client.ts';
import type { Logger } from '../logger.ts';
import { annotateDemarche } from '../pushback/annotate.ts';
import { logObserver } from '../sync/log-observer.ts';
import { DEFAULT_LABELS_EVERY_HOURS, DEFAULT_ORIGIN } from '../sync/run-plan.ts';
import { syncDemarche } from '../sync/sync-runner.ts';
import type { DemarcheStep, PipelineStep, RunStep, StepOutcome } from './pipeline.ts';

export interface PipelineServices {
  db: Db;
  client: DsClient;
  config: Config;
  env: Env;
  logger: Logger;
}

/** sync → check → annotate (only with `worker.annotate: true`, and then for real) → report → digest. */
export function buildPipelineSteps(services: PipelineServices): PipelineStep<DemarcheConfig>[] {
  const steps: PipelineStep<DemarcheConfig>[] = [syncStep(services), checkStep(services)];
  if (services.config.worker.annotate) steps.push(annotateStep(services));
  steps.push(reportStep(services), digestStep(services));
  return steps;
}

/** Raised between two pages when the worker is asked to stop: the page is committed, its cursor saved. */
const stopRequested = () =>
  new AppError('internal', 'Arrêt demandé : la synchronisation s’arrête après la page en cours et reprendra au dernier curseur enregistré.');

export function syncStep({ db, client, config, env }: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'sync',
    scope: 'demarche',
    async run(ctx, demarche, signal) {
      const result = await syncDemarche(
        { db, client },
        demarche.number,
        {
          demarches: [demarche.number],
          files: config.sync.files,
          filesDir: env.DS_ARS_FILES_DIR,
          origin: config.sync.origin ?? DEFAULT_ORIGIN,
          labelsEveryHours: config.sync.labelsEveryHours ?? DEFAULT_LABELS_EVERY_HOURS,
          logger: ctx.logger,
          // One journal line per page: the operator sees how far a night got.
          observer: logObserver(ctx.logger),
          // The sync stops the way it survives a crash: after a committed page (its cursor saved).
          onPageWritten: () => {
            if (signal.aborted) throw stopRequested();
          },
        },
      );
      const summary = `${result.pages} page(s), ${result.upserted} dossier(s) mis à jour, ${result.deleted} supprimé(s)`;
      if (result.status === 'failed') throw new AppError('internal', result.error ?? 'échec de la synchronisation', { details: { syncRun: result.runId } });
      return { partial: result.status === 'partial', summary: result.error ? `${summary} ; ${result.error}` : summary };
    },
  };
}

/**
 * Rules on the mirror, findings and evaluations stored.
 * TODO(lead): wire the rules colleague's `ds-ars check` function (src/rules/check.ts) here once it
 * lands; until then the step fails with a clear message and annotate is skipped (it needs check).
 */
export function checkStep(_services: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'check',
    scope: 'demarche',
    async run(): Promise<StepOutcome> {
      throw new AppError('internal', 'Étape « check » non branchée dans cette version (src/rules/check.ts absent) : lancez « ds-ars check » à la main.');
    },
  };
}

export function annotateStep({ db, client, config }: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'annotate',
    scope: 'demarche',
    // Annotations written from stale findings would be wrong: only after a successful check.
    needs: ['check'],
    async run(ctx, demarche, signal) {
      if (!Object.values(demarche.annotations).some((v) => v !== undefined)) return { summary: 'aucune annotation configurée pour cette démarche' };
      const result = await annotateDemarche(
        {
          db,
          client,
          logger: ctx.logger,
          instructeurEmail: (n) => config.demarches.find((d) => d.number === n)?.instructeurEmail ?? config.instance.instructeurEmail,
        },
        demarche,
        { apply: true, signal },
      );
      const { counts, fatal } = result.execution;
      if (fatal !== undefined) throw new AppError('internal', fatal);
      return {
        partial: counts.failed > 0 || counts.conflict > 0,
        summary: `${counts.sent} envoyée(s), ${counts.skipped} inchangée(s), ${counts.failed} en échec, ${counts.conflict} en conflit`,
      };
    },
  };
}

/**
 * The jury workbook of the démarche.
 * TODO(lead): wire the reports colleague's report function (the one behind `ds-ars report`, which
 * resolves the config mapping into a ReportDemarche) once it lands.
 */
export function reportStep(_services: PipelineServices): DemarcheStep<DemarcheConfig> {
  return {
    name: 'report',
    scope: 'demarche',
    async run(): Promise<StepOutcome> {
      throw new AppError('internal', 'Étape « report » non branchée dans cette version : lancez « ds-ars report » à la main.');
    },
  };
}

/**
 * The night's digest mail; it reads `pipeline_runs` (this run's failures) and `sync_runs`.
 * TODO(lead): wire the reports colleague's digest function (src/reports/digest/) once it lands.
 */
export function digestStep(_services: PipelineServices): RunStep<DemarcheConfig> {
  return {
    name: 'digest',
    scope: 'run',
    async run(): Promise<StepOutcome> {
      throw new AppError('internal', 'Étape « digest » non branchée dans cette version : lancez « ds-ars digest » à la main.');
    },
  };
}
