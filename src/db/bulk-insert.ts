import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import { cachedStatement, rawSqlite } from './database.ts';
import { dialectOf, placeholder, withoutNul } from './dialect.ts';
import { copyStatement } from './postgres-copy.ts';
import type { Database } from './schema.ts';

// SQLite allows 32,766 bound parameters per statement (PostgreSQL 65,535); stay well under it.
const MAX_PARAMS = 30_000;

/**
 * Up to this many values, PostgreSQL rows go as plain placeholders (a page's 100 dossiers, with
 * their 1.5 MB of raw_json, labels, files of a page): each text is sent as it is. Above, plain
 * inserts go by COPY (see postgres-copy.ts) and upserts as one JSON value, whose texts the client
 * escapes and the server parses again.
 */
const PG_PLACEHOLDERS = 4_000;

/**
 * Multi-row INSERT (or upsert on one unique column), the one write path of the hot writers (sync
 * pages, findings, db copy) on both dialects. Pages carry thousands of champ rows: building them
 * as raw SQL skips kysely's per-value AST, which dominated page time. On a database opened by
 * `openDatabase` (SQLite), the rows go synchronously through the better-sqlite3 handle with
 * statements prepared once (inside `db`'s transaction when `db` is one); on PostgreSQL, by the
 * cheapest of placeholders, COPY and a JSON array for their size (PG_PLACEHOLDERS). Table and
 * column names come from typed constants, never from data.
 */
export async function bulkInsert<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly Partial<Record<keyof Database[T] & string, unknown>>[],
  upsert?: { conflict: keyof Database[T] & string; update: readonly (keyof Database[T] & string)[] },
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = dialectOf(db);
  const sqlite = dialect === 'sqlite' ? rawSqlite(db) : undefined;
  if (sqlite) return bulkInsertRaw(sqlite, table, columns, rows, upsert);
  const tail = upsert
    ? ` on conflict ("${upsert.conflict}") do update set ${upsert.update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`
    : '';
  const names = columns.map((c) => `"${c}"`).join(',');
  if (dialect === 'postgres' && rows.length * columns.length > PG_PLACEHOLDERS) {
    if (!upsert) {
      const copy = copyStatement(table, columns, rows);
      await db.executeQuery(CompiledQuery.raw(copy.sql, copy.parameters));
      return;
    }
    // COPY cannot upsert: ONE bound value, a JSON array that the server turns into records of the
    // table's type, instead of tens of thousands of placeholders bound one by one.
    await db.executeQuery(
      CompiledQuery.raw(
        `insert into "${table}" (${names}) select ${names} from json_populate_recordset(null::"${table}", $1::json)${tail}`,
        [rowsAsJson(rows)],
      ),
    );
    return;
  }
  const clean = dialect === 'postgres' ? withoutNul : (value: unknown) => value;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const width = columns.length;
  const tuple = (row: number): string => `(${columns.map((_, c) => placeholder(dialect, row * width + c + 1)).join(',')})`;
  const head = `insert into "${table}" (${names}) values `;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    for (const row of chunk) for (const column of columns) params.push(clean(row[column] ?? null));
    await db.executeQuery(CompiledQuery.raw(head + chunk.map((_, r) => tuple(r)).join(',') + tail, params));
  }
}

/**
 * The rows as one JSON array, as they are: the statement selects only `columns` from the records
 * (keys of other columns are ignored, missing ones and `undefined` become NULL), so copying each
 * row down to `columns` first only cost time. A U+0000 in a string, escaped by JSON.stringify as
 * \u0000, becomes U+FFFD (see withoutNul): the server refuses it in text.
 */
function rowsAsJson(rows: readonly Record<string, unknown>[]): string {
  const json = JSON.stringify(rows);
  // An odd number of backslashes before u0000 is an escaped NUL; an even one is a literal "\u0000".
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json;
}

/** Rows per multi-row statement on the raw path: fixed, so each statement is prepared once and cached. */
const RAW_CHUNKS = [100, 10, 1] as const;

/**
 * `bulkInsert` synchronously on the better-sqlite3 handle (inside the caller's transaction): rows go in fixed chunks of 100, 10, then 1, each SQL text prepared once per
 * handle. Values are read in `columns` order; missing ones are NULL.
 */
function bulkInsertRaw<T extends keyof Database>(
  sqlite: SQLite.Database,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly Partial<Record<keyof Database[T] & string, unknown>>[],
  upsert?: { conflict: keyof Database[T] & string; update: readonly (keyof Database[T] & string)[] },
): void {
  if (rows.length === 0) return;
  const width = columns.length;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values `;
  const tail = upsert
    ? ` on conflict ("${upsert.conflict}") do update set ${upsert.update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`
    : '';
  let start = 0;
  for (const size of RAW_CHUNKS) {
    if (rows.length - start < size) continue;
    const statement = cachedStatement(sqlite, head + Array(size).fill(tuple).join(',') + tail);
    const params: unknown[] = new Array(size * width);
    for (; rows.length - start >= size; start += size) {
      let k = 0;
      for (let r = start; r < start + size; r++) {
        const row = rows[r] as Record<string, unknown>;
        for (let c = 0; c < width; c++) params[k++] = row[columns[c] as string] ?? null;
      }
      statement.run(params);
    }
  }
}
