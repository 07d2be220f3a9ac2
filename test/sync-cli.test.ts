/** `ds-ars sync` and `ds-ars status` end to end: French output, --json, exit codes 0 / 1 / 2. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { createTestDatabase, dialects, dropTestDatabases, postgresSkipReason } from './support/postgres.ts';
import { parisMinute } from './support/paris-clock.ts';

const saved = { ...process.env };

describe.each(dialects)('ds-ars sync / status (%s)', (dialect) => {
  let fx: SyncFixture;
  let target: string;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 41, programmes: ['asap'], dossiers: { asap: 40 } });
    target = dialect === 'sqlite' ? join(fx.dir, 'cli.sqlite') : await createTestDatabase();
  });
  afterAll(async () => fx?.close());
  beforeEach(() => {
    process.env = { ...saved };
    delete process.env['DS_ARS_CONFIG'];
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: target,
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('syncs the démarches given on the command line, without a config file, and prints JSON', async () => {
    const io = capture();
    expect(await main(argv('--json', 'sync', '--demarche', String(fx.demarche)), io)).toBe(0);
    const report = JSON.parse(io.out()) as { status: string; results: Array<{ demarche: number; upserted: number; mode: string }> };
    expect(report.status).toBe('ok');
    expect(report.results).toEqual([expect.objectContaining({ demarche: fx.demarche, upserted: 40, mode: 'full' })]);
  });

  it('syncs with --demarche before init has written the DS_ARS_CONFIG file (issue #16 § 3)', async () => {
    process.env['DS_ARS_CONFIG'] = join(fx.dir, 'pas-encore-ecrit.yaml');
    const io = capture();
    expect(await main(argv('--json', 'sync', '--demarche', String(fx.demarche)), io), io.err()).toBe(0);
    expect((JSON.parse(io.out()) as { status: string }).status).toBe('ok');
    const explicit = capture();
    expect(await main(argv('--config', join(fx.dir, 'absent.yaml'), 'sync', '--demarche', String(fx.demarche)), explicit)).toBe(2);
  });

  it('prints a French table, then the status per démarche', async () => {
    const sync = capture();
    expect(await main(argv('sync', '-d', String(fx.demarche)), sync)).toBe(0);
    expect(sync.out()).toMatch(/Démarche\s+Mode\s+Résultat/);
    expect(sync.out()).toMatch(new RegExp(`${fx.demarche}\\s+incrémentale\\s+ok`));

    const status = capture();
    expect(await main(argv('status'), status)).toBe(0);
    expect(status.out()).toMatch(/Démarche\s+Dossiers\s+Par état/);
    expect(status.out()).toContain(String(fx.demarche));
    expect(status.out()).toContain(dialect === 'sqlite' ? `Base : SQLite ${target}` : `Base : PostgreSQL ${target}`);

    const json = capture();
    expect(await main(argv('status', '--json'), json)).toBe(0);
    const [row] = JSON.parse(json.out()) as Array<{
      demarche: number;
      live: number;
      deleted: number;
      lastRun: { status: string };
      lastError: string | null;
    }>;
    expect(row).toMatchObject({ demarche: fx.demarche, live: 40, deleted: 0, lastRun: { status: 'ok' }, lastError: null });
    // The person reads the last sync in Paris time (« 07/12/2026 05:23 », the one format of issue #15), --json keeps the ISO instant.
    const ended = (row!.lastRun as unknown as { ended_at: string }).ended_at;
    expect(status.out()).toContain(`ok, ${parisMinute(ended)}`);
    expect(status.out()).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  });

  it('exits 1 when a démarche fails, and names it', async () => {
    fx.sim.store.editDossier(fx.sim.store.listDossiers(fx.demarche).find((d) => d.state === 'en_construction')!.number);
    fx.sim.setFaults({ malformedNextAnswers: 1 });
    const io = capture();
    expect(await main(argv('sync', '--demarche', String(fx.demarche)), io)).toBe(1);
    expect(io.err()).toContain(`Terminé avec des erreurs : synchronisation incomplète pour la ou les démarches ${fx.demarche}`);
    expect(io.out()).toContain('échec');
    const status = capture();
    await main(argv('status'), status);
    expect(status.out()).toContain(`Démarche ${fx.demarche}, dernière erreur : Réponse de DS inattendue`);
  });

  it('exits 2 on usage errors: no démarche at all, or a number that is not one', async () => {
    const none = capture();
    expect(await main(argv('sync'), none)).toBe(2);
    expect(none.err()).toContain('Aucune démarche à synchroniser');
    const bad = capture();
    expect(await main(argv('sync', '--demarche', 'abc'), bad)).toBe(2);
    expect(bad.err()).toContain('numéro de démarche');
  });

  it('explains the incremental mode and the labels pass in --help', async () => {
    const io = capture();
    expect(await main(argv('sync', '--help'), io)).toBe(0);
    expect(io.out()).toContain('--labels');
    expect(io.out()).toContain('sync.labelsEveryHours');
  });
});

describe('ds-ars sync, stopped with Ctrl-C', { timeout: 120_000 }, () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    // Five pages, each slowed down: the process is stopped between two of them.
    fx = await startSyncFixture({ seed: 42, programmes: ['asp'], dossiers: { asp: 450 }, faults: { latencyMs: 300 } });
  });
  afterAll(async () => fx?.close());

  it('finishes the page being written, exits 1 saying it was interrupted; the next run resumes and completes', async () => {
    const path = join(fx.dir, 'stopped.sqlite');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: path,
      DS_ARS_LOG_LEVEL: 'silent',
    };
    delete env['DS_ARS_CONFIG'];
    const child = spawn(process.execPath, ['bin/ds-ars.js', 'sync', '--demarche', String(fx.demarche)], {
      cwd: process.cwd(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const db = await fx.openDb('stopped.sqlite');
    const committed = async () => (await db.selectFrom('sync_runs').select('pages').orderBy('id', 'desc').executeTakeFirst())?.pages ?? 0;
    await vi.waitFor(async () => expect(await committed()).toBeGreaterThanOrEqual(1), { timeout: 60_000, interval: 20 });
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toContain('synchronisation interrompue à la demande');
    const [run] = await db.selectFrom('sync_runs').selectAll().orderBy('id', 'desc').execute();
    expect(run).toMatchObject({ status: 'interrupted', error_message: null });
    expect(run!.pages).toBeLessThan(5);

    fx.sim.setFaults({ latencyMs: 0 });
    process.env = { ...env };
    try {
      expect(await main(argv('--json', 'sync', '--demarche', String(fx.demarche)), capture())).toBe(0);
    } finally {
      process.env = saved;
    }
    const count = await db
      .selectFrom('dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(450);
  });
});

describe.skipIf(postgresSkipReason !== undefined)('ds-ars sync / status on PostgreSQL', { timeout: 120_000 }, () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 41, programmes: ['asap'], dossiers: { asap: 40 } });
  });
  afterAll(async () => {
    await fx?.close();
    await dropTestDatabases();
  });

  it('a real process syncs into the database of DS_ARS_DB=postgres://…; status names it without the password', async () => {
    // The test server trusts loopback: the password is ignored by it, but must never be shown.
    const url = new URL(await createTestDatabase());
    url.username = 'postgres';
    url.password = 'mot-de-passe-secret';
    const env = {
      ...process.env,
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: url.toString(),
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_LOG_LEVEL: 'info',
      DS_ARS_CONFIG: '',
    };
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/ds-ars.js', ...args], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const sync = await run('sync', '--demarche', String(fx.demarche));
    expect(sync.code, sync.err).toBe(0);
    expect(sync.out).toMatch(new RegExp(`${fx.demarche}\\s+complète\\s+ok`));
    const status = await run('status');
    expect(status.code, status.err).toBe(0);
    expect(status.out).toContain(`Base : PostgreSQL postgres://postgres:***@${url.host}${url.pathname}`);
    expect(status.out).toMatch(new RegExp(`${fx.demarche}\\s+40\\s`));
    for (const text of [sync.out, sync.err, status.out, status.err]) expect(text).not.toContain('mot-de-passe-secret');
  });
});
