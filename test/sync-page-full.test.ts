/**
 * The same rollback as test/sync-disk-full.test.ts without root: SQLite's `max_page_count` caps
 * the file so that a sync page meets SQLITE_FULL exactly as on a full disk (mounting a small
 * tmpfs needs root). The page and its cursor are rolled back together; the result says so in
 * French; the next run, with room again, resumes from the saved cursor.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawSqlite } from '../src/db/database.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';

let fx: SyncFixture;
beforeAll(async () => {
  fx = await startSyncFixture({ seed: 12, programmes: ['asp'], dossiers: { asp: 300 } });
});
afterAll(async () => fx?.close());

it('a page that does not fit is rolled back with its cursor, the run says so, the next one resumes', async () => {
  const db = await fx.openDb('plafond.sqlite');
  const sqlite = rawSqlite(db)!;
  const client = fx.client();
  // Room for the schema and about one page of 100 dossiers, not for three.
  const used = Number(sqlite.pragma('page_count', { simple: true }));
  sqlite.pragma(`max_page_count = ${used + 120}`);
  const full = await runSync({ db, client }, { demarches: [fx.demarche] });
  const [result] = full.results;
  expect(result?.status).toBe('failed');
  expect(result?.storageFailure).toBe(true);
  expect(result?.error).toMatch(/^La page \d+ des dossiers n’a pas été enregistrée : elle a été annulée entière/);
  expect(result?.error).toContain('disque plein');
  expect(result?.error).not.toContain('cannot rollback');
  const kept = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  expect(kept.n % 100).toBe(0);
  expect(kept.n).toBeLessThan(300);
  expect(result!.pages * 100).toBe(kept.n);

  sqlite.pragma('max_page_count = 1073741823');
  const resumed = await runSync({ db, client }, { demarches: [fx.demarche] });
  expect(resumed.status).toBe('ok');
  const all = await db
    .selectFrom('dossiers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  expect(all.n).toBe(300);
});
