import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Config } from '../config/file.ts';
import { type Db, rawSqlite } from '../db/database.ts';
import { storageError } from '../db/storage-errors.ts';
import { AppError, toError } from '../errors.ts';
import { findUnreachableMapping, unreachableMappingError } from '../rules/mapping/unreachable-mapping.ts';
import { runDigest, type DigestOutcome } from './digest/digest-sender.ts';
import { writeJuryWorkbook, type JuryWorkbookResult } from './jury-workbook.ts';
import type { Breakdown } from './report-columns.ts';
import { reportDemarche, selectDemarches, uiBaseUrl } from './report-config.ts';

/** Entry points for the CLI and the worker: reports driven by the configuration file. */

export interface WorkbookRunItem {
  demarche: number;
  result?: JuryWorkbookResult;
  /** Mapping entries the report could not resolve (the columns are left out). */
  warnings: string[];
  error?: Error;
}

export interface WorkbooksOptions {
  apiUrl: string;
  demarches?: readonly number[] | undefined;
  breakdown?: Breakdown | undefined;
  outDir?: string | undefined;
  now?: Date | undefined;
  /** Per démarche, the first page of each candidate in the jury pack written just before. */
  packPages?: ReadonlyMap<number, ReadonlyMap<number, number>> | undefined;
}

/** One workbook per démarche; a démarche that fails does not stop the others. */
export async function writeConfiguredWorkbooks(db: Db, config: Config, options: WorkbooksOptions): Promise<WorkbookRunItem[]> {
  const items: WorkbookRunItem[] = [];
  for (const demarcheConfig of selectDemarches(config, options.demarches)) {
    const item: WorkbookRunItem = { demarche: demarcheConfig.number, warnings: [] };
    try {
      // A mapping key that points nowhere would empty its column on every row: no workbook.
      const unreachable = await findUnreachableMapping(db, demarcheConfig);
      if (unreachable.length > 0)
        throw unreachableMappingError(demarcheConfig.number, unreachable, 'Aucun classeur écrit pour cette démarche.');
      const { demarche, problems } = await reportDemarche(db, demarcheConfig);
      item.warnings = problems.map((p) => `mapping["${p.field}"] : ${p.message}`);
      item.result = await writeJuryWorkbook(db, {
        demarche,
        uiBaseUrl: uiBaseUrl(config, options.apiUrl),
        outDir: options.outDir ?? config.output.dir,
        breakdown: options.breakdown,
        now: options.now,
        packPages: options.packPages?.get(demarcheConfig.number),
      });
    } catch (error) {
      // A damaged, read-only or full database is the installation's problem, not this démarche's: French, exit 2.
      const storage = storageError(error, rawSqlite(db)?.name);
      if (storage !== undefined) throw storage;
      item.error = toError(error);
    }
    items.push(item);
  }
  return items;
}

/**
 * Tonight's workbook of a démarche when it is still current (written after the last successful
 * sync and the last evaluation, file still there), so the nightly digest does not write it twice.
 */
async function currentWorkbook(db: Db, demarche: number): Promise<string | null> {
  const workbook = await db
    .selectFrom('workbooks')
    .select(['path', 'created_at'])
    .where('demarche_number', '=', demarche)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!workbook || !existsSync(workbook.path)) return null;
  const sync = await db.selectFrom('sync_state').select('last_success_at').where('demarche_number', '=', demarche).executeTakeFirst();
  const checked = await db
    .selectFrom('evaluations')
    .select((eb) => eb.fn.max('evaluated_at').as('at'))
    .where('demarche_number', '=', demarche)
    .executeTakeFirst();
  const latest = [sync?.last_success_at, checked?.at]
    .filter((t): t is string => typeof t === 'string')
    .sort()
    .at(-1);
  return latest === undefined || workbook.created_at >= latest ? workbook.path : null;
}

export interface DigestRunOptions {
  apiUrl: string;
  /** DS_API_TOKEN_EXPIRES_ON (config/env.ts): the digest warns before the token expires. */
  tokenExpiresOn?: string | undefined;
  /** Reads the variable named by mail.smtp.passwordEnv (never process.env directly). */
  variable?: ((name: string) => string | undefined) | undefined;
  /** Overrides mail.to. */
  to?: readonly string[] | undefined;
  dryRun?: boolean | undefined;
  /** Overrides mail.attachWorkbook. */
  attach?: boolean | undefined;
  outDir?: string | undefined;
  now?: Date | undefined;
}

/** The digest mail as configured (mail section, password from the named variable). */
export async function runConfiguredDigest(db: Db, config: Config, options: DigestRunOptions): Promise<DigestOutcome> {
  const mail = config.mail;
  const to = options.to && options.to.length > 0 ? options.to : mail?.to;
  if (!mail && !options.dryRun) {
    throw new AppError(
      'config',
      'Aucune section « mail » dans la configuration : indiquez mail.smtp, mail.from et mail.to, ou utilisez --dry-run.',
    );
  }
  if (!to || to.length === 0) throw new AppError('usage', 'Aucun destinataire : indiquez --to <adresse> ou mail.to dans la configuration.');
  let password: string | undefined;
  if (mail?.smtp.user && !options.dryRun) {
    const variable = mail.smtp.passwordEnv;
    password = variable ? options.variable?.(variable) : undefined;
    if (!variable || password === undefined || password === '') {
      throw new AppError(
        'config',
        `Mot de passe SMTP manquant pour ${mail.smtp.user} : définissez mail.smtp.passwordEnv et la variable d’environnement qu’il nomme${variable ? ` (${variable})` : ''}.`,
      );
    }
  }
  const demarches = [];
  for (const d of config.demarches) demarches.push((await reportDemarche(db, d)).demarche);
  const outDir = options.outDir ?? config.output.dir;
  const attach = options.attach ?? mail?.attachWorkbook ?? false;
  return runDigest(db, {
    demarches,
    uiBaseUrl: uiBaseUrl(config, options.apiUrl),
    from: mail?.from ?? 'ds-ars@localhost',
    to,
    smtp: {
      host: mail?.smtp.host ?? 'localhost',
      port: mail?.smtp.port ?? 25,
      secure: mail?.smtp.secure ?? false,
      user: mail?.smtp.user,
      password,
    },
    dryRun: options.dryRun,
    outDir,
    tokenExpiresOn: options.tokenExpiresOn,
    now: options.now,
    filesLocation: mail?.filesLocation ?? resolve(outDir),
    attachments: attach
      ? async () => {
          const paths: string[] = [];
          for (const d of config.demarches) {
            const current = await currentWorkbook(db, d.number);
            if (current) {
              paths.push(current);
              continue;
            }
            const [item] = await writeConfiguredWorkbooks(db, config, {
              apiUrl: options.apiUrl,
              demarches: [d.number],
              outDir,
              now: options.now,
            });
            if (item?.error) throw item.error;
            if (item?.result) paths.push(item.result.path);
          }
          return paths.map((path) => ({ filename: basename(path), path }));
        }
      : undefined,
  });
}
