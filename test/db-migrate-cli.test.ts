/** `ds-ars migrate` (issue #19): pending migrations applied and named, the database named without its password. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { migrateDown, openDatabase } from '../src/db/database.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { argv, capture } from './support/cli-capture.ts';
import { createTestDatabase, dialects, dropTestDatabases, freshTarget, postgresSkipReason } from './support/postgres.ts';
import { plural } from '../src/shared/plural.ts';

const saved = { ...process.env };
const names = Object.keys(migrations);
afterAll(dropTestDatabases);
beforeEach(() => {
  process.env = { ...saved, DS_ARS_LOG_LEVEL: 'silent' };
  delete process.env['DS_ARS_CONFIG'];
});
afterEach(() => {
  process.env = saved;
});

describe.each(dialects)('ds-ars migrate (%s)', (dialect) => {
  it('applies every migration of a new database and names them, then says it is up to date', async () => {
    const target = await freshTarget(dialect, 'ds-ars-migrate-');
    // A new SQLite base is an empty file (made by an administrator); only sync and init create one.
    if (dialect === 'sqlite') writeFileSync(target, '', { mode: 0o600 });
    process.env['DS_ARS_DB'] = target;
    const first = capture();
    expect(await main(argv('migrate'), first), first.err()).toBe(0);
    expect(first.out()).toContain(dialect === 'sqlite' ? `Base : SQLite ${target}` : `Base : PostgreSQL ${target}`);
    expect(first.out()).toContain(`${plural(names.length, 'migration appliquée', 'migrations appliquées')} :`);
    for (const name of names) expect(first.out()).toContain(`  - ${name}\n`);

    const again = capture();
    expect(await main(argv('migrate'), again), again.err()).toBe(0);
    expect(again.out()).toContain(`Base à jour : les ${names.length} migrations sont déjà appliquées.`);
    expect(again.out()).not.toMatch(/appliquées? :/);
  });

  it('applies only what is pending (--json)', async () => {
    const target = await freshTarget(dialect, 'ds-ars-migrate-');
    const db = await openDatabase(target);
    await migrateDown(db, 1);
    await db.destroy();
    process.env['DS_ARS_DB'] = target;
    const io = capture();
    expect(await main(argv('--json', 'migrate'), io), io.err()).toBe(0);
    const report = JSON.parse(io.out()) as { database: string; applied: string[]; total: number };
    expect(report).toEqual({
      database: expect.stringMatching(dialect === 'sqlite' ? /^SQLite / : /^PostgreSQL /),
      applied: [names.at(-1)],
      total: names.length,
    });
  });
});

describe('ds-ars migrate: unusable database', () => {
  it('a mistyped DS_ARS_DB is « base introuvable » (exit 2): no folder, no new empty base « à jour »', async () => {
    const typo = join(mkdtempSync(join(tmpdir(), 'ds-ars-migrate-')), 'varr', 'ds-ars.sqlite');
    process.env['DS_ARS_DB'] = typo;
    const io = capture();
    expect(await main(argv('migrate'), io)).toBe(2);
    expect(io.err()).toContain(`Base introuvable : ${typo}`);
    expect(io.out()).not.toContain('appliquée');
    expect(existsSync(dirname(typo))).toBe(false);
  });

  it('exits 2 with a French message when DS_ARS_DB is not a database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ds-ars-migrate-')), 'notes.sqlite');
    writeFileSync(path, 'ceci n’est pas une base SQLite, mais un fichier texte assez long pour être lu comme un en-tête. '.repeat(20));
    process.env['DS_ARS_DB'] = path;
    const io = capture();
    expect(await main(argv('migrate'), io)).toBe(2);
    expect(io.err()).toContain(path);
    expect(io.err()).toMatch(/^Erreur : /);
  });
});

describe.skipIf(postgresSkipReason !== undefined)('ds-ars migrate in a real process on PostgreSQL', () => {
  it('never prints the password of the URL', async () => {
    const url = new URL(await createTestDatabase());
    url.username = 'postgres';
    url.password = 'mot-de-passe-secret';
    const env: NodeJS.ProcessEnv = { ...process.env, DS_ARS_DB: url.toString(), DS_ARS_LOG_LEVEL: 'info', DS_ARS_CONFIG: '' };
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/ds-ars.js', 'migrate'], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(`Base : PostgreSQL postgres://postgres:***@${url.host}${url.pathname}`);
    expect(result.out).toContain(plural(names.length, 'migration appliquée', 'migrations appliquées'));
    expect(result.out + result.err).not.toContain('mot-de-passe-secret');
  });
});
