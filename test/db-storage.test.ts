/**
 * Storage errors (#14 case 4), with real `ds-ars` processes and real SQLite files: French
 * messages with the remedy and exit 2; a database this account may not write still serves the
 * read-only commands (the process runs as `nobody`, like an ARS account the admin gave read
 * access); only `sync` creates a database; an existing file keeps the mode an admin gave it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.ts';
import { createPushbackWorld, type PushbackWorld, writeCliConfig } from './support/pushback-world.ts';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv, options: { uid?: number } = {}): Promise<Run> {
  const child = spawn(process.execPath, [join(process.cwd(), 'bin/ds-ars.js'), ...args], {
    cwd: process.cwd(),
    env: { ...process.env, DS_ARS_LOG_LEVEL: 'silent', DS_ARS_RATE_LIMIT: '6000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

let w: PushbackWorld;
let env: NodeJS.ProcessEnv;
let scratch: string;

beforeAll(async () => {
  w = await createPushbackWorld({ seed: 31, dossiers: 6 });
  for (const n of await w.numbers()) await w.evaluate(n, { complet: n % 2 === 0, eligible: n % 2 === 0 ? 'oui' : 'non' });
  const configPath = writeCliConfig(w);
  env = { DS_API_URL: w.sim.graphqlUrl, DS_API_TOKEN: w.sim.tokens.readWrite, DS_ARS_CONFIG: configPath };
  scratch = mkdtempSync(join(tmpdir(), 'ds-ars-storage-'));
  chmodSync(scratch, 0o755);
});
afterAll(async () => {
  await w?.close();
  rmSync(scratch, { recursive: true, force: true });
});

// SQLite only: file permissions, missing folders and damaged files of a SQLite database; a PostgreSQL server reports its own.
describe('a database that does not exist', { timeout: 60_000 }, () => {
  it('a mistyped DS_ARS_DB: « base introuvable », exit 2, no folder and no file created', async () => {
    const typo = join(scratch, 'varr', 'ds-ars.sqlite');
    // Every command but sync, init and the worker: dossier-jury used to create an empty base and
    // write a PDF of 0 candidats, exit 0.
    const commands = [
      ['status'],
      ['journal'],
      ['annotate'],
      ['instruire'],
      ['check'],
      ['report', '--out', join(scratch, 'rapports-typo')],
      ['dossier-jury', '--out', join(scratch, 'rapports-typo')],
      ['purge', '--before', '2024-01-01'],
      ['verrous'],
      ['sauvegarde', join(scratch, 'copie-typo.sqlite')],
    ];
    for (const args of commands) {
      const run = await cli(args, { ...env, DS_ARS_DB: typo });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain(`Base introuvable : ${typo}`);
      expect(run.err).toContain('ds-ars sync');
      // « ds-ars init » reads the form from DS and creates no base: it is not the way out.
      expect(run.err).not.toContain('ds-ars init');
    }
    expect(existsSync(join(scratch, 'varr'))).toBe(false);
    expect(existsSync(join(scratch, 'rapports-typo'))).toBe(false);
  });

  it('DS_ARS_DB naming another application’s SQLite base: refused (exit 2), nothing written to it', async () => {
    // Before: status wrote ds-ars's thirty tables into it, switched it to WAL, and said « Aucune démarche synchronisée », exit 0.
    const foreign = join(scratch, 'autre-application.db');
    const other = new SQLite(foreign);
    other.exec("create table users (id integer primary key, name text); insert into users values (1, 'a');");
    other.close();
    for (const args of [['status'], ['sync', '--demarche', String(w.demarche.number)], ['migrate']]) {
      const run = await cli(args, { ...env, DS_ARS_DB: foreign });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain(`« ${foreign} » est une base SQLite, mais pas celle de ds-ars (tables « users ») : rien n’y a été écrit.`);
      expect(run.err).toContain('Vérifiez DS_ARS_DB');
    }
    const after = new SQLite(foreign, { readonly: true });
    expect(after.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([{ name: 'users' }]);
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('sync creates it, mode 0600, in a folder it creates 0700', async () => {
    const fresh = join(scratch, 'neuf', 'ds-ars.sqlite');
    const run = await cli(['sync', '--demarche', String(w.demarche.number)], { ...env, DS_ARS_DB: fresh });
    expect(run.code).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(statSync(join(scratch, 'neuf')).mode & 0o777).toBe(0o700);
  });

  it('an existing file keeps the mode an administrator gave it (never chmod-ed back to 0600)', async () => {
    const path = join(scratch, 'admin.sqlite');
    copyFileSync(w.dbPath, path);
    chmodSync(path, 0o640);
    const run = await cli(['status'], { ...env, DS_ARS_DB: path });
    expect(run.code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });
});

describe('a damaged file', { timeout: 60_000 }, () => {
  it('not a database: French message with the remedy, exit 2', async () => {
    const path = join(scratch, 'pas-une-base.sqlite');
    writeFileSync(path, 'ceci n’est pas une base SQLite, mais un fichier texte assez long pour en avoir l’air'.repeat(200));
    const run = await cli(['status'], { ...env, DS_ARS_DB: path });
    expect(run.code).toBe(2);
    expect(run.err).toContain('n’est pas une base SQLite');
    expect(run.err).toContain('restaurez la dernière sauvegarde');
    expect(run.err).not.toMatch(/^Erreur inattendue/m);
  });

  it('malformed pages: « endommagée », restore advice, exit 2', async () => {
    const path = join(scratch, 'abimee.sqlite');
    const source = new SQLite(w.dbPath, { readonly: true });
    await source.backup(path);
    source.close();
    const bytes = new SQLite(path);
    const pageSize = Number(bytes.pragma('page_size', { simple: true }));
    const pages = Number(bytes.pragma('page_count', { simple: true }));
    bytes.close();
    // Overwrite every page after the schema with garbage: any table read meets it.
    const fd = await import('node:fs').then((fs) => fs.openSync(path, 'r+'));
    const { writeSync, closeSync } = await import('node:fs');
    for (let page = 3; page < pages; page++) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
    closeSync(fd);
    const run = await cli(['status'], { ...env, DS_ARS_DB: path });
    expect(run.code).toBe(2);
    expect(run.err).toContain('est endommagée');
    expect(run.err).toContain('restaurez la dernière sauvegarde');
  });
});

describe('a table damaged behind a readable schema', { timeout: 90_000 }, () => {
  it('check and report stop on it in French with the restore advice, exit 2, not « database disk image is malformed » per démarche', async () => {
    const path = join(scratch, 'table-abimee.sqlite');
    const source = new SQLite(w.dbPath, { readonly: true });
    await source.backup(path);
    source.close();
    const bytes = new SQLite(path);
    const pageSize = Number(bytes.pragma('page_size', { simple: true }));
    const root = (
      bytes.prepare("select rootpage from sqlite_master where type = 'table' and name = 'dossiers'").get() as { rootpage: number }
    ).rootpage;
    bytes.close();
    // Only the dossiers table's root page: opening, migrations and the form descriptors still read fine.
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);
    for (const args of [['check'], ['report', '--out', join(scratch, 'classeurs-abimes')]]) {
      const run = await cli(args, { ...env, DS_ARS_DB: path });
      expect(run.code, `${args[0]}: ${run.out}${run.err}`).toBe(2);
      expect(run.err).toContain('est endommagée');
      expect(run.err).toContain('restaurez la dernière sauvegarde');
      expect(run.out).not.toContain('database disk image is malformed');
    }
  });
});

describe.skipIf(!isRoot)('a database this account may not write (run as nobody)', { timeout: 120_000 }, () => {
  let dir: string;
  let path: string;

  beforeAll(async () => {
    // The service's copy, handed read-only to another account: owned by root, 0644, in a folder
    // where SQLite may create its « -shm » file (needed even to read a WAL database).
    dir = join(scratch, 'partage');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    path = join(dir, 'ds-ars.sqlite');
    const source = new SQLite(w.dbPath, { readonly: true });
    await source.backup(path);
    source.close();
    chmodSync(path, 0o644);
    chmodSync(w.dir, 0o755);
    chmodSync(join(w.dir, 'ds-ars.json'), 0o644);
  });

  it('status, journal, report and the annotate plan work; nothing is written', async () => {
    const before = statSync(path).mtimeMs;
    const status = await cli(['status'], { ...env, DS_ARS_DB: path }, { uid: NOBODY });
    expect(status.err).toBe('');
    expect(status.code).toBe(0);
    expect(status.out).toContain(String(w.demarche.number));

    const journal = await cli(['journal'], { ...env, DS_ARS_DB: path }, { uid: NOBODY });
    expect(journal.code).toBe(0);

    const plan = await cli(['annotate'], { ...env, DS_ARS_DB: path }, { uid: NOBODY });
    expect(plan.err).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('plan n° —');
    expect(plan.out).toContain('à envoyer');

    const out = join(dir, 'rapports');
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    const report = await cli(['report', '--out', out], { ...env, DS_ARS_DB: path }, { uid: NOBODY });
    expect(report.code).toBe(0);
    expect(report.out).toContain('classeurs non enregistrés dans la base');

    expect(statSync(path).mtimeMs).toBe(before);
    const db = new SQLite(path, { readonly: true });
    expect(db.prepare('select count(*) as n from plans').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a command that writes says so in French with the remedy, exit 2, before any request to DS', async () => {
    const requests = w.sim.stats.requests;
    for (const args of [['annotate', '--apply'], ['sync', '--demarche', String(w.demarche.number)], ['check']]) {
      const run = await cli(args, { ...env, DS_ARS_DB: path }, { uid: NOBODY });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain('est en lecture seule pour le compte « nobody »');
      expect(run.err).toContain('compte du service');
      expect(run.err).not.toMatch(/EPERM|chmod|readonly database/);
    }
    expect(w.sim.stats.requests).toBe(requests);
  });

  it('pending migrations that cannot be applied are named, exit 2', async () => {
    const older = join(dir, 'ancienne.sqlite');
    copyFileSync(path, older);
    const last = Object.keys(migrations).at(-1)!;
    const db = new SQLite(older);
    db.prepare('delete from kysely_migration where name = ?').run(last);
    db.close();
    chmodSync(older, 0o644);
    const run = await cli(['status'], { ...env, DS_ARS_DB: older }, { uid: NOBODY });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/migrations? en attente/);
    expect(run.err).toContain(last);
  });
});
