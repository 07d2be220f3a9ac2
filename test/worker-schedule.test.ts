import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';
import { recordRunFinished, recordRunStarted } from '../src/worker/missed-runs.ts';
import type { DemarcheStep, PipelineStep } from '../src/worker/pipeline.ts';
import { startWorker, type RunningWorker } from '../src/worker/worker.ts';
import { digestStep, markerStep, pagedSyncStep, pipelineRows, syncCursor, tempDbPath } from './support/worker-steps.ts';

// Nightly at 02:30 Paris = 01:30 UTC in November; the clock is driven by fake timers.
const SCHEDULE = '30 2 * * *';
const TIMEZONE = 'Europe/Paris';
const demarches = [{ number: 101 }, { number: 102 }];
const steps = (): PipelineStep[] => [pagedSyncStep({ pages: 2 }), markerStep('check'), markerStep('report'), digestStep()];

const opened: Db[] = [];
const controllers: AbortController[] = [];
const workers: RunningWorker[] = [];
async function open(path: string): Promise<Db> {
  const db = await openDatabase(path);
  opened.push(db);
  return db;
}
async function start(db: Db, options: { steps?: PipelineStep[]; logger?: ReturnType<typeof createLogger> } = {}): Promise<RunningWorker> {
  const controller = new AbortController();
  controllers.push(controller);
  const logger = options.logger ?? createLogger({ destination: createMemoryDestination() });
  const worker = await startWorker({
    db,
    logger,
    demarches,
    steps: options.steps ?? steps(),
    schedule: SCHEDULE,
    timezone: TIMEZONE,
    signal: controller.signal,
  });
  workers.push(worker);
  return worker;
}
async function runIds(db: Db): Promise<Set<string>> {
  return new Set((await pipelineRows(db)).map((r) => r.run_id));
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(async () => {
  for (const controller of controllers.splice(0)) controller.abort();
  for (const worker of workers.splice(0)) await worker.stopped;
  vi.useRealTimers();
  while (opened.length > 0) await opened.pop()?.destroy();
});

// SQLite only: a unit test of the cron clock under fake timers (Date, setTimeout); worker-pipeline.test.ts covers the schedule tables on both dialects.
describe('worker schedule', () => {
  it('runs the pipeline once per tick of the schedule, and not in between', async () => {
    vi.setSystemTime(new Date('2026-11-27T01:29:50Z'));
    const db = await open(tempDbPath());
    const worker = await start(db);
    expect(worker.runs).toHaveLength(0); // fresh install: nothing to make up

    await vi.advanceTimersByTimeAsync(15_000); // 02:30:05 Paris
    await vi.waitFor(() => expect(worker.runs).toHaveLength(1));
    expect(worker.runs[0]?.status).toBe('ok');
    expect(await syncCursor(db, 102)).toBe(2);

    await vi.advanceTimersByTimeAsync(23 * 3_600_000); // 01:30 Paris the next night
    expect(worker.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_600_000 + 5_000); // 02:30:05 Paris
    await vi.waitFor(() => expect(worker.runs).toHaveLength(2));

    expect((await runIds(db)).size).toBe(2);
    const schedule = await db.selectFrom('schedule_runs').selectAll().executeTakeFirstOrThrow();
    expect(schedule.last_started_at?.startsWith('2026-11-28T01:30:0')).toBe(true);
    expect(schedule.last_status).toBe('ok');
    expect(new Set((await pipelineRows(db)).map((r) => r.trigger))).toEqual(new Set(['schedule']));
  });

  it('makes up at start a night missed while it was down, and only then', async () => {
    vi.setSystemTime(new Date('2026-11-27T09:00:00Z'));
    const db = await open(tempDbPath());
    // Last run two nights ago: last night's 02:30 was missed.
    await recordRunStarted(db, 'pipeline', new Date('2026-11-25T01:30:00Z'));
    await recordRunFinished(db, 'pipeline', 'ok', null, new Date('2026-11-25T01:45:00Z'));
    const destination = createMemoryDestination();
    const worker = await start(db, { logger: createLogger({ destination }) });
    await vi.waitFor(() => expect(worker.runs).toHaveLength(1));
    expect(new Set((await pipelineRows(db)).map((r) => r.trigger))).toEqual(new Set(['missed']));
    expect(destination.text()).toContain('manqué (worker arrêté) : rattrapage immédiat');
    controllers[0]?.abort();
    await worker.stopped;

    // Restarted later the same day: last night is done, nothing to make up.
    vi.setSystemTime(new Date('2026-11-27T15:00:00Z'));
    const again = await start(db);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(again.runs).toHaveLength(0);
    expect((await runIds(db)).size).toBe(1);
  });

  it('two workers on the same database at the same tick: one works, the other skips with a log line', async () => {
    vi.setSystemTime(new Date('2026-11-27T01:29:50Z'));
    const path = tempDbPath();
    const a = await open(path);
    const b = await open(path);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSync: DemarcheStep = { name: 'sync', scope: 'demarche', run: () => gate };
    const logsA = createMemoryDestination();
    const logsB = createMemoryDestination();
    const workerA = await start(a, { steps: [slowSync, markerStep('check')], logger: createLogger({ destination: logsA }) });
    const workerB = await start(b, { steps: [slowSync, markerStep('check')], logger: createLogger({ destination: logsB }) });

    await vi.advanceTimersByTimeAsync(15_000);
    // The loser knows at once; the winner is still inside its first sync.
    await vi.waitFor(() => expect(workerA.runs.length + workerB.runs.length).toBe(1));
    const [loser, loserLogs] = workerA.runs.length === 1 ? [workerA, logsA] : [workerB, logsB];
    expect(loser.runs[0]?.status).toBe('skipped');
    expect(loserLogs.text()).toContain('Un autre processus traite déjà les démarches');
    release();
    await vi.waitFor(() => expect(workerA.runs.length + workerB.runs.length).toBe(2));
    const statuses = [...workerA.runs, ...workerB.runs].map((r) => r.status).sort();
    expect(statuses).toEqual(['ok', 'skipped']);
    expect((await runIds(a)).size).toBe(1);
  });

  it('stops on its signal after the current page, records the interruption, and releases its leases', async () => {
    vi.setSystemTime(new Date('2026-11-27T01:29:50Z'));
    const db = await open(tempDbPath());
    const controller = new AbortController();
    const sync = pagedSyncStep({ pages: 5, onPage: (page) => (page === 3 ? controller.abort() : undefined) });
    const worker = await startWorker({
      db,
      logger: createLogger({ destination: createMemoryDestination() }),
      demarches,
      steps: [sync, markerStep('check'), digestStep()],
      schedule: SCHEDULE,
      timezone: TIMEZONE,
      signal: controller.signal,
    });
    await vi.advanceTimersByTimeAsync(15_000);
    await worker.stopped;
    expect(worker.runs.map((r) => r.status)).toEqual(['interrupted']);
    expect(await syncCursor(db, 101)).toBe(3);
    expect(await syncCursor(db, 102)).toBe(0);
    expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);
    // No tick after the stop.
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(worker.runs).toHaveLength(1);
  });
});
