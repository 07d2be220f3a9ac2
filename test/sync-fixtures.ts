/**
 * Shared setup of the sync tests: a simulator over HTTP, a real SQLite file in a temp folder,
 * a DS client whose clock and sleeps follow the simulator's clock (so 429 waits and backoffs cost
 * no real time), and a dump of the whole mirror to compare two bases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/db/database.ts';
import type { DialectName } from '../src/db/dialect.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient } from '../src/graphql/client.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../src/simulator/index.ts';
import { createTestDatabase, dropTestDatabases } from './support/postgres.ts';

export interface SyncFixture {
  sim: RunningSimulator;
  demarche: number;
  dir: string;
  filesDir: string;
  openDb(name?: string): Promise<Db>;
  /** The DS_ARS_DB value `openDb(name)` opens: the file in `dir`, or the PostgreSQL URL. */
  dbPath(name?: string): Promise<string>;
  client(options?: { perMinute?: number }): DsClient;
  close(): Promise<void>;
}

/** On 'postgres', each `openDb(name)` is a fresh PostgreSQL database (the same one for the same name). */
export async function startSyncFixture(options: SimulatorOptions, dialect: DialectName = 'sqlite'): Promise<SyncFixture> {
  const sim = await startSimulator(options);
  const demarche = sim.demarches[0]?.number;
  if (demarche === undefined) throw new Error('simulator has no démarche');
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-sync-'));
  const dbs: Db[] = [];
  const urls = new Map<string, string>();
  const now = (): number => sim.store.now().getTime();
  // Waiting moves the simulator's clock instead of the wall clock.
  const sleep = async (ms: number): Promise<void> => {
    sim.store.advanceClock(Math.max(0, ms));
    await new Promise((resolve) => setImmediate(resolve));
  };
  async function dbPath(name = 'mirror.sqlite'): Promise<string> {
    if (dialect !== 'postgres') return join(dir, name);
    if (!urls.has(name)) urls.set(name, await createTestDatabase());
    return urls.get(name)!;
  }
  return {
    sim,
    demarche,
    dir,
    filesDir: join(dir, 'fichiers'),
    dbPath,
    async openDb(name = 'mirror.sqlite') {
      const db = await openDatabase(await dbPath(name));
      dbs.push(db);
      return db;
    },
    client(clientOptions = {}) {
      return new DsClient({
        url: sim.graphqlUrl,
        token: sim.tokens.readWrite,
        budget: new RequestBudget({ perMinute: clientOptions.perMinute ?? 100_000, burst: 1_000, now, sleep }),
        now,
        sleep,
      });
    },
    async close() {
      for (const db of dbs) await db.destroy();
      if (urls.size > 0) await dropTestDatabases();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Everything the mirror holds about dossiers and démarches, minus sync timestamps. */
export async function dumpMirror(db: Db): Promise<Record<string, unknown[]>> {
  return {
    demarches: await db
      .selectFrom('demarches')
      .selectAll()
      .orderBy('number')
      .execute()
      .then((rows) => rows.map(({ fetched_at: _, ...r }) => r)),
    descriptors: await db.selectFrom('descriptors').selectAll().orderBy('revision_id').orderBy('position').execute(),
    groupes: await db.selectFrom('groupes_instructeurs').selectAll().orderBy('id').execute(),
    instructeurs: await db.selectFrom('instructeurs').selectAll().orderBy('groupe_id').orderBy('id').execute(),
    dossiers: await db
      .selectFrom('dossiers')
      .selectAll()
      .orderBy('number')
      .execute()
      .then((rows) => rows.map(({ synced_at: _, ...r }) => r)),
    champs: await db.selectFrom('champs').selectAll().orderBy('dossier_number').orderBy('position').execute(),
    files: await db
      .selectFrom('files')
      .selectAll()
      .orderBy('dossier_number')
      .orderBy('champ_id')
      .orderBy('position')
      .execute()
      .then((rows) => rows.map(({ downloaded_at: _, ...r }) => r)),
    labels: await db.selectFrom('dossier_labels').selectAll().orderBy('dossier_number').orderBy('label_id').execute(),
  };
}

/** Dossiers DS shows the administration: not brouillon, not deleted, not pending deletion. */
export function visibleNumbers(sim: RunningSimulator, demarche: number): number[] {
  return sim.store
    .listDossiers(demarche)
    .filter((d) => d.state !== 'brouillon' && d.deleted === null && d.pendingDeleted === null)
    .map((d) => d.number)
    .sort((a, b) => a - b);
}

/** Counts of GraphQL operations served since `before`. */
export function operationsSince(sim: RunningSimulator, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, count] of Object.entries(sim.stats.byOperation)) {
    const delta = count - (before[op] ?? 0);
    if (delta > 0) out[op] = delta;
  }
  return out;
}
