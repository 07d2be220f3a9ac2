import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect, type Dialect, type MigrationProvider, type MigrationResult } from 'kysely';
import { AppError } from '../errors.ts';
import { prepareDatabaseFile, type DatabaseAccess } from './database-file.ts';
import { isPostgresUrl } from './database-url.ts';
import { dialectOf } from './dialect.ts';
import { migrations } from './migrations/index.ts';
import { storageError } from './storage-errors.ts';
import type { Database } from './schema.ts';
import { agree, plural } from '../shared/plural.ts';

export type Db = Kysely<Database>;

/**
 * The better-sqlite3 handle under each Kysely instance opened here (hot write paths use it
 * directly), keyed by the instance's adapter: its transactions share that adapter, so
 * `rawSqlite(trx)` finds the handle too.
 */
const rawHandles = new WeakMap<object, SQLite.Database>();
const statementCaches = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * The better-sqlite3 handle behind `db`, or undefined for a Kysely instance not opened by
 * `openDatabase`. It is the same single connection: statements run on it inside a Kysely
 * transaction belong to that transaction.
 */
export function rawSqlite(db: Kysely<any>): SQLite.Database | undefined {
  return rawHandles.get(db.getExecutor().adapter);
}

/** A prepared statement, compiled once per handle and SQL text (callers keep the SQL set small). */
export function cachedStatement(sqlite: SQLite.Database, sql: string): SQLite.Statement {
  let cache = statementCaches.get(sqlite);
  if (cache === undefined) statementCaches.set(sqlite, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement === undefined) {
    if (cache.size >= 200) cache.clear();
    statement = sqlite.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface OpenDatabaseOptions {
  /**
   * 'create' (default; `sync`, the worker and run-once): a missing file is created, mode 0600.
   * 'write': the file must exist and be writable. 'read' (status, report, journal, plans): a file
   * this account may not write is opened read-only, without migrations.
   */
  access?: DatabaseAccess;
  /** False: leave pending migrations to the caller (`migrateDatabase`). */
  migrate?: boolean;
}

/**
 * Opens the SQLite file: WAL mode, foreign keys on, and every pending migration applied (or, read
 * only, checked). Storage failures (read-only, corrupt, missing, disk full) are French
 * 'storage' errors that say what to do. A postgres:// URL opens that PostgreSQL database instead
 * (see postgres.ts).
 */
export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<Db> {
  if (isPostgresUrl(path)) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(path, { migrate: options.migrate !== false });
  }
  const { readonly } = prepareDatabaseFile(path, options.access ?? 'create');
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(path, readonly ? { readonly: true, fileMustExist: true } : {});
    // Before anything is written to it (WAL mode, migrations): another application's base.
    requireDsArsBase(sqlite, path);
    if (!readonly) {
      // 8 KiB pages (new files only; an existing file keeps its size): a sync page commits ~3 MB,
      // written to the WAL frame by frame, and half as many frames cost ~5 ms less per page.
      sqlite.pragma('page_size = 8192');
      sqlite.pragma('journal_mode = WAL');
    }
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // Temporary b-trees (sorts, IN lists) in memory rather than in temporary files.
    sqlite.pragma('temp_store = MEMORY');
    // The first read: a file that is not a database, or unreadable, fails here rather than later.
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    sqlite?.close();
    throw (
      storageError(error, path) ??
      new AppError(
        'database',
        `Impossible d’ouvrir la base SQLite « ${path} » : ${(error as Error).message}. Vérifiez le chemin (DS_ARS_DB) et les droits.`,
        { cause: error },
      )
    );
  }
  const db = new Kysely<Database>({ dialect: sqliteDialect(sqlite) });
  rawHandles.set(db.getExecutor().adapter, sqlite);
  try {
    if (readonly) requireNoPendingMigration(sqlite, path);
    else if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw storageError(error, path) ?? error;
  }
  return db;
}

/**
 * Kysely's SQLite dialect, except that a transaction SQLite already rolled back by itself (it
 * does on SQLITE_FULL, SQLITE_IOERR…) is not rolled back again: that ROLLBACK would fail with
 * « cannot rollback - no transaction is active » and hide the real cause (a full disk).
 */
function sqliteDialect(sqlite: SQLite.Database): Dialect {
  const base = new SqliteDialect({ database: sqlite });
  return {
    createAdapter: () => base.createAdapter(),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (db) => base.createIntrospector(db),
    createDriver: () => {
      const driver = base.createDriver();
      const rollback = driver.rollbackTransaction.bind(driver);
      driver.rollbackTransaction = async (connection) => {
        if (sqlite.inTransaction) await rollback(connection);
      };
      return driver;
    },
  };
}

/** Opened read-only (this account may not write the file): nothing to write, not even a migration. */
export function isReadOnly(db: Kysely<any>): boolean {
  return rawSqlite(db)?.readonly === true;
}

/**
 * An existing SQLite base that is not ds-ars's (tables, but no ds-ars migration) is never written:
 * a DS_ARS_DB that names another application's base (or a copy of something else) would otherwise
 * get ds-ars's tables added to it, and every command would report an empty mirror.
 */
