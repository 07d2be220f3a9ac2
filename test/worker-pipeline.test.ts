import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.ts';
import { createLogger, createMemoryDestination, type MemoryDestination } from '../src/logger.ts';
import { acquireLease, readLease } from '../src/worker/lease.ts';
import type { DemarcheStep, PipelineStep } from '../src/worker/pipeline.ts';
import { exitCodeOf, runOnce } from '../src/worker/run-once.ts';
import { digestStep, markerStep, pagedSyncStep, pagesFetched, pipelineRows, syncCursor } from './support/worker-steps.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

const opened: Db[] = [];
async function open(path: string): Promise<Db> {
  const db = await openDatabase(path);
  opened.push(db);
  return db;
}
afterAll(dropTestDatabases);
afterEach(async () => {
  while (opened.length > 0) await opened.pop()?.destroy();
});

const demarches = [{ number: 101 }, { number: 102 }, { number: 103 }];

function logs(): { destination: MemoryDestination; logger: ReturnType<typeof createLogger> } {
  const destination = createMemoryDestination();
  return { destination, logger: createLogger({ destination, level: 'debug' }) };
}

function steps(options: { failCheckFor?: number[] } = {}): PipelineStep[] {
  return [
    pagedSyncStep({ pages: 3 }),
    markerStep('check', { failFor: options.failCheckFor ?? [] }),
    markerStep('annotate', { needs: ['check'] }),
    markerStep('report'),
    digestStep(),
  ];
}

