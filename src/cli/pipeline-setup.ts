/**
 * What `ds-ars worker` and `ds-ars run-once` share: configuration (required), logger, DS client,
 * database and the pipeline's steps, built once from the environment.
 */
import type { Command } from 'commander';
import { loadEnv, type Env } from '../config/env.ts';
import type { Config, DemarcheConfig } from '../config/file.ts';
import { createDsClient } from '../context.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { PipelineStep } from '../worker/pipeline.ts';
import { buildPipelineSteps } from '../worker/steps.ts';
import { readConfig } from './commands/sync.command.ts';
import { leaseTtlMs } from './lease-guard.ts';

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
  close(): Promise<void>;
}

export async function setUpPipeline(command: Command, only: number[] | undefined): Promise<PipelineSetup> {
  const env = loadEnv();
  const config = await readConfig(command, env.DS_ARS_CONFIG);
  if (config === undefined) {
    throw new AppError('usage', 'Fichier de configuration requis : indiquez --config <fichier> ou la variable DS_ARS_CONFIG (démarches, planification, annotations).');
  }
  const demarches = only === undefined ? config.demarches : config.demarches.filter((d) => only.includes(d.number));
  const unknown = (only ?? []).filter((n) => !config.demarches.some((d) => d.number === n));
  if (unknown.length > 0) {
    throw new AppError('usage', `Démarche(s) ${unknown.join(', ')} absente(s) du fichier de configuration : ajoutez-les dans « demarches » ou retirez l’option --demarche.`);
  }
  const logger = createLogger({ level: env.DS_ARS_LOG_LEVEL });
  const client = createDsClient(env, { logger });
  const db = await openDatabase(env.DS_ARS_DB, { access: 'create' });
  return {
    env,
    config,
    logger,
    db,
    demarches,
    steps: buildPipelineSteps({ db, client, config, env, processEnv: process.env, logger }),
    leaseTtlMs: leaseTtlMs(config),
    busyRetry: { forMs: config.worker.busyRetryMinutes * 60_000, everyMs: config.worker.busyRetryEverySeconds * 1000 },
    close: () => db.destroy(),
  };
}
