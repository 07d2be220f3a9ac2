/**
 * A hostile DS (10 % 5xx, connection resets, timeouts, 429 bursts from a low rate limit) must
 * give the same mirror as a clean run. The client's clock follows the simulator's, so waiting
 * for a rate-limit window costs no real time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../src/sync/sync-runner.ts';
import { dumpMirror, startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';

describe('sync under injected faults', { timeout: 180_000 }, () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 31, programmes: ['asr'], dossiers: { asr: 220 }, rateLimitPerMinute: 6 });
  });
  afterAll(async () => fx?.close());

  it('ends with a mirror identical to a clean run', async () => {
    expect(visibleNumbers(fx.sim, fx.demarche)).toHaveLength(220);
    fx.sim.setFaults({ serverErrorRate: 0.1, resetRate: 0.05, timeoutRate: 0.05 });
    const faulty = await fx.openDb('faulty.sqlite');
    const client = fx.client({ perMinute: 100_000 });
    const report = await runSync({ db: faulty, client }, { demarches: [fx.demarche] });
    expect(report.status).toBe('ok');
    // A second, full pass under the same faults: re-delivery must not double anything either.
    const again = await runSync({ db: faulty, client }, { demarches: [fx.demarche], full: true });
    expect(again.status).toBe('ok');
    const stats = client.stats;
    // The faults really happened, and were absorbed. Which kinds a given run draws depends on
    // request timing, so only their total is asserted, and the 429s the low limit guarantees.
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.serverErrors + stats.networkErrors + stats.timeouts).toBeGreaterThan(0);
    expect(report.results[0]!.retries + again.results[0]!.retries).toBe(stats.retries);

    fx.sim.setFaults({ serverErrorRate: 0, resetRate: 0, timeoutRate: 0 });
    const clean = await fx.openDb('clean.sqlite');
    const cleanClient = fx.client({ perMinute: 100_000 });
    expect((await runSync({ db: clean, client: cleanClient }, { demarches: [fx.demarche] })).status).toBe('ok');
    expect(cleanClient.stats.retries).toBe(cleanClient.stats.rateLimited);

    const faultyMirror = await dumpMirror(faulty);
    expect(faultyMirror['dossiers']).toHaveLength(220);
    expect(faultyMirror).toEqual(await dumpMirror(clean));
  });
});
