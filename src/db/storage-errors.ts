/**
 * SQLite and file-system failures of the database file, in French with the remedy (exit 2: the
 * installation needs a fix, not a rerun). Anything else is returned unchanged by `storageError`.
 */
import { dirname } from 'node:path';
import { userInfo } from 'node:os';
import { AppError, StorageError } from '../errors.ts';

/** The SQLite (`SQLITE_…`) or system (`EACCES`…) code of an error or of one of its causes. */
export function storageCode(error: unknown): string | undefined {
  return storageCause(error)?.code;
}

function storageCause(error: unknown): { code: string; message: string } | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_') || SYSTEM_CODES.has(code))) return { code, message: e.message };
  }
  return undefined;
}

const SYSTEM_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'ENOTDIR', 'EISDIR']);

/** « le compte « ds-ars » », for messages about rights. */
export function account(): string {
  try {
    return `le compte « ${userInfo().username} »`;
  } catch {
    return 'ce compte';
  }
}

export function readOnlyMessage(path: string): string {
  return (
    `La base SQLite « ${path} » est en lecture seule pour ${account()} et cette commande doit y écrire. ` +
    `Lancez-la avec le compte du service, ou donnez à ce compte le droit d’écriture sur le fichier et sur son dossier « ${dirname(path)} » ` +
    '(SQLite y écrit ses fichiers « -wal » et « -shm »). Les commandes de lecture (status, report, journal, plans sans --apply) fonctionnent sans.'
  );
}

export function missingDatabaseMessage(path: string): string {
  return (
    `Base introuvable : ${path}. Vérifiez DS_ARS_DB (chemin complet de la base). ` +
    'Une nouvelle base n’est créée que par « ds-ars sync » (ou le worker, « ds-ars run-once »).'
  );
}

/** The French error for a storage failure of `path`, or undefined when `error` is something else. */
export function storageError(error: unknown, path: string | undefined): AppError | undefined {
  if (error instanceof AppError) {
    if (error.code === 'storage') return error;
    // A migration that failed on a storage problem says « restore the backup »: the cause is what matters.
    if (error.code !== 'database') return undefined;
  }
  const cause = storageCause(error);
  if (cause === undefined) return undefined;
  const code = cause.code;
  const where = path === undefined ? 'La base SQLite' : `La base SQLite « ${path} »`;
  const folder = path === undefined ? 'son dossier' : `« ${dirname(path)} »`;
  const sqlite = ` (${code.startsWith('SQLITE_') ? 'SQLite' : 'système'} : « ${cause.message} »)`;
  const fail = (message: string) => new StorageError(message, { cause: error, details: { code } });
  if (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_READONLY_CANTINIT') {
    return fail(
      `${where} et son dossier ${folder} sont en lecture seule pour ${account()} : même pour lire, SQLite doit y créer le fichier « -shm » de la base (mode WAL). ` +
        'Donnez à ce compte le droit d’écriture sur le dossier, ou lancez la commande avec le compte du service.',
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return fail(
      path === undefined
        ? `${where} est en lecture seule pour ${account()}${sqlite} : lancez la commande avec le compte du service.`
        : readOnlyMessage(path),
    );
  }
  if (code === 'SQLITE_NOTADB') {
    return fail(
      `${path === undefined ? 'Le fichier de la base' : `Le fichier « ${path} »`} n’est pas une base SQLite${sqlite}. Vérifiez DS_ARS_DB ; si c’est bien la base de ds-ars, elle est endommagée : ` +
        'arrêtez le worker, mettez ce fichier de côté et restaurez la dernière sauvegarde (« ds-ars sauvegarde », voir docs/DEPLOIEMENT.md).',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return fail(
      `${where} est endommagée${sqlite}. Arrêtez le worker, gardez une copie du fichier pour analyse, puis restaurez la dernière sauvegarde ` +
        '(« ds-ars sauvegarde », voir docs/DEPLOIEMENT.md : ce qu’une restauration perd et pourquoi rien n’est renvoyé deux fois).',
    );
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return fail(
      `${where} ne peut plus grandir : disque plein ou quota atteint sur ${folder}${sqlite}. ` +
        'L’écriture en cours a été annulée entière (rien d’incomplet n’est enregistré). Libérez de la place puis relancez la commande.',
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOTDIR' || code === 'EISDIR') {
    return fail(
      `${where} ne peut pas être ouverte${sqlite} : vérifiez que DS_ARS_DB désigne un fichier et que ${account()} peut accéder à ${folder}.`,
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return fail(
      `${where} : erreur d’entrée-sortie du disque${sqlite}. Vérifiez le disque ou le montage de ${folder}, puis relancez la commande.`,
    );
  }
  return undefined;
}
