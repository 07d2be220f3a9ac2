import { cachedStatement, type Db, rawSqlite } from '../db/database.ts';

// Dossiers read per query. Small on purpose: a batch of stored nodes (~20 kB of JSON each) and
// their parsed objects then die young (cheap scavenges) instead of being promoted: 200 took twice
// as long as 50, and streaming them one by one (statement.iterate) was no faster than 50.
const READ_BATCH = 50;

const SELECT_NODES = 'select number, raw_json from dossiers where number in (select value from json_each(?))';

/**
 * Calls `visit` with the stored node (raw JSON) of each of these dossiers, batch by batch. On the
 * raw better-sqlite3 handle one prepared statement serves every batch (no query built per batch).
 */
export async function forEachStoredNode(db: Db, numbers: readonly number[], visit: (number: number, json: string) => void): Promise<void> {
  const sqlite = rawSqlite(db);
  for (let i = 0; i < numbers.length; i += READ_BATCH) {
    const slice = numbers.slice(i, i + READ_BATCH);
    const rows: ReadonlyArray<{ number: number; raw_json: string }> =
      sqlite === undefined
        ? await db.selectFrom('dossiers').select(['number', 'raw_json']).where('number', 'in', slice).execute()
        : (cachedStatement(sqlite, SELECT_NODES).all(JSON.stringify(slice)) as Array<{ number: number; raw_json: string }>);
    for (const row of rows) visit(row.number, row.raw_json);
  }
}