describe.each(dialects)('pipeline (%s)', (dialect) => {
  it('runs every step for every démarche; a failing step stops neither its démarche nor the others, and the digest reports it', async () => {
    const db = await open(await freshTarget(dialect, 'ds-ars-worker-'));
    const { logger, destination } = logs();
    const result = await runOnce({ db, logger, demarches, steps: steps({ failCheckFor: [102] }), trigger: 'run-once' });

    expect(result.status).toBe('partial');
    expect(exitCodeOf(result)).toBe(1);
    const rows = await pipelineRows(db);
    const statusOf = (demarche: number | null, step: string) => rows.find((r) => r.demarche_number === demarche && r.step === step)?.status;
    for (const n of [101, 103]) {
      expect(['sync', 'check', 'annotate', 'report'].map((s) => statusOf(n, s))).toEqual(['ok', 'ok', 'ok', 'ok']);
    }
    expect(statusOf(102, 'sync')).toBe('ok');
    expect(statusOf(102, 'check')).toBe('failed');
    expect(statusOf(102, 'annotate')).toBe('skipped'); // annotate needs a fresh check
    expect(statusOf(102, 'report')).toBe('ok');
    expect(statusOf(null, 'digest')).toBe('ok');
    const failed = rows.find((r) => r.status === 'failed');
    expect(failed).toMatchObject({
      error_code: 'server',
      error_message: 'Erreur simulée pour la démarche 102.',
      run_id: result.runId,
      trigger: 'run-once',
    });
    expect(failed?.ended_at).not.toBeNull();

    const digest = await db.selectFrom('digests').select('error_message').executeTakeFirstOrThrow();
    expect(digest.error_message).toContain('démarche 102 check failed: Erreur simulée pour la démarche 102.');
    expect(digest.error_message).toContain('démarche 102 annotate skipped');
    expect(await syncCursor(db, 103)).toBe(3);
    expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);
    const schedule = await db.selectFrom('schedule_runs').selectAll().executeTakeFirstOrThrow();
    expect(schedule).toMatchObject({ schedule: 'pipeline', last_status: 'partial' });
    expect(destination.text()).toContain('Étape check en échec : Erreur simulée pour la démarche 102.');
  });

  it('skips a démarche someone else is working on (manual sync), with a log line, and carries on', async () => {
    const path = await freshTarget(dialect, 'ds-ars-worker-');
    const db = await open(path);
    const other = await open(path);
    expect(await acquireLease(other, 'demarche:102', 'poste-instructeur:4242:abcd', 60_000)).toBe(true);
    const { logger, destination } = logs();
    const result = await runOnce({ db, logger, demarches, steps: steps(), trigger: 'run-once' });

    expect(result.status).toBe('partial');
    const rows = await pipelineRows(db);
    expect(rows.filter((r) => r.demarche_number === 102)).toMatchObject([{ step: 'sync', status: 'skipped', error_code: 'lease' }]);
    expect(await syncCursor(db, 102)).toBe(0);
    expect(await syncCursor(db, 103)).toBe(3);
    expect(destination.text()).toContain('Démarche 102 ignorée : déjà en cours de traitement par poste-instructeur:4242:abcd.');
    expect((await readLease(db, 'demarche:102'))?.holder).toBe('poste-instructeur:4242:abcd');
  });

  it('retries a busy démarche later in the same run: it goes through once its holder lets go, before the digest', async () => {
    const path = await freshTarget(dialect, 'ds-ars-worker-');
    const db = await open(path);
    const other = await open(path);
    expect(await acquireLease(other, 'demarche:102', 'poste-instructeur:4242:abcd', 600_000)).toBe(true);
    const { logger, destination } = logs();
    const run = runOnce({
      db,
      logger,
      demarches,
      steps: steps(),
      trigger: 'schedule',
      busyRetry: { everyMs: 200, until: new Date(Date.now() + 60_000) },
    });
    // The others are done first; then the manual command ends and frees 102.
    await expect
      .poll(() => destination.text(), { timeout: 10_000 })
      .toContain('Démarche 102 occupée par un autre processus : nouvelle tentative');
    expect(await syncCursor(db, 103)).toBe(3);
    await other.deleteFrom('leases').where('holder', '=', 'poste-instructeur:4242:abcd').execute();
    const result = await run;

    expect(result.status).toBe('ok');
    expect(await syncCursor(db, 102)).toBe(3);
    const rows = await pipelineRows(db);
    expect(rows.filter((r) => r.demarche_number === 102).map((r) => [r.step, r.status])).toEqual([
      ['sync', 'ok'],
      ['check', 'ok'],
      ['annotate', 'ok'],
      ['report', 'ok'],
    ]);
    expect(rows.at(-1)).toMatchObject({ step: 'digest', status: 'ok' });
  });

  it('gives up on a démarche still busy at the deadline: skipped, the rest of the night done', async () => {
    const path = await freshTarget(dialect, 'ds-ars-worker-');
    const db = await open(path);
    const other = await open(path);
    expect(await acquireLease(other, 'demarche:102', 'poste-instructeur:4242:abcd', 600_000)).toBe(true);
    const { logger, destination } = logs();
    const result = await runOnce({
      db,
      logger,
      demarches,
      steps: steps(),
      trigger: 'schedule',
      busyRetry: { everyMs: 100, until: new Date(Date.now() + 1_000) },
    });

    expect(result.status).toBe('partial');
    expect(destination.text()).toContain('nouvelle tentative dans');
    const rows = await pipelineRows(db);
    expect(rows.filter((r) => r.demarche_number === 102)).toMatchObject([{ step: 'sync', status: 'skipped', error_code: 'lease' }]);
    expect(rows.at(-1)).toMatchObject({ step: 'digest', status: 'ok' });
  });

  it('two runs at once on the same database: one works, the other skips the whole run with a log line', async () => {
    const path = await freshTarget(dialect, 'ds-ars-worker-');
    const a = await open(path);
    const b = await open(path);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blockingSync: DemarcheStep = { name: 'sync', scope: 'demarche', run: () => gate };
    const first = runOnce({ db: a, logger: logs().logger, demarches, steps: [blockingSync, markerStep('check')], trigger: 'schedule' });
    await expect.poll(async () => (await readLease(b, 'demarche:101'))?.holder).toBeDefined();

    const { logger, destination } = logs();
    const second = await runOnce({
      db: b,
      logger,
      demarches,
      steps: [pagedSyncStep({ pages: 2 }), markerStep('check')],
      trigger: 'schedule',
    });
    expect(second.status).toBe('skipped');
    expect(exitCodeOf(second)).toBe(1);
    expect(destination.text()).toContain('Un autre processus traite déjà les démarches');
    release();
    expect((await first).status).toBe('ok');
    // Only the first run did anything.
    const rows = await pipelineRows(a);
    expect(new Set(rows.map((r) => r.run_id))).toEqual(new Set([(await first).runId]));
    expect(await syncCursor(a, 101)).toBe(0);
  });

  it('an abort mid-sync finishes the page, records where it stopped, releases the leases; the next run resumes', async () => {
    const db = await open(await freshTarget(dialect, 'ds-ars-worker-'));
    const controller = new AbortController();
    const sync = pagedSyncStep({ pages: 5, onPage: (page) => (page === 2 ? controller.abort() : undefined) });
    const all = [sync, markerStep('check'), markerStep('report'), digestStep()];
    const stopped = await runOnce({ db, logger: logs().logger, demarches, steps: all, trigger: 'schedule', signal: controller.signal });

    expect(stopped.status).toBe('interrupted');
    expect(exitCodeOf(stopped)).toBe(0);
    expect(await syncCursor(db, 101)).toBe(2);
    const rows = await pipelineRows(db);
    expect(rows.map((r) => [r.demarche_number, r.step, r.status])).toEqual([[101, 'sync', 'interrupted']]);
    expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('schedule_runs').selectAll().executeTakeFirstOrThrow()).last_status).toBe('interrupted');

    const resumed = await runOnce({ db, logger: logs().logger, demarches, steps: all, trigger: 'resume' });
    expect(resumed.status).toBe('ok');
    for (const d of demarches) expect(await syncCursor(db, d.number)).toBe(5);
    // Pages 1-2 were not fetched again.
    expect(await pagesFetched(db, 101)).toBe(5);
  });
});
