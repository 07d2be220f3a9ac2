import type SQLite from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import { cachedStatement } from './database.ts';
import { dialectOf, placeholder, withoutNul } from './dialect.ts';
import type { Database } from './schema.ts';

// SQLite allows 32,766 bound parameters per statement (PostgreSQL 65,535); stay well under it.
const MAX_PARAMS = 30_000;

/**
 * Multi-row INSERT (or upsert on one unique column) in as few statements as the parameter limit allows. Pages carry thousands of
 * champ rows: building them as raw SQL skips kysely's per-value AST, which dominated page time.
 * Table and column names come from typed constants, never from data.
 */
export async function bulkInsert<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly Partial<Record<keyof Database[T] & string, unknown>>[],
  upsert?: { conflict: keyof Database[T] & string; update: readonly (keyof Database[T] & string)[] },
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const dialect = dialectOf(db);
  const width = columns.length;
  // SQLite: the same "(?,?,…)" for every row; PostgreSQL numbers its placeholders ($1, $2, …).
  const tuple = (row: number): string => `(${columns.map((_, c) => placeholder(dialect, row * width + c + 1)).join(',')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values `;
  const tail = upsert ? ` on conflict ("${upsert.conflict}") do update set ${upsert.update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}` : '';
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    for (const row of chunk) for (const column of columns) params.push(row[column] ?? null);
    if (dialect === 'postgres') for (let i = 0; i < params.length; i++) params[i] = withoutNul(params[i]);
    await db.executeQuery(CompiledQuery.raw(head + chunk.map((_, r) => tuple(r)).join(',') + tail, params));
  }
}

/** Rows per multi-row statement on the raw path: fixed, so each statement is prepared once and cached. */
const RAW_CHUNKS = [100, 10, 1] as const;

/**
 * Same as `bulkInsert`, synchronously on the better-sqlite3 handle (inside the caller's
 * transaction): rows go in fixed chunks of 100, 10, then 1, each SQL text prepared once per
 * handle. Values are read in `columns` order; missing ones are NULL.
 */
export function bulkInsertRaw<T extends keyof Database>(
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
  const tail = upsert ? ` on conflict ("${upsert.conflict}") do update set ${upsert.update.map((c) => `"${c}" = excluded."${c}"`).join(', ')}` : '';
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
