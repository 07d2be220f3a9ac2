/**
 * `ds-ars sauvegarde` (#14 case 5), with real processes and real files: a backup taken while a
 * sync writes is a sound, consistent copy (whole pages only); an existing file is refused unless
 * --remplacer; the file is 0600. And a restored older backup sends nothing twice: the executor
 * re-reads each dossier in DS before sending (docs/DEPLOIEMENT.md, « Restaurer »).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPushbackWorld, type PushbackWorld, writeCliConfig } from './support/pushback-world.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';

function cli(args: string[], env: NodeJS.ProcessEnv): { exited: Promise<{ code: number | null; out: string; err: string }> } {
  const child = spawn(process.execPath, ['bin/ds-ars.js', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, DS_ARS_LOG_LEVEL: 'silent', DS_ARS_RATE_LIMIT: '6000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { exited: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err }))) };
}

// SQLite only: `ds-ars sauvegarde` copies a SQLite file page by page; on PostgreSQL it prints the pg_dump command instead.
describe('ds-ars sauvegarde while a sync writes', { timeout: 180_000 }, () => {
  let fx: SyncFixture;
  beforeAll(async () => {
    // Five pages of 100 dossiers: once one is written, DS is made very slow so the sync is still
    // under way, whatever the machine's load, while `sauvegarde` starts and copies.
    fx = await startSyncFixture({ seed: 42, programmes: ['asp'], dossiers: { asp: 450 }, faults: { latencyMs: 300 } });
  });
  afterAll(async () => fx?.close());

  it('is a sound copy with whole pages only, 0600; an existing file is refused unless --remplacer', async () => {
    const path = join(fx.dir, 'vivante.sqlite');
    const env = { DS_API_URL: fx.sim.graphqlUrl, DS_API_TOKEN: fx.sim.tokens.readWrite, DS_ARS_DB: path, DS_ARS_CONFIG: '' };
    const sync = cli(['sync', '--demarche', String(fx.demarche)], env);
    const db = await fx.openDb('vivante.sqlite');
    const committed = async () => (await db.selectFrom('sync_runs').select('pages').orderBy('id', 'desc').executeTakeFirst())?.pages ?? 0;
    await vi.waitFor(async () => expect(await committed()).toBeGreaterThanOrEqual(1), { timeout: 60_000, interval: 20 });
    fx.sim.setFaults({ latencyMs: 20_000 });

    const target = join(fx.dir, 'sauvegarde.sqlite');
    const backup = await cli(['sauvegarde', target], env).exited;
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.out).toContain('Sauvegarde écrite');
    expect(statSync(target).mode & 0o777).toBe(0o600);

    const copy = new SQLite(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const dossiers = (copy.prepare('select count(*) as n from dossiers').get() as { n: number }).n;
      const run = copy.prepare('select status, pages, upserted from sync_runs order by id desc limit 1').get() as {
        status: string;
        pages: number;
        upserted: number;
      };
      expect(run.status).toBe('running'); // taken while the sync was writing
      // A page is written with its run counters in one transaction: the copy holds whole pages.
      expect(run.pages).toBeGreaterThanOrEqual(1);
      expect(run.pages).toBeLessThan(5);
      expect(dossiers).toBe(run.pages * 100);
      expect(run.upserted).toBe(dossiers);
    } finally {
      copy.close();
    }

    const before = readFileSync(target);
    const again = await cli(['sauvegarde', target], env).exited;
    expect(again.code).toBe(2);
    expect(again.err).toContain('existe déjà');
    expect(again.err).toContain('--remplacer');
    expect(readFileSync(target).equals(before)).toBe(true);

    fx.sim.setFaults({ latencyMs: 0 });
    expect((await sync.exited).code).toBe(0);
    const replaced = await cli(['--json', 'sauvegarde', '--remplacer', target], env).exited;
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.out)).toMatchObject({ dossiers: 450 });
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
});

describe('restoring an older backup', { timeout: 180_000 }, () => {
  let w: PushbackWorld;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 19, dossiers: 8 });
    for (const n of await w.numbers()) await w.evaluate(n, { complet: n % 2 === 0, eligible: n % 2 === 0 ? 'oui' : 'non' });
    const configPath = writeCliConfig(w);
    env = { DS_API_URL: w.sim.graphqlUrl, DS_API_TOKEN: w.sim.tokens.readWrite, DS_ARS_DB: w.dbPath, DS_ARS_CONFIG: configPath };
  });
  afterAll(async () => w?.close());

  it('a damaged base: no backup written, French « endommagée » with the remedy in a few lines, exit 2', async () => {
    const damaged = join(w.dir, 'abimee.sqlite');
    const source = new SQLite(w.dbPath, { readonly: true });
    await source.backup(damaged);
    source.close();
    const bytes = new SQLite(damaged);
    const pageSize = Number(bytes.pragma('page_size', { simple: true }));
    const root = (
      bytes.prepare("select rootpage from sqlite_master where type = 'table' and name = 'dossiers'").get() as { rootpage: number }
    ).rootpage;
    bytes.close();
    const { openSync, writeSync, closeSync, existsSync } = await import('node:fs');
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);
    const target = join(w.dir, 'sauvegarde-de-abimee.sqlite');
    const run = await cli(['sauvegarde', target], { ...env, DS_ARS_DB: damaged }).exited;
    expect(run.code).toBe(2);
    expect(run.err).toContain(`La base SQLite « ${damaged} » est endommagée`);
    expect(run.err).toContain('Aucune sauvegarde n’a été écrite');
    expect(run.err).toContain('restaurez la dernière sauvegarde');
    // SQLite's own report is cut: the message stays readable.
    expect(run.err.length).toBeLessThan(700);
    expect(existsSync(target)).toBe(false);
  });

  it('a folder, an empty name or a full disk as the target: said of the backup (never « DS_ARS_DB »), exit 2, nothing left behind', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync, readdirSync } = await import('node:fs');
    const folder = join(w.dir, 'sauvegardes');
    mkdirSync(folder);
    // Before: « existe déjà », then with --remplacer « La base SQLite … vérifiez que DS_ARS_DB désigne un fichier ».
    for (const args of [
      ['sauvegarde', folder],
      ['sauvegarde', '--remplacer', folder],
    ]) {
      const run = await cli(args, env).exited;
      expect(run.code).toBe(2);
      expect(run.err).toContain(
        `« ${folder} » est un dossier : indiquez le fichier de la sauvegarde dans ce dossier, par exemple « ${join(folder, 'ds-ars.sqlite')} »`,
      );
    }
    const empty = await cli(['sauvegarde', ''], env).exited;
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('Indiquez le fichier de la sauvegarde');
    expect(readdirSync(folder)).toEqual([]);

    // A full disk (a small tmpfs; needs root to mount): the backup's own message, not the base's.
    if (process.getuid?.() !== 0) return;
    const small = join(w.dir, 'petit-disque');
    mkdirSync(small);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small], { stdio: 'ignore' });
    } catch {
      return;
    }
    try {
      const run = await cli(['sauvegarde', join(small, 'copie.sqlite')], env).exited;
      expect(run.code).toBe(2);
      expect(run.err).toContain(
        `Sauvegarde impossible vers « ${join(small, 'copie.sqlite')} » : disque plein ou quota atteint sur « ${small} »`,
      );
      expect(run.err).toContain('Aucun fichier de sauvegarde n’a été laissé et la base n’a pas été modifiée');
      expect(run.err).not.toContain('DS_ARS_DB');
      expect(readdirSync(small)).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('loses the journal entries written after it, yet annotate --apply sends nothing twice', async () => {
    const backup = join(w.dir, 'avant-envoi.sqlite');
    expect((await cli(['sauvegarde', backup], env).exited).code).toBe(0);

    const first = await cli(['--json', 'annotate', '--apply'], env).exited;
    expect(first.code).toBe(0);
    const [sent] = JSON.parse(first.out) as { outcomes: Record<string, number> }[];
    const numbers = await w.numbers();
    expect(sent!.outcomes.sent).toBe(numbers.length);
    const mutations = w.mutations('dossierModifierAnnotations').length;

    // Restore as docs/DEPLOIEMENT.md says: no process on the base, the file replaced, its -wal/-shm removed.
    await w.db.destroy();
    copyFileSync(backup, w.dbPath);
    rmSync(`${w.dbPath}-wal`, { force: true });
    rmSync(`${w.dbPath}-shm`, { force: true });
    const restored = new SQLite(w.dbPath, { readonly: true });
    expect(restored.prepare('select count(*) as n from mutation_journal').get()).toEqual({ n: 0 });
    restored.close();

    const rerun = await cli(['--json', 'annotate', '--apply'], env).exited;
    expect(rerun.err).toBe('');
    expect(rerun.code).toBe(0);
    const [second] = JSON.parse(rerun.out) as { outcomes: Record<string, number>; items: { status: string }[] }[];
    // Same plan (the restored mirror still shows the old values), each item re-read in DS first.
    expect(second!.items).toHaveLength(numbers.length);
    expect(second!.outcomes.sent).toBe(0);
    expect(second!.outcomes.alreadyDone).toBe(numbers.length);
    expect(w.mutations('dossierModifierAnnotations').length).toBe(mutations);
  });
});

describe('ds-ars sauvegarde on PostgreSQL', () => {
  it('exits 2 and gives the pg_dump command for this database and file, without the password', async () => {
    const url = 'postgres://ds_ars:mot-de-passe-secret@pg.interne:5432/ds_ars_idf';
    const { code, out, err } = await cli(['sauvegarde', '/var/backups/ds-ars/idf.dump'], { DS_ARS_DB: url, DS_ARS_CONFIG: '' }).exited;
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('La base est sur PostgreSQL');
    expect(err).toContain(
      "« pg_dump --format=custom --dbname='postgres://ds_ars@pg.interne:5432/ds_ars_idf' --file='/var/backups/ds-ars/idf.dump' »",
    );
    expect(err).toContain('PGPASSWORD');
    expect(err).not.toContain('mot-de-passe-secret');
  });
});
