/** What differs between the dialects, seen from the writes: the same rows come back on both. */
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { bulkInsert } from '../src/db/bulk-insert.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

afterAll(dropTestDatabases);

describe.each(dialects)('bulkInsert (%s)', (dialect) => {
  it('writes more rows than one statement holds, upserts on conflict, and survives a NUL character in a value', async () => {
    const db = await openDatabase(await freshTarget(dialect));
    try {
      // 3 columns: 10,000 rows per statement; 25,000 rows take three.
      const rows = Array.from({ length: 25_000 }, (_, i) => ({ dossier_number: i + 1, label_id: `L${i % 3}`, name: `étiquette ${i}` }));
      await bulkInsert(db, 'dossier_labels', ['dossier_number', 'label_id', 'name'], rows);
      const count = await db
        .selectFrom('dossier_labels')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(25_000);

      await bulkInsert(
        db,
        'sync_state',
        ['demarche_number', 'updated_since', 'cursor'],
        [{ demarche_number: 7, updated_since: '2026-01-01T00:00:00Z', cursor: 'a' }],
      );
      await bulkInsert(
        db,
        'sync_state',
        ['demarche_number', 'updated_since', 'cursor'],
        [{ demarche_number: 7, updated_since: '2026-01-01T00:00:00Z', cursor: 'b\u0000c' }],
        {
          conflict: 'demarche_number',
          update: ['cursor'],
        },
      );
      const state = await db.selectFrom('sync_state').select('cursor').where('demarche_number', '=', 7).executeTakeFirstOrThrow();
      // SQLite keeps the character; PostgreSQL cannot store it and gets the replacement character.
      expect(state.cursor).toBe(dialect === 'postgres' ? 'b\uFFFDc' : 'b\u0000c');
      // The same through kysely (findings, journal…), values and where clauses alike.
      await db.updateTable('sync_state').set({ last_error: 'x\u0000y' }).where('cursor', 'in', ['b\u0000c', 'b\uFFFDc']).execute();
      const error = await db.selectFrom('sync_state').select('last_error').where('demarche_number', '=', 7).executeTakeFirstOrThrow();
      expect(error.last_error).toBe(dialect === 'postgres' ? 'x\uFFFDy' : 'x\u0000y');

      // Text that merely looks like an escaped NUL (a backslash, then « u0000 ») is kept as typed,
      // next to real NULs, quotes and non-Latin text in the same rows.
      const tricky = ['C:\\u0000\\dossier', '\\\u0000', '« guillemets " et \' »', '\u0000début', 'fin\u0000', '日本語'];
      await bulkInsert(
        db,
        'dossier_labels',
        ['dossier_number', 'label_id', 'name'],
        tricky.map((name, i) => ({ dossier_number: 90_000 + i, label_id: 'T', name })),
      );
      const back = await db.selectFrom('dossier_labels').select('name').where('label_id', '=', 'T').orderBy('dossier_number').execute();
      const stored = dialect === 'postgres' ? tricky.map((t) => t.replaceAll('\u0000', '\uFFFD')) : tricky;
      expect(back.map((r) => r.name)).toEqual(stored);
    } finally {
      await db.destroy();
    }
  });
});
