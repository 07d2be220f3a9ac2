import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { describeDatabase } from '../src/db/dialect.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { dialects, dropTestDatabases, freshTarget, postgresSkipReason } from './support/postgres.ts';

afterAll(dropTestDatabases);

describe('database', () => {
  it('creates a private WAL file with every table, and migrations go down cleanly', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ds-ars-db-')), 'sub', 'mirror.sqlite');
    const db = await openDatabase(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    // 8 KiB pages for a new file: half as many WAL frames per sync page.
    expect((await sql<{ page_size: number }>`pragma page_size`.execute(db)).rows[0]?.page_size).toBe(8192);
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(
      db,
    );
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'dossiers',
        'champs',
        'files',
        'sync_state',
        'sync_runs',
        'findings',
        'evaluations',
        'mutation_journal',
        'digests',
        'leases',
      ]),
    );
    await migrateDown(db);
    const after = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'`.execute(db);
    expect(after.rows).toEqual([]);
    await db.destroy();
    // Re-opening migrates again: applied automatically on start.
    const again = await openDatabase(path);
    const count = await again
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
    await again.destroy();
  });

  it.each(dialects)('gives journal rows written before the journal of steps existed their current step (%s)', async (dialect) => {
    const db = await openDatabase(await freshTarget(dialect));
    // Back to just before the journal of steps (later migrations undone too).
    const names = Object.keys(migrations);
    await migrateDown(db, names.length - names.indexOf('2026-11-27T10-mutation-journal-events'));
    await sql`insert into mutation_journal (idempotency_key, run_id, operation, dossier_number, dossier_id, payload_json, status, created_at, finished_at, attempts, error_message)
      values ('k1', 'run-1', 'accepter', 7, 'Dossier-7', '{}', 'failed', '2026-01-05T10:00:00Z', '2026-01-05T10:00:01Z', 3, 'Le dossier est déjà accepté')`.execute(
      db,
    );
    await migrateToLatest(db);
    expect(await db.selectFrom('mutation_journal_events').select(['status', 'at', 'run_id', 'attempt', 'error_message']).execute()).toEqual(
      [{ status: 'failed', at: '2026-01-05T10:00:01Z', run_id: 'run-1', attempt: 3, error_message: 'Le dossier est déjà accepté' }],
    );
    // From now on each step is added by the triggers; a change of message alone (purge) adds none.
    await db
      .updateTable('mutation_journal')
      .set({ status: 'sending', attempts: 4, finished_at: null, sent_at: '2026-01-06T09:00:00Z' })
      .execute();
    await db.updateTable('mutation_journal').set({ error_message: '[supprimé]' }).execute();
    expect((await db.selectFrom('mutation_journal_events').select(['status', 'at', 'attempt']).orderBy('id').execute()).slice(1)).toEqual([
      { status: 'sending', at: '2026-01-06T09:00:00Z', attempt: 4 },
    ]);
    await db.destroy();
  });
});

describe.skipIf(postgresSkipReason !== undefined)('database on PostgreSQL', () => {
  it('creates every table from the same migrations, goes down cleanly and migrates again on open', async () => {
    const url = await freshTarget('postgres');
    const db = await openDatabase(url);
    const tables = async () =>
      (
        await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name not like 'kysely_%' order by table_name`.execute(
          db,
        )
      ).rows.map((r) => r.name);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'dossiers',
        'champs',
        'files',
        'sync_state',
        'sync_runs',
        'findings',
        'evaluations',
        'mutation_journal',
        'mutation_journal_events',
        'digests',
        'leases',
      ]),
    );
    // SQLite's autoincrement ids are identity columns here.
    const first = await db
      .insertInto('plans')
      .values({ kind: 'annotate', created_at: '2026-01-01T00:00:00Z', items_json: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const second = await db
      .insertInto('plans')
      .values({ kind: 'annotate', created_at: '2026-01-01T00:00:00Z', items_json: '[]' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect([first.id, second.id]).toEqual([1, 2]);
    // Counts are numbers, as on SQLite.
    expect(
      await db
        .selectFrom('plans')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 2 });
    await migrateDown(db);
    expect(await tables()).toEqual([]);
    await db.destroy();
    const again = await openDatabase(url);
    expect(
      await again
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 0 });
    await again.destroy();
  });

  it('lets two connection pools open a fresh database at once: one migrates under the advisory lock, the other finds it done', async () => {
    const url = await freshTarget('postgres');
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    const applied = await a
      .selectFrom('kysely_migration' as never)
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect((applied as { n: number }).n).toBe(Object.keys(migrations).length);
    await a.destroy();
    await b.destroy();
  });

  it('names the database without its password, and explains a server that does not answer', async () => {
    expect(describeDatabase('postgresql://ars:s3cr3t@db.example:5432/dsars')).toBe('PostgreSQL postgresql://ars:***@db.example:5432/dsars');
    expect(describeDatabase('./var/ds-ars.sqlite')).toBe('SQLite ./var/ds-ars.sqlite');
    const error = await openDatabase('postgres://ars:s3cr3t@127.0.0.1:1/dsars').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('Impossible de se connecter à la base PostgreSQL « postgres://ars:***@127.0.0.1:1/dsars »');
    expect((error as Error).message).not.toContain('s3cr3t');
    // In French, from the system's code: not pg's « connect ECONNREFUSED 127.0.0.1:1 ».
    expect((error as Error).message).toContain(
      ' : connexion refusée, aucun serveur n’écoute à cette adresse (ECONNREFUSED). Vérifiez l’URL',
    );
  });
});
