/**
 * Both dialects for the database tests: `dialects` lists 'sqlite', plus 'postgres' when a server
 * answers at DS_ARS_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, the one
 * .ci/run starts). Without one, the PostgreSQL half is skipped with the reason printed once.
 * `freshTarget` gives a DS_ARS_DB value: a new SQLite file, or a new PostgreSQL database with a
 * unique name (C collation, like SQLite's byte order), dropped by `dropTestDatabases`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DialectName } from '../../src/db/dialect.ts';

export const PG_ADMIN_URL = process.env.DS_ARS_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function probe(): Promise<string | undefined> {
  if (process.env.DS_ARS_TEST_PG === 'off') return 'DS_ARS_TEST_PG=off';
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `aucun serveur PostgreSQL joignable à ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const postgresSkipReason: string | undefined = await probe();
if (postgresSkipReason !== undefined) console.warn(`Tests PostgreSQL ignorés : ${postgresSkipReason}.`);

export const dialects: DialectName[] = postgresSkipReason === undefined ? ['sqlite', 'postgres'] : ['sqlite'];

const created: string[] = [];
let counter = 0;

/** The URL of a database on the test server, by name. */
export function postgresUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new, empty PostgreSQL database; its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `ds_ars_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
  } finally {
    await admin.end();
  }
  created.push(name);
  return postgresUrl(name);
}

/** Drops every database created by this test file (close its Kysely instances first). */
export async function dropTestDatabases(): Promise<void> {
  if (created.length === 0) return;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    while (created.length > 0) await admin.query(`drop database if exists "${created.pop()}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** A fresh DS_ARS_DB value for `dialect`: a new SQLite file or a new PostgreSQL database. */
export async function freshTarget(dialect: DialectName, prefix = 'ds-ars-db-'): Promise<string> {
  return dialect === 'postgres' ? createTestDatabase() : join(mkdtempSync(join(tmpdir(), prefix)), 'ds-ars.sqlite');
}
