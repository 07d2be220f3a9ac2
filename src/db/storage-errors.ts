/**
 * SQLite and file-system failures of the database file, and PostgreSQL's failures of the server or
 * of its account (disk full, read only, rights, resources), in French with the remedy (exit 2: the
 * installation needs a fix, not a rerun). Anything else is returned unchanged by `storageError`.
 */
import { dirname } from 'node:path';
import { userInfo } from 'node:os';
import { AppError, StorageError } from '../errors.ts';
import { isPostgresUrl, redactPostgresUrl } from './database-url.ts';

/** The SQLite (`SQLITE_…`), system (`EACCES`…) or PostgreSQL (`53100`…) code of an error or of one of its causes. */
export function storageCode(error: unknown): string | undefined {
  return storageCause(error)?.code;
}

function storageCause(error: unknown): { code: string; message: string } | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_') || SYSTEM_CODES.has(code) || code in POSTGRES_FAILURES))
      return { code, message: e.message };
  }
  return undefined;
}

const SYSTEM_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'ENOTDIR', 'EISDIR']);

/**
 * PostgreSQL's SQLSTATEs that are the server's or the account's, not one démarche's: what to say
 * after « La base PostgreSQL … ». The server's own message follows in parentheses.
 */
const POSTGRES_FAILURES: Readonly<Record<string, string>> = {
  '53100':
    'ne peut plus grandir : disque plein sur le serveur. L’écriture en cours a été annulée entière (rien d’incomplet n’est enregistré). Libérez de la place sur le serveur puis relancez la commande.',
  '25006':
    'n’accepte que des lectures (serveur de secours, ou base mise en lecture seule) et cette commande doit y écrire : donnez dans DS_ARS_DB l’adresse du serveur principal.',
  '42501':
    'refuse cet accès au compte donné : DS_ARS_DB doit donner le compte du service, propriétaire des tables, pas le rôle de lecture des analystes (docs/DEPLOIEMENT.md, § 8).',
  '53200': 'manque de mémoire sur le serveur : relancez la commande plus tard, ou signalez-le à l’administrateur du serveur.',
  '53300':
    'refuse une connexion de plus (max_connections atteint) : relancez plus tard, ou faites augmenter max_connections par l’administrateur du serveur.',
  '57P01': 's’est arrêtée pendant la commande (arrêt du serveur) : relancez la commande une fois le serveur revenu.',
  '57P02': 's’est arrêtée pendant la commande (panne du serveur) : relancez la commande une fois le serveur revenu.',
  '57P03': 'n’accepte pas encore de connexions (le serveur démarre ou s’arrête) : relancez la commande dans un moment.',
  '58030': 'a subi une erreur d’entrée-sortie du disque du serveur : faites vérifier le serveur, puis relancez la commande.',
  XX001:
    'est endommagée (données illisibles sur le serveur) : arrêtez le worker et faites restaurer la dernière sauvegarde (pg_dump, voir docs/DEPLOIEMENT.md).',
  XX002: 'a un index endommagé : faites-le reconstruire (REINDEX) par l’administrateur du serveur, puis relancez la commande.',
};

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

/** Whether `code` (see storageCode) is a failure of the database itself, not of some other file. */
export function isDatabaseFailureCode(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('SQLITE_') || code in POSTGRES_FAILURES);
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
  const postgres = POSTGRES_FAILURES[code];
  if (postgres !== undefined) {
    const base = path !== undefined && isPostgresUrl(path) ? `La base PostgreSQL « ${redactPostgresUrl(path)} »` : 'La base PostgreSQL';
    return new StorageError(`${base} ${postgres} Réponse du serveur (${code}) : « ${cause.message} ».`, {
      cause: error,
      details: { code },
    });
  }
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
