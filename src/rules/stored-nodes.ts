import { cachedStatement, type Db, rawSqlite } from '../db/database.ts';
import { inNumberList } from '../db/dialect.ts';

// Dossiers read per query. Small on purpose: a batch of stored nodes (~20 kB of JSON each) and
// their parsed objects then die young (cheap scavenges) instead of being promoted: 200 took twice
// as long as 50, and streaming them one by one (statement.iterate) was no faster than 50.
const READ_BATCH = 50;

const SELECT_NODES = 'select number, raw_json from dossiers where number in (select value from json_each(?))';

/**
 * Calls `visit` with the stored node (raw JSON) of each of these dossiers, batch by batch. On the
 * raw better-sqlite3 handle one prepared statement serves every batch (no query built per batch).
 * On PostgreSQL the next batch is read while this one is visited: the server's reading overlaps the
 * parsing and rules here, instead of each batch waiting for a round trip.
 */
export async function forEachStoredNode(db: Db, numbers: readonly number[], visit: (number: number, json: string) => void): Promise<void> {
  const sqlite = rawSqlite(db);
  if (sqlite !== undefined) {
    for (let i = 0; i < numbers.length; i += READ_BATCH) {
      const rows = cachedStatement(sqlite, SELECT_NODES).all(JSON.stringify(numbers.slice(i, i + READ_BATCH))) as Array<{
        number: number;
        raw_json: string;
      }>;
      for (const row of rows) visit(row.number, row.raw_json);
    }
    return;
  }
  const read = (start: number) =>
    start < numbers.length
      ? db
          .selectFrom('dossiers')
          .select(['number', 'raw_json'])
          .where(inNumberList(db, 'number', numbers.slice(start, start + READ_BATCH)))
          .execute()
      : undefined;
  let next = read(0);
  try {
    for (let i = 0; next !== undefined; i += READ_BATCH) {
      const rows = await next;
      next = read(i + READ_BATCH);
      // Let the event loop send that query (pool checkout, then the socket write) before this
      // batch's synchronous visits: otherwise it would leave only once they are all done.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (const row of rows) visit(row.number, row.raw_json);
    }
  } finally {
    // A visit that threw leaves the read ahead pending: its outcome no longer matters.
    next?.catch(() => undefined);
  }
}
