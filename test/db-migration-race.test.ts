/** Several first starts at once on a fresh database: one migrates, the others wait and find it done. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.ts';

function openInChild(path: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/open-database-child.ts', path], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

it('four processes opening the same fresh database at once all succeed, five times over', { timeout: 300_000 }, async () => {
  const total = Object.keys(migrations).length;
  for (let attempt = 0; attempt < 5; attempt++) {
    const path = join(mkdtempSync(join(tmpdir(), 'ds-ars-race-')), 'ds-ars.sqlite');
    const results = await Promise.all([0, 1, 2, 3].map(() => openInChild(path)));
    for (const result of results) {
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      // Every process sees every migration applied exactly once.
      expect(result.out.trim()).toBe(String(total));
    }
  }
});

it('a migration that fails is rolled back whole, and the message does not send the operator to the backup', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ds-ars-race-')), 'ds-ars.sqlite');
  // A ds-ars base whose migrations never ran (Kysely's own table, empty), and a table in the way of
  // the first migration: it fails on its first statement. (A base with tables but no ds-ars
  // migration is another application's: refused before anything runs, see db-storage.test.ts.)
  const raw = new SQLite(path);
  raw.exec(
    'create table kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null); create table demarches (x integer)',
  );
  raw.close();
  const result = await openInChild(path);
  expect(result.code).toBe(1);
  expect(result.err).toContain('La migration « 2026-11-27T01-mirror » de la base a échoué');
  expect(result.err).toContain('La base n’a pas été modifiée');
  expect(result.err).not.toContain('restaurez la sauvegarde');
  const after = new SQLite(path, { readonly: true });
  const tables = after.prepare(`select name from sqlite_master where type = 'table' order by name`).all();
  after.close();
  expect(tables).toEqual([{ name: 'demarches' }, { name: 'kysely_migration' }]);
});
