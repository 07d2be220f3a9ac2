import pg from 'pg';
import { Kysely, Migrator, type MigrationProvider } from 'kysely';
import { AppError } from '../errors.ts';
import { redactPostgresUrl } from './database-url.ts';
import { CompatPostgresDialect, StripNulPlugin } from './dialect.ts';
import { migrations } from './migrations/index.ts';
import { acceptCopyStatements } from './postgres-copy.ts';
import type { Database } from './schema.ts';

// 64-bit integers (count(*), sum() of integers) and numerics arrive as strings by default: every
// column of the schema fits a JS number, so read them as numbers, like better-sqlite3 does.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** Connections per process: a worker runs one démarche at a time, the CLI one command. */
const POOL_SIZE = 4;

// What went wrong, by the code of the system or of PostgreSQL (their messages are English).
const CONNECT_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connexion refusée, aucun serveur n’écoute à cette adresse',
  ENOTFOUND: 'nom du serveur introuvable',
  EAI_AGAIN: 'nom du serveur introuvable pour l’instant (DNS)',
  ETIMEDOUT: 'le serveur ne répond pas',
  EHOSTUNREACH: 'serveur injoignable',
  '28P01': 'mot de passe refusé',
  '28000': 'accès refusé à cet utilisateur',
  '3D000': 'cette base n’existe pas sur le serveur',
  '57P03': 'le serveur démarre ou s’arrête',
};

function postgresConnectReason(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const known = typeof code === 'string' ? CONNECT_REASONS[code] : undefined;
  if (known !== undefined) return `${known} (${String(code)})`;
  return typeof message === 'string' ? `réponse : « ${message} »` : 'raison inconnue';
}

/**
 * Opens the PostgreSQL database named by a postgres:// URL and applies every pending migration.
 * kysely's Migrator holds pg_advisory_lock while it migrates and runs all pending migrations in
 * one transaction (DDL is transactional): two processes starting together cannot both migrate,
 * and a failed migration leaves the schema as it was.
 */
export async function openPostgres(url: string, options: { migrate?: boolean } = {}): Promise<Kysely<Database>> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types, application_name: 'ds-ars' });
  // An idle connection dropped by the server must not crash the process (it is replaced).
  pool.on('error', () => undefined);
  pool.on('connect', acceptCopyStatements);
  const db = new Kysely<Database>({ dialect: new CompatPostgresDialect({ pool }), plugins: [new StripNulPlugin()] });
  try {
    await db.connection().execute(async () => undefined);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new AppError(
      'database',
      `Impossible de se connecter à la base PostgreSQL « ${redactPostgresUrl(url)} » : ${postgresConnectReason(error)}. Vérifiez l’URL (DS_ARS_DB), que le serveur est démarré et que l’utilisateur a les droits.`,
      { cause: error },
    );
  }
  if (options.migrate === false) return db;
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return db;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies the pending migrations; their names, in order. */
export async function migratePostgres(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (!error) return (results ?? []).filter((r) => r.status === 'Success' && r.direction === 'Up').map((r) => r.migrationName);
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'inconnue';
  throw new AppError(
    'database',
    `La migration « ${failed} » de la base PostgreSQL a échoué : ${(error as Error).message}. La base n’a pas été modifiée (les migrations s’appliquent en une seule transaction) : signalez le problème avec ce message.`,
    { cause: error },
  );
}
