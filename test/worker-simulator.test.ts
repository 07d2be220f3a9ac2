/**
 * The pipeline end to end against the DS simulator over HTTP: the real sync step under the
 * worker's leases, stopped mid-sync by its signal (as SIGTERM does), then resumed by the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.ts';
import { parseConfig } from '../src/config/file.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';
import type { PipelineStep } from '../src/worker/pipeline.ts';
import type { DemarcheConfig } from '../src/config/file.ts';
import { runOnce } from '../src/worker/run-once.ts';
import { syncStep, type PipelineServices } from '../src/worker/steps.ts';
import { startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';
import { digestStep, pipelineRows } from './support/worker-steps.ts';

// SQLite only: the pipeline steps over HTTP; worker-pipeline.test.ts and worker-process.test.ts run them on both dialects.
describe('pipeline against the simulator', () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 31, programmes: ['asp', 'aumg'], dossiers: { asp: 250, aumg: 120 } });
  });
  afterAll(async () => fx?.close());

  it('a stop mid-sync ends after the committed page, and the next run resumes from its cursor', async () => {
    const db = await fx.openDb();
    const [first, second] = fx.sim.demarches;
    const config = parseConfig(
      { demarches: fx.sim.demarches.map((d) => ({ number: d.number, programme: d.programme, session: { closingDate: '2026-12-31' } })) },
      'test',
    );
    const env = loadEnv({
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: ':memory:',
      DS_ARS_FILES_DIR: fx.filesDir,
    });
    const controller = new AbortController();
    // The operator's SIGTERM, sent once page 2 of the first démarche is committed: the page event
    // is recognised by its fields (démarche, stream, page), never by the wording of its message.
    const destination = createMemoryDestination();
    const write = destination.write.bind(destination);
    destination.write = (chunk: string) => {
      write(chunk);
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        const record = JSON.parse(line) as { demarche?: unknown; stream?: unknown; page?: unknown };
        if (record.demarche === first!.number && record.stream === 'dossiers' && record.page === 2) controller.abort();
      }
    };
    const logger = createLogger({ destination });
    const services: PipelineServices = { db, client: fx.client(), config, env, variable: () => undefined, logger };
    const steps: PipelineStep<DemarcheConfig>[] = [syncStep(services), digestStep()];

    const stopped = await runOnce({ db, logger, demarches: config.demarches, steps, trigger: 'schedule', signal: controller.signal });
    expect(stopped.status).toBe('interrupted');
    expect((await pipelineRows(db)).map((r) => [r.demarche_number, r.step, r.status])).toEqual([[first!.number, 'sync', 'interrupted']]);
    const count = (n: number) =>
      db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('demarche_number', '=', n)
        .executeTakeFirstOrThrow();
    expect(await count(first!.number)).toEqual({ n: 200 });
    expect(await count(second!.number)).toEqual({ n: 0 });
    expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);

    const resumed = await runOnce({ db, logger, demarches: config.demarches, steps, trigger: 'resume' });
    expect(resumed.status).toBe('ok');
    expect(await count(first!.number)).toEqual({ n: visibleNumbers(fx.sim, first!.number).length });
    expect(await count(second!.number)).toEqual({ n: visibleNumbers(fx.sim, second!.number).length });
    const resumedRows = (await pipelineRows(db)).filter((r) => r.run_id === resumed.runId);
    expect(resumedRows.map((r) => [r.demarche_number, r.step, r.status])).toEqual([
      [first!.number, 'sync', 'ok'],
      [second!.number, 'sync', 'ok'],
      [null, 'digest', 'ok'],
    ]);
    // First démarche: only its last page (50 dossiers) is read; pages 1 and 2 are not read again.
    expect(resumedRows[0]?.summary).toContain('1 page, 50 dossiers mis à jour');
  });
});
