/**
 * The database file before SQLite opens it: created (with its folder) only when the command may
 * create it, permissions set at creation only (an admin may have chosen others since), and
 * opened read-only when this account may not write it and the command only reads.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors.ts';
import { account, missingDatabaseMessage, readOnlyMessage, storageError } from './storage-errors.ts';

/** 'create': sync, the worker and run-once (init reads the form from DS without a base); 'write': must exist and be writable; 'read': may be read-only. */
export type DatabaseAccess = 'create' | 'write' | 'read';

export function prepareDatabaseFile(path: string, access: DatabaseAccess): { readonly: boolean } {
  if (path === ':memory:') return { readonly: false };
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AppError(
        'storage',
        `La base « ${path} » n’est pas accessible pour ${account()} (droits d’un dossier du chemin) : lancez la commande avec le compte du service, ou vérifiez DS_ARS_DB.`,
        { cause: error },
      );
    }
    if (code !== 'ENOENT') throw storageError(error, path) ?? error;
    if (access !== 'create') throw new AppError('storage', missingDatabaseMessage(path));
    create(path);
    return { readonly: false };
  }
  if (!isFile)
    throw new AppError(
      'storage',
      `DS_ARS_DB désigne « ${path} », qui n’est pas un fichier : indiquez le chemin complet du fichier de la base.`,
    );
  if (writable(path)) return { readonly: false };
  if (access === 'read') return { readonly: true };
  throw new AppError('storage', readOnlyMessage(path));
}

/** A new file: mode 0600 (it holds personal data of doctors) in a folder created 0700 if missing. */
function create(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new AppError(
        'storage',
        `Impossible de créer la base « ${path} » : ${account()} ne peut pas écrire dans « ${dirname(path)} ». Créez ce dossier pour le compte du service (mode 0700) ou corrigez DS_ARS_DB.`,
        { cause: error },
      );
    }
    throw storageError(error, path) ?? error;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
