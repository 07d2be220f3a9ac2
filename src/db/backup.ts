/**
 * `ds-ars sauvegarde`: a copy of the database through SQLite's online backup API, consistent
 * even while a worker writes (WAL: the copy is one read snapshot, writers are not blocked).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { AppError } from '../errors.ts';
import { rawSqlite, type Db } from './database.ts';
import { account, storageCode, storageError } from './storage-errors.ts';

export interface BackupResult {
  path: string;
  bytes: number;
  pages: number;
  dossiers: number;
  journalEntries: number;
}

export async function backupDatabase(db: Db, target: string, options: { replace: boolean }): Promise<BackupResult> {
  const sqlite = rawSqlite(db);
  if (sqlite === undefined || sqlite.memory) throw new AppError('usage', 'Seule une base SQLite sur disque peut être sauvegardée.');
  if (target.trim() === '')
    throw new AppError('usage', 'Indiquez le fichier de la sauvegarde, par exemple « ds-ars sauvegarde /srv/sauvegardes/ds-ars.sqlite ».');
  const path = resolve(target);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new AppError(
      'usage',
      `« ${target} » est un dossier : indiquez le fichier de la sauvegarde dans ce dossier, par exemple « ${join(path, 'ds-ars.sqlite')} ».`,
    );
  }
  if (path === resolve(sqlite.name))
    throw new AppError('usage', `« ${target} » est la base elle-même : choisissez un autre fichier pour la sauvegarde.`);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AppError(
      'usage',
      `Dossier introuvable pour la sauvegarde : ${folder}. Créez-le d’abord (droits 0700 conseillés : la base contient des données personnelles).`,
    );
  }
  if (existsSync(path) && !options.replace) {
    throw new AppError('usage', `Le fichier « ${target} » existe déjà : choisissez un autre nom, ou ajoutez --remplacer pour l’écraser.`);
  }
  // Written beside the target under a temporary name, created 0600 (personal data), then renamed:
  // an interrupted backup never leaves a half file under the expected name.
  const partial = join(folder, `.${basename(path)}.${randomBytes(4).toString('hex')}.partiel`);
  try {
    closeSync(openSync(partial, 'wx', 0o600));
    // One step for every page: the copy is a single read snapshot, so a sync writing meanwhile
    // cannot make it restart over and over (the default steps of 100 pages restart on each write).
    const progress = await sqlite.backup(partial, { progress: () => 0x7fffffff });
    const copy = new SQLite(partial);
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        // The copy is page for page the base: the base is damaged. SQLite's report can run to pages; its start is enough.
        const report = String(check)
          .replace(/\*\*\* in database \w+ \*\*\*\s*/g, '')
          .trim();
        const detail = report.length > 160 ? `${report.slice(0, 159)}…` : report;
        throw new AppError(
          'storage',
          `La base SQLite « ${sqlite.name} » est endommagée : sa copie ne passe pas le contrôle d’intégrité de SQLite (« ${detail} »). ` +
            'Aucune sauvegarde n’a été écrite : gardez les précédentes. Arrêtez le worker, gardez une copie du fichier pour analyse, puis restaurez la dernière sauvegarde (voir docs/DEPLOIEMENT.md).',
        );
      }
      const count = (table: string) => (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      const result = { path, bytes: 0, pages: progress.totalPages, dossiers: count('dossiers'), journalEntries: count('mutation_journal') };
      copy.close();
      renameSync(partial, path);
      return { ...result, bytes: statSync(path).size };
    } finally {
      if (copy.open) copy.close();
    }
  } catch (error) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    if (error instanceof AppError) throw error;
    throw (
      targetError(error, path, folder) ??
      // Anything else comes from reading the base (damaged, I/O error): named as such.
      storageError(error, sqlite.name) ??
      new AppError(
        'storage',
        `La sauvegarde vers « ${target} » a échoué : ${(error as Error).message}. Vérifiez le dossier et l’espace disque.`,
        { cause: error },
      )
    );
  }
}

const TARGET_FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const TARGET_NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'SQLITE_CANTOPEN']);

/**
 * Failures of the backup file, not of the base: said of the backup, with what to do. The base is
 * only read, so it is untouched, and the partial file has been removed.
 */
function targetError(error: unknown, path: string, folder: string): AppError | undefined {
  const code = storageCode(error);
  if (code === undefined) return undefined;
  const untouched = 'Aucun fichier de sauvegarde n’a été laissé et la base n’a pas été modifiée.';
  if (TARGET_FULL.has(code))
    return new AppError(
      'storage',
      `Sauvegarde impossible vers « ${path} » : disque plein ou quota atteint sur « ${folder} ». ${untouched} Libérez de la place ou choisissez un autre dossier, puis relancez.`,
      { cause: error, details: { code } },
    );
  if (TARGET_NOT_WRITABLE.has(code) || code.startsWith('SQLITE_READONLY'))
    return new AppError(
      'storage',
      `Sauvegarde impossible vers « ${path} » : ${account()} ne peut pas écrire ce fichier dans « ${folder} ». ${untouched} Choisissez un dossier où ce compte peut écrire.`,
      { cause: error, details: { code } },
    );
  return undefined;
}
