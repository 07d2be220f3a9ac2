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

  it('gives back the same texts whichever way the rows travel: few values, many (COPY on PostgreSQL), many upserted', async () => {
    const db = await openDatabase(await freshTarget(dialect));
    try {
      // What COPY's text format gives a meaning to (tab, line ends, backslash, \N, \.), an empty
      // text next to NULL, and the rest of the usual suspects.
      const tricky = [
        'tab\there',
        'ligne\nsuivante',
        'retour\r\n',
        '\\N',
        '\\.',
        '\\',
        'a\\tb',
        '',
        null,
        'x\u0000y',
        '« " \' »',
        '日本語',
      ];
      const stored = tricky.map((t) => (dialect === 'postgres' && t !== null ? t.replaceAll('\u0000', '\uFFFD') : t));
      const champ = (dossier: number, position: number, value: string | null) => ({
        dossier_number: dossier,
        scope: 'champ',
        position,
        champ_id: `C${position}`,
        descriptor_id: `D${position}`,
        label: `Libellé\t${position}`,
        typename: 'TextChamp',
        string_value: value,
      });
      const columns = ['dossier_number', 'scope', 'position', 'champ_id', 'descriptor_id', 'label', 'typename', 'string_value'] as const;
      // 1: a dozen rows; 2: the same among 1,000 (8,000 values, above the placeholders' limit).
      await bulkInsert(
        db,
        'champs',
        columns,
        tricky.map((t, i) => champ(1, i, t)),
      );
      const many = Array.from({ length: 1_000 }, (_, i) => champ(2, i, i < tricky.length ? tricky[i]! : `valeur ${i}`));
      await bulkInsert(db, 'champs', columns, many);
      for (const dossier of [1, 2]) {
        const back = await db
          .selectFrom('champs')
          .select(['string_value', 'label'])
          .where('dossier_number', '=', dossier)
          .orderBy('position')
          .limit(tricky.length)
          .execute();
        expect(back.map((r) => r.string_value)).toEqual(stored);
        expect(back[0]?.label).toBe('Libellé\t0');
      }
      const countOf2 = await db
        .selectFrom('champs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('dossier_number', '=', 2)
        .executeTakeFirstOrThrow();
      expect(countOf2.n).toBe(1_000);

      // 3: an upsert of 1,500 rows × 3 columns, twice: the second run's texts replace the first's.
      const states = (round: string) =>
        Array.from({ length: 1_500 }, (_, i) => ({
          demarche_number: i + 1,
          updated_since: '2026-01-01T00:00:00Z',
          cursor: i < tricky.length ? tricky[i]! : `${round} ${i}`,
        }));
      for (const round of ['avant', 'après'])
        await bulkInsert(db, 'sync_state', ['demarche_number', 'updated_since', 'cursor'], states(round), {
          conflict: 'demarche_number',
          update: ['cursor'],
        });
      const cursors = await db.selectFrom('sync_state').select('cursor').orderBy('demarche_number').execute();
      expect(cursors.slice(0, tricky.length).map((r) => r.cursor)).toEqual(stored);
      expect(cursors.at(-1)?.cursor).toBe('après 1499');
    } finally {
      await db.destroy();
    }
  });

  it('rolls back a transaction whose many rows are refused, and the database stays usable', async () => {
    const db = await openDatabase(await freshTarget(dialect));
    try {
      const row = (i: number) => ({ dossier_number: i, label_id: 'L', name: `étiquette ${i}` });
      // 3,000 rows × 3 columns (COPY on PostgreSQL); the last one lacks its NOT NULL label id.
      const rows = [...Array.from({ length: 2_999 }, (_, i) => row(i + 1)), { dossier_number: 3_000, label_id: null, name: 'x' }];
      await expect(
        db.transaction().execute(async (trx) => {
          await bulkInsert(trx, 'dossier_labels', ['dossier_number', 'label_id', 'name'], [row(0)]);
          await bulkInsert(trx, 'dossier_labels', ['dossier_number', 'label_id', 'name'], rows);
        }),
      ).rejects.toThrow(/label_id|NOT NULL|null value/i);
      const count = async () =>
        (
          await db
            .selectFrom('dossier_labels')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      expect(Number(await count())).toBe(0);
      // Every pooled connection still answers (a failed COPY must not leave one in COPY mode).
      await Promise.all(Array.from({ length: 6 }, () => count()));
      await bulkInsert(db, 'dossier_labels', ['dossier_number', 'label_id', 'name'], rows.slice(0, 2_999));
      expect(Number(await count())).toBe(2_999);
    } finally {
      await db.destroy();
    }
  });
});
