/**
 * The page writer on its own: re-delivered dossiers are upserted, never duplicated; an older copy
 * never overwrites a newer one; deletions are marks, not erasures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.ts';
import type { DossierNode } from '../src/graphql/answers.ts';
import { getChamps, getDossier, getDossierNode, listLiveDossiers } from '../src/mirror/mirror.repository.ts';
import { writeDeletionPage } from '../src/sync/deletions.writer.ts';
import { writeDossierPage } from '../src/sync/dossiers.writer.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { getSyncState } from '../src/sync/sync-state.repository.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { dialects } from './support/postgres.ts';

const shifted = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

describe.each(dialects)('page writer (%s)', { timeout: 120_000 }, (dialect) => {
  let fx: SyncFixture;
  let db: Db;
  let runId: number;
  let node: DossierNode;

  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 43, programmes: ['asp'], dossiers: { asp: 30 } }, dialect);
    db = await fx.openDb();
    const report = await runSync({ db, client: fx.client() }, { demarches: [fx.demarche] });
    runId = report.results[0]!.runId;
    const [first] = await listLiveDossiers(db, fx.demarche);
    node = (await getDossierNode(db, first!.number))!;
  });
  afterAll(async () => fx?.close());

  const page = (nodes: DossierNode[], endCursor: string | null = null) => ({
    demarche: fx.demarche,
    runId,
    nodes,
    endCursor,
    syncedAt: new Date().toISOString(),
  });
  const withMotivation = (n: DossierNode, motivation: string, modified: string): DossierNode => ({
    ...n,
    motivation,
    dateDerniereModification: modified,
  });

  it('upserts a re-delivered dossier without doubling its rows', async () => {
    const champsBefore = await getChamps(db, node.number);
    const again = await writeDossierPage(db, page([node, node]));
    expect(again).toMatchObject({ upserted: 1, stale: 1 });
    expect(await getChamps(db, node.number)).toEqual(champsBefore);
    expect(
      await db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('number', '=', node.number)
        .executeTakeFirst(),
    ).toEqual({ n: 1 });
  });

  it('keeps the newer copy when an older one arrives later', async () => {
    const newer = withMotivation(node, 'copie récente', shifted(node.dateDerniereModification, 60_000));
    const older = withMotivation(node, 'copie ancienne', shifted(node.dateDerniereModification, 30_000));
    expect(await writeDossierPage(db, page([newer]))).toMatchObject({ upserted: 1, stale: 0 });
    expect(await writeDossierPage(db, page([older]))).toMatchObject({ upserted: 0, stale: 1 });
    expect((await getDossier(db, node.number))?.motivation).toBe('copie récente');
    // Within one page, the newest copy wins too, whatever the order.
    const newest = withMotivation(node, 'la plus récente', shifted(node.dateDerniereModification, 90_000));
    expect(await writeDossierPage(db, page([newest, older]))).toMatchObject({ upserted: 1, stale: 1 });
    expect((await getDossier(db, node.number))?.motivation).toBe('la plus récente');
  });

  it('never erases the cursor with an empty page, and stores a new one', async () => {
    const cursor = (await getSyncState(db, fx.demarche))?.cursor;
    expect(cursor).toBeTruthy();
    await writeDossierPage(db, page([], null));
    expect((await getSyncState(db, fx.demarche))?.cursor).toBe(cursor);
    await writeDossierPage(db, page([], 'curseur-suivant'));
    expect((await getSyncState(db, fx.demarche))?.cursor).toBe('curseur-suivant');
  });

  it('marks deletions once and keeps the rows', async () => {
    const deletion = { number: node.number, reason: 'user_request', dateSupression: '2026-11-27T03:00:00+01:00' };
    const write = () => writeDeletionPage(db, { demarche: fx.demarche, runId, kind: 'deleted', nodes: [deletion], endCursor: null });
    expect(await write()).toBe(1);
    expect(await write()).toBe(0);
    expect(await getDossier(db, node.number)).toMatchObject({
      deleted_at: deletion.dateSupression,
      deleted_reason: 'user_request',
      pending_deletion: 0,
    });
    expect((await getChamps(db, node.number)).length).toBeGreaterThan(0);
    expect((await listLiveDossiers(db, fx.demarche)).map((d) => d.number)).not.toContain(node.number);
  });
});
