/**
 * PostgreSQL failing for reasons of the installation (a read-only server, the analysts' role in
 * DS_ARS_DB): French, with the remedy, exit 2, never the password — like SQLite's storage errors.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { createTestDatabase, dialects, dropTestDatabases, PG_ADMIN_URL } from './support/postgres.ts';

const saved = { ...process.env };
const admin = async (database: string, ...queries: string[]) => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const query of queries) await client.query(query);
  } finally {
    await client.end();
  }
};

describe.skipIf(!dialects.includes('postgres'))('PostgreSQL refusing a command', () => {
  let fx: SyncFixture;
  let target: string;
  let database: string;
  const role = `ds_ars_lecture_${process.pid}`;
  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 43, programmes: ['asap'], dossiers: { asap: 12 } });
    target = await createTestDatabase();
    database = new URL(target).pathname.slice(1);
  });
  afterAll(async () => {
    await fx?.close();
    await dropTestDatabases();
    await admin('postgres', `drop role if exists "${role}"`);
  });
  beforeEach(() => {
    process.env = { ...saved };
    delete process.env['DS_ARS_CONFIG'];
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: target,
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('the analysts’ read-only role in DS_ARS_DB: exit 2, the service account asked for, no password shown', async () => {
    expect(await main(argv('sync', '--demarche', String(fx.demarche)), capture())).toBe(0);
    // The role exactly as docs/DEPLOIEMENT.md § 8 creates it.
    await admin(
      database,
      `create role "${role}" login password 'secret-analyste'`,
      `grant connect on database "${database}" to "${role}"`,
      `grant usage on schema public to "${role}"`,
      `grant select on analyse_dossiers, analyse_constats, analyse_decisions to "${role}"`,
      `alter role "${role}" set default_transaction_read_only = on`,
    );
    const url = new URL(target);
    url.username = role;
    url.password = 'secret-analyste';
    process.env['DS_ARS_DB'] = url.toString();
    const io = capture();
    expect(await main(argv('sync', '--demarche', String(fx.demarche)), io)).toBe(2);
    expect(io.err()).toMatch(/La base PostgreSQL « postgres:\/\/ds_ars_lecture_\d+:\*\*\*@.*» refuse cet accès au compte donné/);
    expect(io.err()).toContain('pas le rôle de lecture des analystes');
    expect(io.err()).toContain('42501');
    expect(io.err()).not.toContain('secret-analyste');
  });

  it('a database that accepts only reads: exit 2, the primary server asked for; nothing written', async () => {
    expect(await main(argv('sync', '--demarche', String(fx.demarche)), capture())).toBe(0);
    await admin('postgres', `alter database "${database}" set default_transaction_read_only = on`);
    try {
      const io = capture();
      expect(await main(argv('sync', '--demarche', String(fx.demarche), '--full'), io)).toBe(2);
      expect(io.err()).toContain('n’accepte que des lectures');
      expect(io.err()).toContain('serveur principal');
      expect(io.err()).toContain('25006');
    } finally {
      await admin('postgres', `alter database "${database}" reset default_transaction_read_only`);
    }
    // The refused run left nothing behind: the next one is an ordinary incremental sync.
    const io = capture();
    expect(await main(argv('--json', 'sync', '--demarche', String(fx.demarche)), io), io.err()).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ status: 'ok', results: [{ mode: 'incremental' }] });
  });
});
