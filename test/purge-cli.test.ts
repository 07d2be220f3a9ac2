import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { openDatabase } from '../src/db/database.ts';
import { KEPT, PURGED, seedPurgeWorld } from './support/purge-fixture.ts';
import { dialects, dropTestDatabases } from './support/postgres.ts';
import type { DialectName } from '../src/db/dialect.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});
afterAll(async () => {
  process.env = saved;
  await dropTestDatabases();
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: process.env, writeOut: (t) => void out.push(t), writeErr: (t) => void err.push(t) };
  const code = await main(['node', 'ds-ars', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
}

/** A seeded base, closed so that the command opens it like in production. */
async function world(dialect: DialectName) {
  const seeded = await seedPurgeWorld(dialect);
  await seeded.db.destroy();
  Object.assign(process.env, { DS_ARS_DB: seeded.path, DS_ARS_FILES_DIR: seeded.filesDir, DS_ARS_LOG_LEVEL: 'silent' });
  return seeded;
}

async function remaining(path: string): Promise<number[]> {
  const db = await openDatabase(path);
  try {
    return (await db.selectFrom('dossiers').select('number').orderBy('number').execute()).map((r) => r.number);
  } finally {
    await db.destroy();
  }
}

describe.each(dialects)('ds-ars purge (%s)', (dialect) => {
  it('without --apply: a French summary of what would go, and nothing removed', async () => {
    const { path, attachment } = await world(dialect);
    const result = await run('purge', '--before', '2025-01-01');
    expect(result.code).toBe(0);
    expect(result.out).toContain('dont la dernière activité est antérieure au 1er janvier 2025');
    expect(result.out).toMatch(/201\s+accepté\s+1\n/);
    expect(result.out).toMatch(/202\s+supprimé dans DS\s+1\n/);
    expect(result.out).toContain('  - 5 dossiers');
    expect(result.out).toContain('  - 5 fichiers sur disque');
    expect(result.out).toContain('  - 5 entrées du journal des décisions (conservées, anonymisées)');
    expect(result.out).toContain('Simulation : rien n’a été modifié. Relancez avec --apply pour supprimer.');
    expect(await remaining(path)).toHaveLength(9);
    expect(existsSync(attachment(1))).toBe(true);
  });

  it('with --apply: removes them, says so, and leaves no lease behind', async () => {
    const { path, attachment } = await world(dialect);
    const result = await run('purge', '--before', '2025-01-01', '--apply', '--oui');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Supprimés ou anonymisés.');
    expect(result.out).toContain('Base compactée (VACUUM)');
    expect(await remaining(path)).toEqual(KEPT);
    for (const n of PURGED) expect(existsSync(attachment(n))).toBe(false);
    const db = await openDatabase(path);
    expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);
    await db.destroy();
  });

  it('refuses to purge while the worker holds the démarches, and says why (exit 1)', async () => {
    const { path } = await world(dialect);
    const db = await openDatabase(path);
    await db
      .insertInto('leases')
      .values({
        resource: 'pipeline',
        holder: 'serveur-ars:1234:cafe0001',
        acquired_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 600_000).toISOString(),
      })
      .execute();
    await db.destroy();
    const result = await run('purge', '--before', '2025-01-01', '--apply', '--oui');
    expect(result.code).toBe(1);
    expect(result.err).toContain('« pipeline » est déjà en cours de traitement par serveur-ars:1234:cafe0001');
    expect(await remaining(path)).toHaveLength(9);
  });

  it('usage errors exit 2 in French', async () => {
    await world(dialect);
    expect((await run('purge')).code).toBe(2);
    const bad = await run('purge', '--before', '2025-02-30');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Date « 2025-02-30 » invalide pour --before');
  });
});
