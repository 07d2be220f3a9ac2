/** What `annotate` and `instruire` need: environment, configuration, database, DS client. */
import type { Env } from '../config/env.ts';
import type { Config, DemarcheConfig } from '../config/file.ts';
import { lazyDsClient } from '../context.ts';
import type { Db } from '../db/database.ts';
import { UsageError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { instructeurEmailFromConfig } from '../pushback/acting-instructeur.ts';
import type { ExecutorContext } from '../pushback/executor.ts';
import type { CommandContext } from './command-context.ts';

export interface PushbackCliContext {
  env: Env;
  config: Config;
  db: Db;
  logger: Logger;
  executor: ExecutorContext;
}

/** The démarches to work on: all configured ones, or those given with --demarche (which must be configured). */
export function selectDemarches(config: Config, wanted: readonly number[] | undefined): DemarcheConfig[] {
  if (wanted === undefined || wanted.length === 0) return config.demarches;
  return wanted.map((number) => {
    const found = config.demarches.find((d) => d.number === number);
    if (found === undefined) {
      throw new UsageError(
        `La démarche ${number} n’est pas dans le fichier de configuration (démarches : ${config.demarches.map((d) => d.number).join(', ')}).`,
      );
    }
    return found;
  });
}

/** Without `apply` (a plan), DS is never called: no token is needed. The database is the context's: closed with it. */
export async function openPushbackContext(
  context: CommandContext,
  options: { quiet: boolean; apply: boolean },
): Promise<PushbackCliContext> {
  const { env } = context;
  const config = await context.config();
  const logger = await context.logger({ quiet: options.quiet });
  const ds = lazyDsClient(env, { logger });
  if (options.apply) void ds.client;
  // A plan only reads: it works on a database this account may not write.
  const db = await context.database(options.apply ? 'write' : 'read');
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
  };
}
