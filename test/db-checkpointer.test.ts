import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { openDatabase, rawSqlite, type Db } from '../src/db/database.ts';

const MB = 1 << 20;

const table = (db: Db) => {
  const sqlite = rawSqlite(db)!;
  sqlite.exec('create table if not exists blob_test (id integer primary key, body text not null)');
  const insert = sqlite.prepare('insert into blob_test (body) values (?)');
  const body = 'x'.repeat(MB);
  /** One page of the sync: a 2 MB transaction. */
  return () =>
    sqlite.transaction(() => {
      insert.run(body);
      insert.run(body);
    })();
};

/** The database file holds at least `bytes`: checkpoints have copied that much out of the WAL. */
const copiedAtLeast = (path: string, bytes: number) =>
  expect.poll(() => statSync(path).size, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(bytes);

const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'ds-ars-ckpt-')), 'mirror.sqlite');

// SQLite only: the WAL checkpointer exists only for SQLite files.
describe('background checkpointer', () => {
  it('copies the WAL into the database file from another thread', async () => {
    const path = fresh();
    const db = await openDatabase(path);
    // The writer's own checkpoint is pushed out of reach: only the worker can copy.
    const checkpointer = startCheckpointer(db, { restartAfterBytes: 10_000 * MB });
    const writePage = table(db);
    for (let i = 0; i < 15; i++) writePage();
    // Waits for the copy (no fixed sleep): 30 MB written, so the file grows past 25 MB while the
    // writer, whose automatic checkpoint is out of reach, does nothing but wait.
    await copiedAtLeast(path, 25 * MB);
    await checkpointer.stop();
    await db.destroy();
  });

  it('keeps the WAL within bounds, then restores automatic checkpoints', async () => {
    const path = fresh();
    const db = await openDatabase(path);
    const sqlite = rawSqlite(db)!;
    const automatic = sqlite.pragma('wal_autocheckpoint', { simple: true });
    const checkpointer = startCheckpointer(db, { restartAfterBytes: 8 * MB });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe((8 * MB) / Number(sqlite.pragma('page_size', { simple: true })));
    const writePage = table(db);
    for (let i = 1; i <= 30; i++) {
      writePage();
      // The network wait between two pages, as long as the checkpointer needs (no fixed sleep):
      // every page written so far is in the database file before the next one begins.
      await copiedAtLeast(path, i * 2 * MB);
    }
    await checkpointer.stop();
    // About 8 MB of WAL (the bound and one transaction) for 60 MB written.
    expect(statSync(`${path}-wal`).size).toBeLessThan(15 * MB);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(automatic);
    expect((sqlite.prepare('select count(*) as n from blob_test').get() as { n: number }).n).toBe(60);
    await db.destroy();
  });

  it('does nothing for an in-memory base: automatic checkpoints untouched', async () => {
    const db = await openDatabase(':memory:');
    const sqlite = rawSqlite(db)!;
    const automatic = sqlite.pragma('wal_autocheckpoint', { simple: true });
    const checkpointer = startCheckpointer(db, { restartAfterBytes: 8 * MB });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(automatic);
    await expect(checkpointer.stop()).resolves.toBeUndefined();
    await db.destroy();
  });
});
