/**
 * Crash safety: a run aborted after page k resumes from the cursor committed with page k, and a
 * malformed page is rejected whole, naming the page, with the cursor left where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../src/sync/sync-runner.ts';
import { getSyncState, listRuns } from '../src/sync/sync-state.repository.ts';
import { dumpMirror, startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';
import { dialects } from './support/postgres.ts';
import type { Db } from '../src/db/database.ts';

const dossierCount = async (db: Db): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(dialects)('a run aborted after page 2, then resumed (%s)', { timeout: 180_000 }, (dialect) => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 23, programmes: ['asp'], dossiers: { asp: 450 } }, dialect);
  });
  afterAll(async () => fx?.close());

  it('gives the same mirror as an uninterrupted run: nothing lost, nothing doubled', async () => {
    expect(visibleNumbers(fx.sim, fx.demarche)).toHaveLength(450);
    const reference = await fx.openDb('reference.sqlite');
    expect((await runSync({ db: reference, client: fx.client() }, { demarches: [fx.demarche] })).status).toBe('ok');

    const db = await fx.openDb('crashed.sqlite');
    const client = fx.client();
    const crashed = await runSync(
      { db, client },
      {
        demarches: [fx.demarche],
        onPageWritten: (e) => {
          if (e.page === 2) throw new Error('arrêt simulé après la page 2');
        },
      },
    );
    expect(crashed.status).toBe('failed');
    expect(crashed.results[0]).toMatchObject({ status: 'failed', pages: 2, upserted: 200, error: 'arrêt simulé après la page 2' });
    expect(await dossierCount(db)).toBe(200);
    const cursorAfterCrash = (await getSyncState(db, fx.demarche))?.cursor;
    expect(cursorAfterCrash).not.toBeNull();

    const resumed = await runSync({ db, client }, { demarches: [fx.demarche] });
    const [result] = resumed.results;
    expect(result).toMatchObject({ mode: 'incremental', status: 'ok', pages: 3, upserted: 250, labelsPass: true });
    // Pages 3, 4 and 5 only (the first two are not read again), GetDemarche, both deletion
    // lists, and the labels pass the crashed run never reached (5 pages). Counted by the client:
    // the server may still receive the crashed run's aborted prefetch.
    expect(result!.requests - result!.retries).toBe(1 + 3 + 1 + 1 + 5);

    expect(await dumpMirror(db)).toEqual(await dumpMirror(reference));
    const runs = await listRuns(db, fx.demarche);
    expect(runs.map((r) => [r.status, r.pages])).toEqual([
      ['ok', 3],
      ['failed', 2],
    ]);
  });

  it('stops on request after a committed page: run interrupted without error, later démarches left, the next run resumes', async () => {
    const db = await fx.openDb('stopped.sqlite');
    const client = fx.client();
    const stop = new AbortController();
    const never = fx.demarche + 1_000_000;
    const stopped = await runSync(
      { db, client },
      {
        demarches: [fx.demarche, never],
        signal: stop.signal,
        onPageWritten: (e) => {
          if (e.page === 2) stop.abort();
        },
      },
    );
    expect(stopped.status).toBe('interrupted');
    expect(stopped.results).toHaveLength(1);
    expect(stopped.results[0]).toMatchObject({ status: 'interrupted', pages: 2, upserted: 200, error: null });
    expect(await getSyncState(db, fx.demarche)).toMatchObject({ last_error: null, last_success_at: null, labels_synced_at: null });
    expect((await listRuns(db, fx.demarche)).map((r) => [r.status, r.error_message])).toEqual([['interrupted', null]]);

    const resumed = await runSync({ db, client }, { demarches: [fx.demarche] });
    expect(resumed.results[0]).toMatchObject({ status: 'ok', pages: 3, upserted: 250 });
    expect(await dossierCount(db)).toBe(450);
  });

  it('stops at once on request while DS is slow to answer: the request is abandoned, the pages written are kept', {
    timeout: 20_000,
  }, async () => {
    const db = await fx.openDb('stopped-slow.sqlite');
    const client = fx.client();
    const stop = new AbortController();
    try {
      const stopped = await runSync(
        { db, client },
        {
          demarches: [fx.demarche],
          signal: stop.signal,
          onPageWritten: (e) => {
            if (e.page !== 1) return;
            // From now on DS takes 30 s to answer; the stop comes while the sync waits for it.
            fx.sim.setFaults({ latencyMs: 30_000 });
            setTimeout(() => stop.abort(), 300);
          },
        },
      );
      const [result] = stopped.results;
      expect(result).toMatchObject({ status: 'interrupted', error: null });
      // Pages requested before DS slowed down may have been written too; never a partial page.
      expect(result!.pages).toBeGreaterThanOrEqual(1);
      expect(result!.pages).toBeLessThan(5);
      expect(result!.upserted).toBe(result!.pages * 100);
      expect(await dossierCount(db)).toBe(result!.pages * 100);
    } finally {
      fx.sim.setFaults({ latencyMs: 0 });
    }
    const resumed = await runSync({ db, client }, { demarches: [fx.demarche] });
    expect(resumed.results[0]).toMatchObject({ status: 'ok', mode: 'incremental' });
    expect(await dossierCount(db)).toBe(450);
  });

  it('stops at once during a labels pass too: the pass is not marked done, the next run makes a whole one', {
    timeout: 20_000,
  }, async () => {
    const db = await fx.openDb('stopped-labels.sqlite');
    const client = fx.client();
    expect((await runSync({ db, client }, { demarches: [fx.demarche] })).status).toBe('ok');
    const before = (await getSyncState(db, fx.demarche))?.labels_synced_at;
    expect(before).toBeTruthy();
    const stop = new AbortController();
    try {
      const stopped = await runSync(
        { db, client },
        {
          demarches: [fx.demarche],
          labels: true,
          signal: stop.signal,
          observer: {
            onPage: (e) => {
              if (e.stream !== 'labels' || e.page !== 1) return;
              fx.sim.setFaults({ latencyMs: 30_000 });
              setTimeout(() => stop.abort(), 300);
            },
          },
        },
      );
      expect(stopped.results[0]).toMatchObject({ status: 'interrupted', labelsPass: true, error: null });
      expect((await getSyncState(db, fx.demarche))?.labels_synced_at).toBe(before);
    } finally {
      fx.sim.setFaults({ latencyMs: 0 });
    }
    const again = await runSync({ db, client }, { demarches: [fx.demarche], labels: true });
    expect(again.results[0]).toMatchObject({ status: 'ok', labelsPass: true });
    expect((await getSyncState(db, fx.demarche))?.labels_synced_at).not.toBe(before);
  });

  it('marks a run left "running" by a real crash as interrupted on the next start', async () => {
    const db = await fx.openDb('killed.sqlite');
    const client = fx.client();
    await runSync({ db, client }, { demarches: [fx.demarche] });
    // What a killed process leaves behind: a run that never finished.
    await db
      .insertInto('sync_runs')
      .values({
        demarche_number: fx.demarche,
        mode: 'incremental',
        status: 'running',
        started_at: '2026-01-01T00:00:00Z',
        ended_at: null,
        error_message: null,
      })
      .execute();
    await runSync({ db, client }, { demarches: [fx.demarche] });
    const statuses = (await listRuns(db, fx.demarche)).map((r) => r.status);
    expect(statuses).toEqual(['ok', 'interrupted', 'ok']);
  });
});

describe.each(dialects)('a malformed page (%s)', (dialect) => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 29, programmes: ['mgvh'], dossiers: { mgvh: 120 } }, dialect);
  });
  afterAll(async () => fx?.close());

  it('is rejected whole with an error naming the page; the cursor does not move', async () => {
    const db = await fx.openDb();
    const client = fx.client();
    expect((await runSync({ db, client }, { demarches: [fx.demarche] })).status).toBe('ok');
    const stateBefore = await getSyncState(db, fx.demarche);
    const mirrorBefore = await dumpMirror(db);

    const edited = visibleNumbers(fx.sim, fx.demarche).slice(0, 30);
    for (const n of edited) fx.sim.store.editDossier(n);
    fx.sim.setFaults({ malformedNextAnswers: 1 });
    const report = await runSync({ db, client }, { demarches: [fx.demarche] });
    const [result] = report.results;
    expect(result?.status).toBe('failed');
    expect(result?.error).toContain(`démarche ${fx.demarche}, page 1 des dossiers`);
    expect(result?.error).toMatch(/^Réponse de DS inattendue/);
    expect(result?.pages).toBe(0);
    const stateAfter = await getSyncState(db, fx.demarche);
    expect(stateAfter?.cursor).toBe(stateBefore?.cursor);
    expect(stateAfter?.last_error).toBe(result?.error);
    // Not one dossier of the page was written, valid ones included.
    expect(await dumpMirror(db)).toEqual(mirrorBefore);

    const retried = await runSync({ db, client }, { demarches: [fx.demarche] });
    expect(retried.results[0]).toMatchObject({ status: 'ok', upserted: 30 });
    expect((await getSyncState(db, fx.demarche))?.last_error).toBeNull();
  });
});
