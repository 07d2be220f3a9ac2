import { existsSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../errors.ts';
import { bulkInsert } from './bulk-insert.ts';
import { openDatabase, rawSqlite, type Db } from './database.ts';
import { isPostgresUrl, redactPostgresUrl } from './database-url.ts';
import type { Database } from './schema.ts';

/** Rows sent per round of inserts: bounded memory whatever the size of `champs`. */
const ROWS_PER_ROUND = 2_000;

export interface CopyReport {
  tables: Array<{ table: string; rows: number }>;
}

/**
 * Copies a SQLite mirror (journal, plans, findings, leases… every table) into an EMPTY
 * PostgreSQL database, in one transaction: ids kept (identity counters moved past them), the
 * journal's triggers off while its events are copied as they are, and the row count of every
 * table checked before the commit. Any difference rolls the whole copy back.
 */
export async function copySqliteToPostgres(from: string, to: string, onTable?: (table: string, rows: number) => void): Promise<CopyReport> {
  if (isPostgresUrl(from))
    throw new AppError('usage', `« --from » doit être un fichier SQLite, pas une URL PostgreSQL (« ${redactPostgresUrl(from)} »).`);
  if (!isPostgresUrl(to)) throw new AppError('usage', `« --to » doit être une URL postgres://… ou postgresql://…, pas « ${to} ».`);
  if (!existsSync(from)) throw new AppError('usage', `Le fichier SQLite « ${from} » n’existe pas : vérifiez le chemin donné à « --from ».`);
  // Opening applies pending migrations on both sides: the two schemas are then the same.
  const source = await openDatabase(from);
  let target: Db | undefined;
  try {
    target = await openDatabase(to);
    const sqlite = rawSqlite(source)!;
    const tables = (
      sqlite
        .prepare(
          `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`,
        )
        .all() as Array<{ name: string }>
    ).map((r) => r.name);
    const nonEmpty: string[] = [];
    for (const table of tables) if ((await countRows(target, table)) > 0) nonEmpty.push(table);
    if (nonEmpty.length > 0) {
      throw new AppError(
        'usage',
        `La base PostgreSQL « ${redactPostgresUrl(to)} » n’est pas vide (tables ${nonEmpty.join(', ')}) : la copie se fait vers une base neuve. Créez-en une (CREATE DATABASE) ou videz celle-ci, puis relancez.`,
      );
    }
    const report: CopyReport = { tables: [] };
    await target.transaction().execute(async (trx) => {
      // The journal's events are copied as they are: its triggers would add a second copy.
      await sql`alter table mutation_journal disable trigger user`.execute(trx);
      for (const table of tables) {
        const columns = (sqlite.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as Array<{ name: string }>).map(
          (r) => r.name,
        );
        let batch: Record<string, unknown>[] = [];
        let rows = 0;
        for (const row of sqlite.prepare(`select * from "${table}"`).iterate() as IterableIterator<Record<string, unknown>>) {
          batch.push(row);
          if (batch.length >= ROWS_PER_ROUND) {
            await bulkInsert(trx, table as keyof Database, columns as never, batch);
            rows += batch.length;
            batch = [];
          }
        }
        await bulkInsert(trx, table as keyof Database, columns as never, batch);
        rows += batch.length;
        const copied = await countRows(trx, table);
        if (copied !== rows) {
          throw new AppError(
            'database',
            `Copie de la table « ${table} » incomplète : ${rows} lignes lues, ${copied} écrites. Rien n’a été copié (transaction annulée) : signalez le problème avec ce message.`,
          );
        }
        report.tables.push({ table, rows });
        onTable?.(table, rows);
      }
      await sql`alter table mutation_journal enable trigger user`.execute(trx);
      // Identity counters start after the copied ids.
      const identities = await sql<{
        table_name: string;
        column_name: string;
      }>`select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
      for (const { table_name, column_name } of identities.rows) {
        await sql`select setval(pg_get_serial_sequence(${table_name}, ${column_name}), coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table_name)}), 0) + 1, false)`.execute(
          trx,
        );
      }
    });
    return report;
  } finally {
    await source.destroy();
    await target?.destroy();
  }
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}