function requireDsArsBase(sqlite: SQLite.Database, path: string): void {
  const tables = (sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[])
    .map((t) => t.name)
    .filter((name) => !name.startsWith('sqlite_'));
  if (tables.length === 0) return;
  if (tables.includes('kysely_migration')) {
    const applied = (sqlite.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name);
    if (applied.length === 0 || applied.some((name) => name in migrations)) return;
  }
  const shown = tables.slice(0, 5).map((t) => `« ${t} »`);
  throw new AppError(
    'storage',
    `« ${path} » est une base SQLite, mais pas celle de ds-ars (tables ${shown.join(', ')}${tables.length > 5 ? ', …' : ''}) : rien n’y a été écrit. ` +
      'Vérifiez DS_ARS_DB (chemin complet de la base de ds-ars) ; une nouvelle base n’est créée que par « ds-ars sync » (ou le worker, « ds-ars run-once »), dans un fichier qui n’existe pas encore.',
  );
}

/** A read-only handle cannot migrate: say so rather than read tables of another shape. */
function requireNoPendingMigration(sqlite: SQLite.Database, path: string): void {
  const known = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get() !== undefined;
  const applied = new Set(
    known ? (sqlite.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name) : [],
  );
  const pending = Object.keys(migrations).filter((name) => !applied.has(name));
  if (pending.length === 0) return;
  throw new AppError(
    'storage',
    `La base « ${path} » est en lecture seule pour ce compte et n’est pas à jour : ${plural(pending.length, 'migration')} en attente (${pending.join(', ')}) ${agree(pending.length, 'ne peut pas être appliquée', 'ne peuvent pas être appliquées')}. ` +
      'Lancez une fois une commande avec le compte du service (par exemple « ds-ars status ») pour les appliquer, puis relancez celle-ci.',
  );
}

/** How long a start waits for another process that is migrating the same file. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * Applies pending migrations under SQLite's write lock (BEGIN IMMEDIATE), taken before the list
 * of applied migrations is read: two processes starting on a fresh file cannot both migrate;
 * the second waits for the first's commit, then finds nothing left to do. All pending
 * migrations commit together or not at all.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (dialectOf(db) === 'postgres') {
    const { migratePostgres } = await import('./postgres.ts');
    return migratePostgres(db);
  }
  const before = await appliedMigrations(db);
  if (before !== undefined && Object.keys(migrations).every((name) => before.includes(name))) return [];
  await beginImmediate(db);
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    // Our own transaction holds the lock: the Migrator must not open a second one.
    outcome = await new Migrator({ db, provider, disableTransactions: true }).migrateToLatest();
  } catch (error) {
    await sql`ROLLBACK`.execute(db).catch(() => undefined);
    throw error;
  }
  const { error, results } = outcome;
  if (!error) {
    await sql`COMMIT`.execute(db);
    return appliedNames(results);
  }
  await sql`ROLLBACK`.execute(db).catch(() => undefined);
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'inconnue';
  const after = await appliedMigrations(db).catch(() => null);
  // Rolled back whole, the file is as it was: only a change that stayed half-made calls for the backup.
  const halfWay = after === null || (after?.length ?? 0) !== (before?.length ?? 0);
  const advice = halfWay
    ? 'La base est restée à moitié migrée : restaurez la sauvegarde, puis signalez le problème.'
    : 'La base n’a pas été modifiée (elle est restée dans son état précédent) : signalez le problème avec ce message.';
  throw new AppError('database', `La migration « ${failed} » de la base a échoué : ${(error as Error).message}. ${advice}`, {
    cause: error,
  });
}

/** The migrations a Migrator run applied, in order. */
function appliedNames(results: readonly MigrationResult[] | undefined): string[] {
  return (results ?? []).filter((r) => r.status === 'Success' && r.direction === 'Up').map((r) => r.migrationName);
}

export interface MigrationReport {
  /** Migrations applied by this call, in order (none when the database was up to date). */
  applied: string[];
  /** Migrations the code knows. */
  total: number;
}

/**
 * `ds-ars migrate`: opens the database DS_ARS_DB names without migrating it on the way, applies
 * the pending migrations and says which ran. Same locks as at start: a concurrent start waits,
 * then finds nothing left to do. A missing SQLite file is « base introuvable », never created: a
 * mistyped DS_ARS_DB would otherwise get a new empty base « à jour » while the real one waits.
 */
export async function migrateDatabase(target: string): Promise<MigrationReport> {
  const db = await openDatabase(target, { migrate: false, access: 'write' });
  try {
    return { applied: await migrateToLatest(db), total: Object.keys(migrations).length };
  } finally {
    await db.destroy();
  }
}

/** Names of the migrations already applied, or undefined on a file never migrated. */
async function appliedMigrations(db: Kysely<any>): Promise<string[] | undefined> {
  const table = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if (table.rows.length === 0) return undefined;
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Takes the write lock, waiting (beyond busy_timeout) while another process migrates. */
async function beginImmediate(db: Kysely<any>): Promise<void> {
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    try {
      await sql`BEGIN IMMEDIATE`.execute(db);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) {
        throw new AppError(
          'database',
          `La base est occupée par un autre processus depuis plus de ${MIGRATION_LOCK_WAIT_MS / 60_000} minutes : impossible d’appliquer ses mises à jour de structure (${(error as Error).message}). Attendez la fin de l’autre commande, puis relancez ; la base n’a pas été modifiée.`,
          { cause: error },
        );
      }
    }
  }
}

/** Undo migrations down to (and excluding) `target`, or all of them. Used by tests of `down`. */
export async function migrateDown(db: Kysely<any>, steps = Object.keys(migrations).length): Promise<void> {
  const migrator = new Migrator({ db, provider });
  for (let i = 0; i < steps; i++) {
    const { error } = await migrator.migrateDown();
    if (error) throw error;
  }
}

/** Runs `fn` in one SQLite transaction (used to write a page together with its cursor). */
export function transaction<T>(db: Db, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}
