/** `ds-ars db copy --from <sqlite> --to postgres://…`: every table, journal included, counts checked. */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { executePlan } from '../src/pushback/executor.ts';
import { savePlan } from '../src/pushback/plan.ts';
import { dropTestDatabases, freshTarget, postgresSkipReason } from './support/postgres.ts';
import { createPushbackWorld, type PushbackWorld } from './support/pushback-world.ts';

const saved = { ...process.env };

/** Every row of every table, in a stable order (the first column, then the whole row). */
async function dumpAll(db: Db, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe.skipIf(postgresSkipReason !== undefined)('ds-ars db copy', () => {
  let w: PushbackWorld;
  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 17, dossiers: 12 });
    // A journal with events: one decision guarded (dossier en construction), one passage sent.
    const [a, b] = await w.numbers('en_construction');
    const row = async (n: number) => (await w.db.selectFrom('dossiers').select('id').where('number', '=', n).executeTakeFirstOrThrow()).id;
    const plan = await savePlan(w.db, 'decisions', [
      {
        operation: 'accepter',
        demarcheNumber: w.demarche.number,
        dossierNumber: a!,
        dossierId: await row(a!),
        expectedStates: ['en_instruction'],
        reason: 'jury',
        payload: { motivation: 'ok' },
      },
      {
        operation: 'passerEnInstruction',
        demarcheNumber: w.demarche.number,
        dossierNumber: b!,
        dossierId: await row(b!),
        expectedStates: ['en_construction'],
        reason: 'test',
        payload: { disableNotification: true },
      },
    ]);
    await executePlan(w.ctx(), plan.id, { apply: true });
  });
  afterAll(async () => {
    await w?.close();
    await dropTestDatabases();
  });
  beforeEach(() => {
    process.env = { ...saved, DS_ARS_LOG_LEVEL: 'silent' };
  });
  afterEach(() => {
    process.env = saved;
  });

  it('copies every table row for row, journal events as they were, and ids continue after the copied ones', async () => {
    const url = await freshTarget('postgres');
    const io = capture();
    expect(await main(argv('db', 'copy', '--from', w.dbPath, '--to', url), io)).toBe(0);
    expect(io.out()).toMatch(/mutation_journal_events\s+\d+/);
    expect(io.out()).toContain('Copie terminée vers PostgreSQL');

    const tables = (
      await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(w.db)
    ).rows.map((r) => r.name);
    const target = await openDatabase(url);
    try {
      const source = await dumpAll(w.db, tables);
      expect(source['mutation_journal_events']!.length).toBeGreaterThanOrEqual(3);
      expect(source['dossiers']!.length).toBe(12);
      expect(await dumpAll(target, tables)).toEqual(source);
      // Ids go on after the copied ones; the journal's triggers work again.
      const maxPlan = (
        await w.db
          .selectFrom('plans')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m as number;
      const next = await target
        .insertInto('plans')
        .values({ kind: 'annotate', created_at: '2026-12-01T00:00:00Z', items_json: '[]' })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(next.id).toBe(maxPlan + 1);
      await target.updateTable('mutation_journal').set({ status: 'failed', attempts: 9 }).where('status', '=', 'guarded').execute();
      expect(await target.selectFrom('mutation_journal_events').select('id').where('attempt', '=', 9).execute()).toHaveLength(1);
    } finally {
      await target.destroy();
    }
  });

  it('refuses a database that is not empty, and bad arguments, with exit code 2 and nothing written', async () => {
    const url = await freshTarget('postgres');
    expect(await main(argv('db', 'copy', '--from', w.dbPath, '--to', url), capture())).toBe(0);
    const again = capture();
    expect(await main(argv('db', 'copy', '--from', w.dbPath, '--to', url), again)).toBe(2);
    expect(again.err()).toContain('n’est pas vide');
    const missing = capture();
    expect(await main(argv('db', 'copy', '--from', '/nulle/part.sqlite', '--to', url), missing)).toBe(2);
    expect(missing.err()).toContain('« /nulle/part.sqlite » n’existe pas');
    const notUrl = capture();
    expect(await main(argv('db', 'copy', '--from', w.dbPath, '--to', '/tmp/autre.sqlite'), notUrl)).toBe(2);
    expect(notUrl.err()).toContain('doit être une URL postgres://');
  });
});
