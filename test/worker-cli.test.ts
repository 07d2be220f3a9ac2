/**
 * `ds-ars run-once` and `ds-ars worker` through the CLI, against the DS simulator over HTTP, with
 * a configuration file and the environment as in production.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { openDatabase } from '../src/db/database.ts';
import { recordRunFinished, recordRunStarted } from '../src/worker/missed-runs.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';
import { startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';

let fx: SyncFixture;
const saved = { ...process.env };

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: process.env, writeOut: (t) => void out.push(t), writeErr: (t) => void err.push(t) };
  const code = await main(['node', 'ds-ars', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
}

describe.each(dialects)('worker CLI (%s)', (dialect) => {
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 41, programmes: ['asp', 'mgvh'], dossiersPerDemarche: 30 });
    const configPath = join(fx.dir, 'ds-ars.json');
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
        // The night writes the annotations for real.
        worker: { annotate: true },
        output: { dir: join(fx.dir, 'rapports') },
      }),
    );
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: await freshTarget(dialect, 'ds-ars-worker-cli-'),
      DS_ARS_CONFIG: configPath,
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_RATE_LIMIT: '6000',
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });

  afterAll(async () => {
    process.env = { ...saved };
    await fx?.close();
    await dropTestDatabases();
  });

  describe('ds-ars run-once', () => {
    it('runs sync, check, annotate (sent for real), report and digest for every configured démarche, and prints the French table', async () => {
      const result = await run('run-once');
      const db = await openDatabase(process.env.DS_ARS_DB!);
      const rows = await db
        .selectFrom('pipeline_runs')
        .select(['demarche_number', 'step', 'status', 'error_message'])
        .orderBy('id')
        .execute();
      const dossiers = await db
        .selectFrom('dossiers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const workbooks = await db.selectFrom('workbooks').select('demarche_number').execute();
      const sent = await db.selectFrom('mutation_journal').select(['operation', 'status']).execute();
      await db.destroy();

      expect(rows.map((r) => [r.demarche_number, r.step, r.status])).toEqual([
        ...fx.sim.demarches.flatMap((d) => [
          [d.number, 'sync', 'ok'],
          [d.number, 'check', 'ok'],
          [d.number, 'annotate', 'ok'],
          [d.number, 'report', 'ok'],
        ]),
        [null, 'digest', 'ok'],
      ]);
      expect(result.code).toBe(0);
      expect(result.out).toContain('Traitement terminé sans erreur.');
      expect(result.out).toMatch(/Démarche\s+Étape\s+Résultat/);
      expect(dossiers.n).toBe(fx.sim.demarches.reduce((n, d) => n + visibleNumbers(fx.sim, d.number).length, 0));
      expect(workbooks.map((w) => w.demarche_number).sort()).toEqual(fx.sim.demarches.map((d) => d.number).sort());
      expect(sent.length).toBeGreaterThan(0);
      expect(new Set(sent.map((m) => `${m.operation}:${m.status}`))).toEqual(new Set(['modifierAnnotations:sent']));
    });

    it('exits 1 with a French message when another process holds the pipeline', async () => {
      const db = await openDatabase(process.env.DS_ARS_DB!);
      const expires = new Date(Date.now() + 600_000).toISOString();
      await db
        .insertInto('leases')
        .values({ resource: 'pipeline', holder: 'autre-serveur:99:beef0001', acquired_at: new Date().toISOString(), expires_at: expires })
        .execute();
      try {
        const result = await run('run-once');
        expect(result.code).toBe(1);
        expect(result.out).toContain('Rien n’a été fait : un autre processus (worker ou autre run-once) traite déjà les démarches.');
      } finally {
        await db.deleteFrom('leases').execute();
        await db.destroy();
      }
    });

    it('usage and configuration errors exit 2 in French', async () => {
      const unknown = await run('run-once', '--demarche', '999999');
      expect(unknown.code).toBe(2);
      expect(unknown.err).toContain('Démarche 999999 absente du fichier de configuration');
      const schedule = await run('worker', '--schedule', '61 2 * * *');
      expect(schedule.code).toBe(2);
      expect(schedule.err).toContain('Planification « 61 2 * * * » invalide');
    });
  });

  describe('ds-ars worker', () => {
    it('as a process: makes up the missed night at start, then stops cleanly on SIGTERM with exit code 0', async () => {
      const path = await freshTarget(dialect, 'ds-ars-worker-cli-');
      const db = await openDatabase(path);
      const lastNight = new Date(Date.now() - 3 * 86_400_000);
      await recordRunStarted(db, 'pipeline', lastNight);
      await recordRunFinished(db, 'pipeline', 'ok', null, lastNight);
      const child = spawn(process.execPath, ['bin/ds-ars.js', 'worker'], {
        cwd: process.cwd(),
        env: { ...process.env, DS_ARS_DB: path, DS_ARS_LOG_LEVEL: 'info' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        await vi.waitFor(
          async () => {
            const schedule = await db.selectFrom('schedule_runs').select(['last_started_at', 'last_status']).executeTakeFirstOrThrow();
            expect(schedule.last_started_at).not.toBe(lastNight.toISOString());
            expect(schedule.last_status).toBe('ok');
          },
          { timeout: 60_000, interval: 100 },
        );
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      const rows = await db.selectFrom('pipeline_runs').select(['trigger', 'step', 'status']).execute();
      await db.destroy();
      expect(new Set(rows.map((r) => r.trigger))).toEqual(new Set(['missed']));
      expect(rows.every((r) => r.status === 'ok')).toBe(true);
      expect(stderr).toContain('rattrapage immédiat');
      expect(stderr).toContain('Signal SIGTERM reçu');
      expect(stderr).toContain('Worker arrêté proprement.');
      expect(stderr).not.toContain(fx.sim.tokens.readWrite);
    });
  });
});
