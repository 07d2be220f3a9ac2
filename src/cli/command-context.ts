/**
 * What a command needs from its surroundings, built once and only on demand: the environment
 * (parsed by config/env.ts), the configuration file, the logger, the database, the DS client.
 * `ds-ars status` never reads the configuration nor loads the DS client; every module is imported
 * on first use, so a command file can import this one statically and `--help` stays light.
 * `withCommandContext` closes what was opened (the database) when the command ends, on error too.
 *
 * The environment is the one `main()` was given (`CliIo.env`): the process's, or the demo's own
 * settings when it runs the CLI in-process, never `process.env` read here.
 */
import type { Command } from 'commander';
import type { Env } from '../config/env.ts';
import type { Config } from '../config/file.ts';
import type { DatabaseAccess } from '../db/database-file.ts';
import type { Db } from '../db/database.ts';
import { ConfigError, InternalError } from '../errors.ts';
import type { DsClient } from '../graphql/client.ts';
import type { Logger } from '../logger.ts';

const ENVIRONMENTS = new WeakMap<Command, NodeJS.ProcessEnv>();

/** Called by `buildProgram`: the environment every command of `program` reads. */
export function setProgramEnvironment(program: Command, env: NodeJS.ProcessEnv): void {
  ENVIRONMENTS.set(program, env);
}

/** The environment variables given to the program `command` belongs to (unparsed). */
export function programEnvironment(command: Command): NodeJS.ProcessEnv {
  let root = command;
  while (root.parent) root = root.parent;
  const env = ENVIRONMENTS.get(root);
  if (env === undefined) throw new InternalError('commande lancée hors du programme ds-ars (environnement absent).');
  return env;
}

const CONFIG_REQUIRED = 'Fichier de configuration requis : indiquez --config <fichier> ou la variable DS_ARS_CONFIG.';

export class CommandContext {
  readonly env: Env;
  readonly #raw: NodeJS.ProcessEnv;
  readonly #command: Command;
  #config: Promise<Config | undefined> | undefined;
  #logger: Promise<Logger> | undefined;
  #client: Promise<DsClient> | undefined;
  readonly #databases: Db[] = [];

  constructor(command: Command, raw: NodeJS.ProcessEnv, env: Env) {
    this.#command = command;
    this.#raw = raw;
    this.env = env;
  }

  /** The unparsed variables, for a variable named by the configuration (mail.smtp.passwordEnv). */
  variable(name: string): string | undefined {
    return this.#raw[name];
  }

  /** The path of the configuration file: --config, else DS_ARS_CONFIG; undefined when neither is set. */
  configPath(): string | undefined {
    return this.#command.optsWithGlobals<{ config?: string }>().config ?? this.env.DS_ARS_CONFIG;
  }

  /** The configuration file, read once; undefined when none is given. */
  optionalConfig(): Promise<Config | undefined> {
    return (this.#config ??= (async () => {
      const path = this.configPath();
      return path === undefined ? undefined : (await import('../config/file.ts')).loadConfigFile(path);
    })());
  }

  /** The configuration file; a French configuration error (exit 2) says how to give one when it is missing. */
  async config(): Promise<Config> {
    const config = await this.optionalConfig();
    if (config === undefined) throw new ConfigError(CONFIG_REQUIRED);
    return config;
  }

  /**
   * The logger (created on first call, with that call's options). `quiet`: info lines are left
   * out (a progress bar or a plan is on screen); an explicit DS_ARS_LOG_LEVEL other than info wins.
   */
  logger(options: { quiet?: boolean } = {}): Promise<Logger> {
    return (this.#logger ??= (async () => {
      const [{ createLogger }, { chooseLogFormat }] = await Promise.all([import('../logger.ts'), import('../log-format.ts')]);
      const level = options.quiet === true && this.env.DS_ARS_LOG_LEVEL === 'info' ? 'warn' : this.env.DS_ARS_LOG_LEVEL;
      return createLogger({ level, format: chooseLogFormat(this.env.DS_ARS_LOG_FORMAT) });
    })());
  }

  /** The DS client (needs DS_API_TOKEN: the error says how to get one). */
  dsClient(): Promise<DsClient> {
    return (this.#client ??= (async () => {
      const [{ createDsClient }, logger] = await Promise.all([import('../context.ts'), this.logger()]);
      return createDsClient(this.env, { logger });
    })());
  }

  /** Opens the database of DS_ARS_DB; closed by `close()`. */
  async database(access: DatabaseAccess): Promise<Db> {
    const { openDatabase } = await import('../db/database.ts');
    const db = await openDatabase(this.env.DS_ARS_DB, { access });
    this.#databases.push(db);
    return db;
  }

  /** Closes what was opened, last first; safe to call twice. */
  async close(): Promise<void> {
    for (const db of this.#databases.splice(0).reverse()) await db.destroy();
  }
}

/** The context of `command`: its environment parsed (a French `config` error lists every bad variable). */
export async function openCommandContext(command: Command): Promise<CommandContext> {
  const raw = programEnvironment(command);
  const { loadEnv } = await import('../config/env.ts');
  return new CommandContext(command, raw, loadEnv(raw));
}

/** Runs `action` with the context of `command`, then closes it, whether the action succeeded or threw. */
export async function withCommandContext<T>(command: Command, action: (context: CommandContext) => Promise<T>): Promise<T> {
  const context = await openCommandContext(command);
  try {
    return await action(context);
  } finally {
    await context.close();
  }
}
