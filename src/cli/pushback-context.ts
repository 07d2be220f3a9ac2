/** What `annotate` and `instruire` need: environment, configuration, database, DS client. */
import type { Command } from 'commander';
import { loadEnv, type Env } from '../config/env.ts';
import { loadConfigFile, type Config, type DemarcheConfig } from '../config/file.ts';
import { lazyDsClient } from '../context.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { instructeurEmailFromConfig } from '../pushback/acting-instructeur.ts';
import type { ExecutorContext } from '../pushback/executor.ts';

export interface PushbackCliContext {
  env: Env;
  config: Config;
  db: Db;
  logger: Logger;
  executor: ExecutorContext;
  close(): Promise<void>;
}

export function requireConfig(command: Command, env: Env): Config {
  const path = command.optsWithGlobals<{ config?: string }>().config ?? env.DS_ARS_CONFIG;
  if (path === undefined) {
    throw new AppError('usage', 'Fichier de configuration requis : indiquez --config <fichier> ou la variable DS_ARS_CONFIG.');
  }
  return loadConfigFile(path);
}

/** The démarches to work on: all configured ones, or those given with --demarche (which must be configured). */
export function selectDemarches(config: Config, wanted: readonly number[] | undefined): DemarcheConfig[] {
  if (wanted === undefined || wanted.length === 0) return config.demarches;
  return wanted.map((number) => {
    const found = config.demarches.find((d) => d.number === number);
    if (found === undefined) {
      throw new AppError('usage', `La démarche ${number} n’est pas dans le fichier de configuration (démarches : ${config.demarches.map((d) => d.number).join(', ')}).`);
    }
    return found;
  });
}

/** Without `apply` (a plan), DS is never called: no token is needed. */
export async function openPushbackContext(command: Command, options: { quiet: boolean; apply: boolean }): Promise<PushbackCliContext> {
  const env = loadEnv();
  const config = requireConfig(command, env);
  const logger = createLogger({ level: options.quiet && env.DS_ARS_LOG_LEVEL === 'info' ? 'warn' : env.DS_ARS_LOG_LEVEL });
  const ds = lazyDsClient(env, { logger });
  if (options.apply) void ds.client;
  // A plan only reads: it works on a database this account may not write.
  const db = await openDatabase(env.DS_ARS_DB, { access: options.apply ? 'write' : 'read' });
  return {
    env,
    config,
    db,
    logger,
    executor: {
      db,
      get client() {
        return ds.client;
      },
      logger,
      instructeurEmail: instructeurEmailFromConfig(config),
    },
    close: () => db.destroy(),
  };
}
