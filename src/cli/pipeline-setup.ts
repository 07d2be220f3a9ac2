/**
 * What `ds-ars worker` and `ds-ars run-once` share: configuration (required), logger, DS client,
 * database and the pipeline's steps, built once from the command's context.
 */
import type { Env } from '../config/env.ts';
import type { Config, DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { PipelineStep } from '../worker/pipeline.ts';
import { buildPipelineSteps } from '../worker/steps.ts';
import type { CommandContext } from './command-context.ts';
import { leaseTtlMs } from './lease-guard.ts';
import { agree } from '../shared/plural.ts';

export interface PipelineSetup {
  env: Env;
  config: Config;
  logger: Logger;
  db: Db;
  demarches: DemarcheConfig[];
  steps: PipelineStep<DemarcheConfig>[];
  leaseTtlMs: number;
  /** How long after its start a run keeps retrying a busy démarche, and how often. */
  busyRetry: { forMs: number; everyMs: number };
}

/** The database is the context's: closed with it. */
export async function setUpPipeline(context: CommandContext, only: number[] | undefined): Promise<PipelineSetup> {
  const { env } = context;
  const config = await context.config();
  const demarches = only === undefined ? config.demarches : config.demarches.filter((d) => only.includes(d.number));
  const unknown = (only ?? []).filter((n) => !config.demarches.some((d) => d.number === n));
  if (unknown.length > 0) {
    throw new UsageError(
      `${agree(unknown.length, 'Démarche', 'Démarches')} ${unknown.join(', ')} ${agree(unknown.length, 'absente', 'absentes')} du fichier de configuration : ajoutez-les dans « demarches » ou retirez l’option --demarche.`,
    );
  }
  const logger = await context.logger();
  const client = await context.dsClient();
  const db = await context.database('create');
  return {
    env,
    config,
    logger,
    db,
    demarches,
    steps: buildPipelineSteps({ db, client, config, env, variable: (name) => context.variable(name), logger }),
    leaseTtlMs: leaseTtlMs(config),
    busyRetry: { forMs: config.worker.busyRetryMinutes * 60_000, everyMs: config.worker.busyRetryEverySeconds * 1000 },
  };
}
