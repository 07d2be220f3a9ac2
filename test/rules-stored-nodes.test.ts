import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db/database.ts';
import type { DialectName } from '../src/db/dialect.ts';
import type { Database } from '../src/db/schema.ts';
import { forEachStoredNode } from '../src/rules/stored-nodes.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

let path: string;
let db: Db;

afterAll(async () => {
  await dropTestDatabases();
});

async function seed(dialect: DialectName): Promise<void> {
  path = await freshTarget(dialect, 'ds-ars-nodes-');
  db = await openDatabase(path);
  // More dossiers than one read batch, so batches follow one another.
  const rows = Array.from({ length: 120 }, (_, i) => ({
    number: i + 1,
    id: `D${i + 1}`,
    demarche_number: 1,
    revision_id: 'rev1',
    state: 'en_construction',
    date_depot: 'd',
    date_derniere_modification: 'v',
    date_derniere_modification_champs: 'v',
    date_derniere_modification_annotations: 'v',
    raw_json: JSON.stringify({ number: i + 1 }),
    synced_at: 'v',
  }));
  await db.insertInto('dossiers').values(rows).execute();
}

afterEach(async () => {
  await db.destroy();
});

async function visited(on: Db, numbers: readonly number[]): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  await forEachStoredNode(on, numbers, (number, json) => out.push([number, json]));
  return out.sort((a, b) => a[0] - b[0]);
}

describe.each(dialects)('forEachStoredNode (%s)', (dialect) => {
  beforeEach(async () => {
    await seed(dialect);
  });
  const wanted = [...Array.from({ length: 110 }, (_, i) => i + 3), 999];

  it('visits the stored node of each dossier asked for, and only those that exist', async () => {
    const out = await visited(db, wanted);
    expect(out.map(([n]) => n)).toEqual(wanted.slice(0, -1));
    expect(out[0]).toEqual([3, '{"number":3}']);
  });

  // SQLite only: it compares better-sqlite3's raw handle with Kysely; PostgreSQL has only the Kysely path.
  it.skipIf(dialect === 'postgres')('reads the same through Kysely when there is no raw handle', async () => {
    const plain = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(path) }) }) as Db;
    try {
      expect(await visited(plain, wanted)).toEqual(await visited(db, wanted));
    } finally {
      await plain.destroy();
    }
  });

  it('does nothing for no dossier', async () => {
    expect(await visited(db, [])).toEqual([]);
  });
});
