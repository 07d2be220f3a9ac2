import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { openDatabase, rawSqlite, type Db } from '../src/db/database.ts';

const MB = 1 << 20;

/** Writes `transactions` × 2 MB, pausing between them as the network wait between two pages does. */
async function writePages(db: Db, transactions: number): Promise<void> {
  const sqlite = rawSqlite(db)!;
  sqlite.exec('create table if not exists blob_test (id integer primary key, body text not null)');
  const insert = sqlite.prepare('insert into blob_test (body) values (?)');
  const body = 'x'.repeat(MB);
  for (let i = 0; i < transactions; i++) {
    sqlite.transaction(() => {
      insert.run(body);
      insert.run(body);
    })();
    await sleep(40);
  }
}

const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'ds-ars-ckpt-')), 'mirror.sqlite');

describe('background checkpointer', () => {
  it('copies the WAL into the database file from another thread', async () => {
    const path = fresh();
    const db = await openDatabase(path);
    // The writer's own checkpoint is pushed out of reach: only the worker can copy.
    const checkpointer = startCheckpointer(db, { restartAfterBytes: 10_000 * MB });
    await writePages(db, 15);
    await sleep(300);
    expect(statSync(path).size).toBeGreaterThan(25 * MB);
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
    await writePages(db, 30);
    await checkpointer.stop();
    // About 8 MB of WAL (the bound and one transaction) for 60 MB written.
    expect(statSync(`${path}-wal`).size).toBeLessThan(15 * MB);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(automatic);
    expect((sqlite.prepare('select count(*) as n from blob_test').get() as { n: number }).n).toBe(60);
    await db.destroy();
  });

  it('does nothing for an in-memory base', async () => {
    const db = await openDatabase(':memory:');
    await startCheckpointer(db).stop();
    await db.destroy();
  });
});
