/**
 * Leases across real processes, through the CLI, against the DS simulator over HTTP: a worker
 * killed with -9 is taken over at once by the next one, a démarche busy in another process is
 * retried within the same run, and `ds-ars verrous` lists and releases leases.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.ts';
import { acquireLease, readLease } from '../src/worker/lease.ts';
import { recordRunFinished, recordRunStarted } from '../src/worker/missed-runs.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { parisMinute } from './support/paris-clock.ts';

let fx: SyncFixture;
let configPath: string;
const children: ChildProcess[] = [];
const opened: Db[] = [];

interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  out: () => string;
  err: () => string;
}

function start(args: string[], dbPath: string, extraEnv: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: dbPath,
      DS_ARS_CONFIG: configPath,
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_RATE_LIMIT: '6000',
      DS_ARS_LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, out: () => out, err: () => err };
}

const dsArs = (args: string[], dbPath: string) => start(['bin/ds-ars.js', ...args], dbPath);

async function open(path: string): Promise<Db> {
  const db = await openDatabase(path);
  opened.push(db);
  return db;
}

beforeAll(async () => {
  fx = await startSyncFixture({ seed: 14, programmes: ['asp', 'mgvh'], dossiersPerDemarche: 20 });
  configPath = join(fx.dir, 'ds-ars.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      demarches: fx.sim.demarches.map((d) => ({
        number: d.number,
        programme: d.programme,
        instructeurEmail: d.instructeurEmails[0],
        session: { closingDate: '2026-12-31' },
        annotations: { synthese: { label: 'Contrôle automatique – synthèse' }, eligibilite: { label: 'Éligibilité' } },
      })),
      // Leases far from expiring: only a dead holder or a release frees them. Busy démarches retried every second.
      worker: { leaseMinutes: 60, busyRetryEverySeconds: 1, busyRetryMinutes: 10 },
      output: { dir: join(fx.dir, 'rapports') },
    }),
  );
});

afterEach(async () => {
  fx.sim.setFaults({ latencyMs: 0 });
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  while (opened.length > 0) await opened.pop()?.destroy();
});

afterAll(async () => {
  await fx?.close();
  await dropTestDatabases();
});

// SQLite only, for the suite's time (~6 s more): worker-process.test.ts kills workers with -9 and runs two at once on both dialects.
describe('a crash does not lose the night', () => {
  it('a worker killed with -9 mid-sync: the restarted worker takes its leases over at once and completes the night', {
    timeout: 180_000,
  }, async () => {
    const path = join(fx.dir, 'crash.sqlite');
    const db = await open(path);
    const lastNight = new Date(Date.now() - 3 * 86_400_000);
    await recordRunStarted(db, 'pipeline', lastNight);
    await recordRunFinished(db, 'pipeline', 'ok', null, lastNight);
    // A slow DS, so the kill lands mid-sync.
    fx.sim.setFaults({ latencyMs: 200 });
    const first = dsArs(['worker'], path);
    const firstDemarche = fx.sim.demarches[0]!.number;
    await vi.waitFor(async () => expect((await readLease(db, `demarche:${firstDemarche}`))?.holder).toContain(`:${first.child.pid}:`), {
      timeout: 60_000,
      interval: 50,
    });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect((await db.selectFrom('schedule_runs').select('last_status').executeTakeFirstOrThrow()).last_status).toBe('running');
    fx.sim.setFaults({ latencyMs: 0 });

    const second = dsArs(['worker'], path);
    await vi.waitFor(
      async () => expect((await db.selectFrom('schedule_runs').select('last_status').executeTakeFirstOrThrow()).last_status).toBe('ok'),
      { timeout: 120_000, interval: 200 },
    );
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    expect(second.err()).toContain('reprise immédiate');
    expect(second.err()).toContain(
      `Verrou « pipeline » repris immédiatement : le processus ${first.child.pid} qui le détenait sur cette machine n’existe plus`,
    );
    expect(second.err()).not.toContain('ce passage est ignoré');
    const rows = await db
      .selectFrom('pipeline_runs')
      .select(['trigger', 'demarche_number', 'step', 'status'])
      .where('trigger', '=', 'resume')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.demarche_number, r.step, r.status])).toEqual([
      ...fx.sim.demarches.flatMap((d) => [
        [d.number, 'sync', 'ok'],
        [d.number, 'check', 'ok'],
        [d.number, 'report', 'ok'],
      ]),
      [null, 'digest', 'ok'],
    ]);
    expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);
  });

  it('status says « interrompue », never « en cours », for a sync killed with -9 (while a live one stays « en cours »)', {
    timeout: 120_000,
  }, async () => {
    const path = join(fx.dir, 'status-after-crash.sqlite');
    const db = await open(path);
    const demarche = fx.sim.demarches[0]!.number;
    // A slow DS (each answer 1.5 s), so the sync is still going when status looks, then when it is killed.
    fx.sim.setFaults({ latencyMs: 1500 });
    const sync = dsArs(['sync', '--demarche', String(demarche)], path);
    const runStatus = async () => {
      const status = dsArs(['--json', 'status'], path);
      expect((await status.exited).code).toBe(0);
      return (JSON.parse(status.out()) as Array<{ demarche: number; lastRun: { status: string } | null }>).find(
        (s) => s.demarche === demarche,
      )?.lastRun?.status;
    };
    await vi.waitFor(
      async () =>
        expect((await db.selectFrom('sync_runs').select('status').where('demarche_number', '=', demarche).executeTakeFirst())?.status).toBe(
          'running',
        ),
      { timeout: 60_000, interval: 50 },
    );
    await vi.waitFor(async () => expect((await readLease(db, `demarche:${demarche}`))?.holder).toContain(`:${sync.child.pid}:`), {
      timeout: 60_000,
      interval: 50,
    });
    expect(await runStatus()).toBe('running');
    sync.child.kill('SIGKILL');
    expect((await sync.exited).signal).toBe('SIGKILL');
    fx.sim.setFaults({ latencyMs: 0 });
    // The row still says « running » (nobody was left to end it), and the lease names a dead process.
    expect((await db.selectFrom('sync_runs').select('status').where('demarche_number', '=', demarche).executeTakeFirst())?.status).toBe(
      'running',
    );
    expect(await runStatus()).toBe('interrupted');
    const text = dsArs(['status'], path);
    expect((await text.exited).code).toBe(0);
    expect(text.out()).toMatch(new RegExp(`${demarche}.*interrompue, `));
    expect(text.out()).not.toContain('en cours');
  });

  it('a démarche busy in another live process is retried in the same run and goes through once released', {
    timeout: 180_000,
  }, async () => {
    const path = join(fx.dir, 'busy.sqlite');
    const db = await open(path);
    const busyDemarche = fx.sim.demarches[0]!.number;
    const holder = start(['--import', 'tsx', 'test/support/lease-holder-child.ts', path, String(busyDemarche), '60000'], path);
    await vi.waitFor(() => expect(holder.out()).toContain('verrou tenu'), { timeout: 30_000, interval: 50 });

    const run = dsArs(['run-once'], path);
    await vi.waitFor(
      () => expect(run.err()).toContain(`Démarche ${busyDemarche} occupée par un autre processus : nouvelle tentative dans 1 s`),
      { timeout: 120_000, interval: 100 },
    );
    // The other démarche is done meanwhile; this one waits for its holder.
    expect(run.child.exitCode).toBeNull();
    holder.child.kill('SIGTERM');
    expect((await holder.exited).code).toBe(0);
    const done = await run.exited;

    expect(run.err()).not.toContain(fx.sim.tokens.readWrite);
    expect(done.code).toBe(0);
    expect(run.out()).toContain('Traitement terminé sans erreur.');
    const rows = await db
      .selectFrom('pipeline_runs')
      .select(['demarche_number', 'step', 'status'])
      .where('demarche_number', '=', busyDemarche)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.step, r.status])).toEqual([
      ['sync', 'ok'],
      ['check', 'ok'],
      ['report', 'ok'],
    ]);
  });
});

describe.each(dialects)('ds-ars verrous (%s)', (dialect) => {
  it('lists the leases with their holder’s host, process and whether it runs, and releases one only when confirmed', {
    timeout: 120_000,
  }, async () => {
    const path = await freshTarget(dialect, 'ds-ars-verrous-');
    const db = await open(path);
    const [first, second] = fx.sim.demarches.map((d) => d.number) as [number, number];
    const holder = start(['--import', 'tsx', 'test/support/lease-holder-child.ts', path, String(first), '60000'], path);
    await vi.waitFor(() => expect(holder.out()).toContain('verrou tenu'), { timeout: 30_000, interval: 50 });
    const gone = start(['-e', ''], path);
    await gone.exited;
    await acquireLease(db, `demarche:${second}`, `${hostname()}:${gone.child.pid}:0badf00d`, 3_600_000);

    const listed = dsArs(['verrous', '--json'], path);
    expect((await listed.exited).code).toBe(0);
    const leases = JSON.parse(listed.out()) as {
      demarche: number;
      host: string;
      pid: number;
      process: string;
      since: string;
      expiresAt: string;
    }[];
    expect(leases.map((l) => [l.demarche, l.host, l.pid, l.process])).toEqual(
      [
        [first, hostname(), holder.child.pid, 'alive'],
        [second, hostname(), gone.child.pid, 'dead'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    const table = dsArs(['verrous'], path);
    expect((await table.exited).code).toBe(0);
    expect(table.out()).toMatch(/Verrou\s+Machine\s+Processus\s+État du processus\s+Depuis\s+Expire/);
    expect(table.out()).toContain(`démarche ${second}`);
    expect(table.out()).toContain('arrêté');
    expect(table.out()).toContain('en cours');
    // Times a person reads are Paris wall-clock times, not ISO instants in UTC.
    const secondLease = leases.find((l) => l.demarche === second)!;
    expect(table.out()).toContain(parisMinute(secondLease.since));
    expect(table.out()).toContain(parisMinute(secondLease.expiresAt));
    expect(table.out()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);

    // A manual command meets the live holder's lease: it names the démarche, says the expiry in Paris time and the way out.
    const busy = dsArs(['sync', '--demarche', String(first)], path);
    expect((await busy.exited).code).toBe(1);
    const firstLease = leases.find((l) => l.demarche === first)!;
    expect(busy.err()).toContain(`La démarche ${first} est déjà en cours de traitement par ${hostname()}:${holder.child.pid}:`);
    expect(busy.err()).toContain(`échéance du verrou : ${parisMinute(firstLease.expiresAt).slice(0, 13)}`);
    expect(busy.err()).toContain(`« ds-ars verrous liberer ${first} »`);
    expect(busy.err()).not.toMatch(/jusqu’à \d{4}-\d\d-\d\dT/);

    // On a terminal (util-linux `script`), the question names the holder and since when, in Paris time; a wrong answer releases nothing.
    const asked = spawnSync('script', ['-qec', `${process.execPath} bin/ds-ars.js verrous liberer ${second}`, '/dev/null'], {
      input: '1\n',
      encoding: 'utf8',
      env: { ...process.env, DS_ARS_DB: path, DS_ARS_CONFIG: configPath },
      timeout: 60_000,
    });
    expect(asked.status).toBe(2);
    expect(asked.stdout).toContain(`depuis le ${parisMinute(secondLease.since)} (arrêté)`);
    expect(await readLease(db, `demarche:${second}`)).toBeDefined();

    // No terminal and no --oui: refused, exit 2, nothing released.
    const refused = dsArs(['verrous', 'liberer', String(second)], path);
    expect((await refused.exited).code).toBe(2);
    expect(refused.err()).toContain('--oui');
    expect(await readLease(db, `demarche:${second}`)).toBeDefined();

    const released = dsArs(['verrous', 'liberer', String(second), '--oui'], path);
    expect((await released.exited).code).toBe(0);
    expect(released.out()).toContain(`Verrou « demarche:${second} » libéré`);
    expect(await readLease(db, `demarche:${second}`)).toBeUndefined();
    expect((await readLease(db, `demarche:${first}`))?.holder).toContain(`:${holder.child.pid}:`);

    const usage = dsArs(['verrous', 'liberer', 'abc', '--oui'], path);
    expect((await usage.exited).code).toBe(2);
    expect(usage.err()).toContain('« abc » n’est ni un numéro de démarche ni « traitement »');
  });
});
