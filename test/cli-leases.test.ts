/** Manual commands that write take the démarche's lease: they refuse to run beside a worker. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { capture } from './support/cli-capture.ts';
import { openDatabase } from '../src/db/database.ts';
import { acquireLease, demarcheResource, readLease } from '../src/worker/lease.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';

const saved = { ...process.env };
let fx: SyncFixture;
let target: string;

describe.each(dialects)('command leases (%s)', (dialect) => {
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 5, programmes: ['asp'], dossiers: { asp: 10 } });
    target = await freshTarget(dialect, 'ds-ars-leases-');
    delete process.env['DS_ARS_CONFIG'];
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: target,
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    await fx?.close();
    await dropTestDatabases();
  });
  afterEach(() => {
    process.env = { ...saved, ...process.env };
  });

  it('sync refuses a démarche whose lease a worker holds, then works once it is released', async () => {
    const db = await openDatabase(target);
    try {
      expect(await acquireLease(db, demarcheResource(fx.demarche), 'worker-de-nuit', 60_000)).toBe(true);
      const busy = capture();
      expect(await main(['node', 'ds-ars', 'sync', '--demarche', String(fx.demarche)], busy)).toBe(1);
      expect(busy.err()).toMatch(/verrou|occupé|en cours/i);
      expect(await db.selectFrom('dossiers').select('number').execute()).toEqual([]);
      // The worker's lease is untouched by the refused command.
      expect((await readLease(db, demarcheResource(fx.demarche)))?.holder).toBe('worker-de-nuit');

      await db.deleteFrom('leases').execute();
      const io = capture();
      expect(await main(['node', 'ds-ars', 'sync', '--demarche', String(fx.demarche)], io)).toBe(0);
      expect((await db.selectFrom('dossiers').select('number').execute()).length).toBe(10);
      expect(await readLease(db, demarcheResource(fx.demarche))).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });

  it('a manual sync holds its lease for worker.leaseMinutes from the configuration, not a fixed half hour', async () => {
    const configPath = join(fx.dir, 'ds-ars.json');
    const d = fx.sim.demarches[0]!;
    writeFileSync(
      configPath,
      JSON.stringify({
        demarches: [
          { number: d.number, programme: d.programme, instructeurEmail: d.instructeurEmails[0], session: { closingDate: '2026-12-31' } },
        ],
        worker: { leaseMinutes: 2 },
      }),
    );
    const path = await freshTarget(dialect, 'ds-ars-leases-');
    process.env['DS_ARS_DB'] = path;
    process.env['DS_ARS_CONFIG'] = configPath;
    const db = await openDatabase(path);
    // A slow DS: the lease is there long enough to be read.
    fx.sim.setFaults({ latencyMs: 300 });
    try {
      const seen: { acquired_at: string; expires_at: string }[] = [];
      const sync = main(['node', 'ds-ars', 'sync', '--demarche', String(d.number)], capture());
      while (seen.length === 0) {
        seen.push(...(await db.selectFrom('leases').select(['acquired_at', 'expires_at']).execute()));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await sync).toBe(0);
      expect(Date.parse(seen[0]!.expires_at) - Date.parse(seen[0]!.acquired_at)).toBe(2 * 60_000);
    } finally {
      fx.sim.setFaults({ latencyMs: 0 });
      delete process.env['DS_ARS_CONFIG'];
      await db.destroy();
    }
  });
});
