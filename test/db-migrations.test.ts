import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateDown, openDatabase } from '../src/db/database.ts';

describe('database', () => {
  it('creates a private WAL file with every table, and migrations go down cleanly', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ds-ars-db-')), 'sub', 'mirror.sqlite');
    const db = await openDatabase(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
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
});
