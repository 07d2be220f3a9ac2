import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { migrations } from '../src/db/migrations/index.ts';

describe('database', () => {
  it('creates a private WAL file with every table, and migrations go down cleanly', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ds-ars-db-')), 'sub', 'mirror.sqlite');
    const db = await openDatabase(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    // 8 KiB pages for a new file: half as many WAL frames per sync page.
    expect((await sql<{ page_size: number }>`pragma page_size`.execute(db)).rows[0]?.page_size).toBe(8192);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['dossiers', 'champs', 'files', 'sync_state', 'sync_runs', 'findings', 'evaluations', 'mutation_journal', 'digests', 'leases']),
    );
    await migrateDown(db);
    const after = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'`.execute(db);
    expect(after.rows).toEqual([]);
    await db.destroy();
    // Re-opening migrates again: applied automatically on start.
    const again = await openDatabase(path);
    const count = await again.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
    await again.destroy();
  });

  it('gives journal rows written before the journal of steps existed their current step', async () => {
    const db = await openDatabase(join(mkdtempSync(join(tmpdir(), 'ds-ars-db-')), 'mirror.sqlite'));
    // Back to just before the journal of steps, whatever migrations came after it.
    const names = Object.keys(migrations);
    await migrateDown(db, names.length - names.indexOf('2026-11-27T10-mutation-journal-events'));
    await sql`insert into mutation_journal (idempotency_key, run_id, operation, dossier_number, dossier_id, payload_json, status, created_at, finished_at, attempts, error_message)
      values ('k1', 'run-1', 'accepter', 7, 'Dossier-7', '{}', 'failed', '2026-01-05T10:00:00Z', '2026-01-05T10:00:01Z', 3, 'Le dossier est déjà accepté')`.execute(db);
    await migrateToLatest(db);
    expect(await db.selectFrom('mutation_journal_events').select(['status', 'at', 'run_id', 'attempt', 'error_message']).execute()).toEqual([
      { status: 'failed', at: '2026-01-05T10:00:01Z', run_id: 'run-1', attempt: 3, error_message: 'Le dossier est déjà accepté' },
    ]);
    // From now on each step is added by the triggers; a change of message alone (purge) adds none.
    await db.updateTable('mutation_journal').set({ status: 'sending', attempts: 4, finished_at: null, sent_at: '2026-01-06T09:00:00Z' }).execute();
    await db.updateTable('mutation_journal').set({ error_message: '[supprimé]' }).execute();
    expect((await db.selectFrom('mutation_journal_events').select(['status', 'at', 'attempt']).orderBy('id').execute()).slice(1)).toEqual([
      { status: 'sending', at: '2026-01-06T09:00:00Z', attempt: 4 },
    ]);
    await db.destroy();
  });
});
