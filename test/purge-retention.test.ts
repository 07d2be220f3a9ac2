import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.ts';
import type { DialectName } from '../src/db/dialect.ts';
import { applyPurge, planPurge, REDACTED } from '../src/purge/purge.ts';
import { dialects, dropTestDatabases } from './support/postgres.ts';
import { KEPT, nameOf, PURGED, seedPurgeWorld } from './support/purge-fixture.ts';

const opened: Db[] = [];
afterEach(async () => {
  while (opened.length > 0) await opened.pop()?.destroy();
});
afterAll(dropTestDatabases);

async function seed(dialect: DialectName) {
  const world = await seedPurgeWorld(dialect);
  opened.push(world.db);
  return world;
}

describe.each(dialects)('purge (%s)', (dialect) => {
  it('dry run: lists what would go, per démarche, and changes nothing', async () => {
    const { db, attachment } = await seed(dialect);
    const plan = await planPurge(db, { before: '2025-01-01', now: new Date('2026-11-27T00:00:00Z') });
    expect(plan.dossierNumbers).toEqual(PURGED);
    expect(plan.byDemarche).toEqual([
      { demarche: 201, dossiers: 1, byState: { accepte: 1 } },
      { demarche: 202, dossiers: 3, byState: { refuse: 1, supprime: 1, accepte: 1 } },
      { demarche: 203, dossiers: 1, byState: { sans_suite: 1 } },
    ]);
    expect(plan.counts).toEqual({
      dossiers: 5,
      champs: 5,
      files: 5,
      localFiles: 5,
      labels: 5,
      findings: 5,
      evaluations: 5,
      annotationPushes: 5,
      journalEntries: 5,
      plans: 1,
      workbooks: 1,
    });
    expect(await db.selectFrom('dossiers').select('number').execute()).toHaveLength(9);
    expect(existsSync(attachment(1))).toBe(true);
  });

  it('removes the personal data of old closed campaigns, files included, and keeps a redacted decision journal', async () => {
    const { db, path, filesDir, attachment, workbook } = await seed(dialect);
    const plan = await planPurge(db, { before: '2025-01-01', now: new Date('2026-11-27T00:00:00Z') });
    const result = await applyPurge(db, plan, { filesDir });
    expect(result.fileErrors).toEqual([]);

    const left = (await db.selectFrom('dossiers').select('number').orderBy('number').execute()).map((r) => r.number);
    expect(left).toEqual(KEPT);
    for (const table of ['champs', 'files', 'dossier_labels', 'evaluations', 'findings', 'annotation_pushes'] as const) {
      const numbers = (await db.selectFrom(table).select('dossier_number').execute()).map((r) => r.dossier_number).sort();
      expect(numbers, table).toEqual(KEPT);
    }
    for (const n of PURGED) expect(existsSync(join(filesDir, String(n))), `dossier ${n}`).toBe(false);
    for (const n of KEPT) expect(existsSync(attachment(n))).toBe(true);
    expect(existsSync(workbook)).toBe(false);
    expect(await db.selectFrom('workbooks').selectAll().execute()).toEqual([]);

    // The journal keeps who did what, when, and how it ended, without the person.
    const journal = await db.selectFrom('mutation_journal').selectAll().where('dossier_number', '=', 4).executeTakeFirstOrThrow();
    expect(journal).toMatchObject({
      operation: 'refuser',
      dossier_number: 4,
      dossier_id: 'Dossier-4',
      instructeur_id: 'Instructeur-9',
      status: 'sent',
      created_at: '2023-05-31T10:00:00+02:00',
      finished_at: '2023-05-31T10:00:02+02:00',
      reason: REDACTED,
      error_message: REDACTED,
    });
    expect(JSON.parse(journal.payload_json)).toEqual({
      dossierId: 'Dossier-4',
      instructeurId: 'Instructeur-9',
      motivation: REDACTED,
      disableNotification: false,
    });
    expect(JSON.parse(journal.result_json ?? 'null')).toEqual({ dossier: { id: 'Dossier-4', state: 'refuse', motivation: REDACTED } });
    expect(await db.selectFrom('mutation_journal').select('id').execute()).toHaveLength(9);
    // Its steps keep their dates and outcomes; their errors are redacted too, and the redaction adds no step.
    const steps = await db.selectFrom('mutation_journal_events').selectAll().where('journal_id', '=', journal.id).execute();
    expect(steps.map((e) => [e.status, e.at, e.error_message])).toEqual([['sent', '2023-05-31T10:00:02+02:00', REDACTED]]);
    // A kept dossier's journal entry is untouched.
    const kept = await db.selectFrom('mutation_journal').select('payload_json').where('dossier_number', '=', 5).executeTakeFirstOrThrow();
    expect(kept.payload_json).toContain(nameOf(5));
    const planItems = JSON.parse((await db.selectFrom('plans').select('items_json').executeTakeFirstOrThrow()).items_json) as {
      reason: string;
      payload: { motivation: string };
    }[];
    expect(planItems.map((i) => i.payload.motivation)).toEqual([REDACTED, 'Bravo Autre Personne']);

    // VACUUM and a truncated WAL: the purged names are gone from the files themselves, not just unlinked.
    if (dialect === 'postgres') return;
    const raw = Buffer.concat([path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)));
    for (const n of PURGED) expect(raw.includes(Buffer.from(nameOf(n))), nameOf(n)).toBe(false);
    for (const n of KEPT) expect(raw.includes(Buffer.from(nameOf(n))), nameOf(n)).toBe(true);
  });

  it('limits the purge to one démarche with --demarche', async () => {
    const { db, filesDir } = await seed(dialect);
    const plan = await planPurge(db, { before: '2025-01-01', demarche: 202, now: new Date('2026-11-27T00:00:00Z') });
    expect(plan.dossierNumbers).toEqual([4, 6, 8]);
    await applyPurge(db, plan, { filesDir });
    const left = (await db.selectFrom('dossiers').select('number').orderBy('number').execute()).map((r) => r.number);
    expect(left).toEqual([1, 2, 3, 5, 7, 9]);
  });

  it('rejects a malformed date', async () => {
    const { db } = await seed(dialect);
    await expect(planPurge(db, { before: '2025-02-30' })).rejects.toThrow(/Date « 2025-02-30 » invalide pour --before/);
    await expect(planPurge(db, { before: '01/01/2025' })).rejects.toThrow(/format attendu AAAA-MM-JJ/);
  });
});
