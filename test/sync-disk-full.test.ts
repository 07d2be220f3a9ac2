/**
 * A disk that fills up during a sync (#14 case 4): the page being written is rolled back with its
 * cursor, the command says so in French (exit 2), the file stays sound and the next sync, with
 * room again, resumes from the last saved cursor. The database lives on a small tmpfs (needs
 * root to mount; skipped otherwise): a real ENOSPC from the kernel, turned into SQLITE_FULL by
 * SQLite, rather than a simulated one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';

// 7 MB: the schema, the WAL and three pages of 100 dossiers fit, the fourth page does not.
const canMountTmpfs = (): boolean => process.getuid?.() === 0;

let fx: SyncFixture;
let mountPoint: string;
let mounted = false;

function cli(
  args: string[],
  dbPath: string,
  logs: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/ds-ars.js', ...args], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: dbPath,
      DS_ARS_LOG_LEVEL: 'silent',
      DS_ARS_CONFIG: '',
      ...logs,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

beforeAll(async () => {
  fx = await startSyncFixture({ seed: 8, programmes: ['asp'], dossiers: { asp: 400 } });
  mountPoint = join(fx.dir, 'petit-disque');
  mkdirSync(mountPoint);
  if (canMountTmpfs()) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=7m', 'tmpfs', mountPoint], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
  await fx?.close();
});

// SQLite only: the SQLite file on a full tmpfs; a PostgreSQL server's disk is not ds-ars's to fill.
it('rolls back the page that did not fit, says so (exit 2), and the next sync resumes from the saved cursor', {
  timeout: 180_000,
}, async (context) => {
  if (!mounted) context.skip();
  const path = join(mountPoint, 'ds-ars.sqlite');
  const run = await cli(['sync', '--demarche', String(fx.demarche)], path, { DS_ARS_LOG_LEVEL: 'info', DS_ARS_LOG_FORMAT: 'texte' });
  expect(run.code).toBe(2);
  // The last log line of the démarche says how it ended (it used to say « démarche synchronisée »).
  expect(run.err).toContain('synchronisation de la démarche en échec');
  expect(run.err).not.toContain('démarche synchronisée');
  expect(run.out).toMatch(/La page \d+ des dossiers n’a pas été enregistrée : elle a été annulée entière/);
  expect(run.err).toContain('disque plein');
  expect(run.err).toContain('Libérez de la place');
  expect(run.err).toContain(mountPoint);
  expect(run.err).not.toMatch(/Erreur inattendue|database or disk is full »\)\s*$/m);

  // Room again: the file (with its WAL) moves to a normal disk, as an operator would do.
  const moved = join(fx.dir, 'deplacee.sqlite');
  const source = new SQLite(path, { readonly: true });
  await source.backup(moved);
  source.close();
  const db = new SQLite(moved);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  // Whole pages only: the one that did not fit left neither dossiers nor cursor behind.
  const kept = (db.prepare('select count(*) as n from dossiers').get() as { n: number }).n;
  expect(kept % 100).toBe(0);
  expect(kept).toBeLessThan(400);
  const cursor = db.prepare('select cursor from sync_state where demarche_number = ?').get(fx.demarche) as
    | { cursor: string | null }
    | undefined;
  if (kept === 0) expect(cursor?.cursor ?? null).toBeNull();
  else expect(cursor?.cursor).toEqual(expect.any(String));
  // The full disk refused the release of the lease too; the sync said so. Released here by hand,
  // as the operator would once the process is gone (or it expires).
  db.prepare('delete from leases').run();
  db.close();

  const resumed = await cli(['sync', '--demarche', String(fx.demarche)], moved);
  expect(resumed.err).toBe('');
  expect(resumed.code).toBe(0);
  const after = new SQLite(moved, { readonly: true });
  expect((after.prepare('select count(*) as n from dossiers').get() as { n: number }).n).toBe(400);
  after.close();
});
