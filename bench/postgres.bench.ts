// PostgreSQL vs SQLite, in one run: the same full sync (10,000 dossiers × 40 champs, 50 ms of
// latency, answers pre-rendered, sync in its own child process) and the same full check, into a
// SQLite file and into a fresh PostgreSQL database on DS_ARS_BENCH_PG_URL (default: the local
// server). The targets are ratios to SQLite's figures. Without a server, one row says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { checkDemarche } from '../src/rules/check.ts';
import { mirroredAsrDemarche, startSimulatorChild } from './bench-setup.ts';
import type { BenchResult } from './types.ts';

const DOSSIERS = 10_000;
const CHAMPS = 40;
const LATENCY_MS = 50;
const ADMIN_URL = process.env.DS_ARS_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new database on the bench server (C collation); drop() removes it. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ds_ars_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}" template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists "${name}" with (force)`) };
}

async function syncFigures(dir: string, pgUrl: string): Promise<{ sqliteMs: number; postgresMs: number; dossiers: number }> {
  const simulator = await startSimulatorChild(DOSSIERS, CHAMPS, LATENCY_MS);
  try {
    // The first sync has the simulator render its answers: not timed against the other.
    await simulator.syncInto(join(dir, 'warm-up.sqlite'));
    const sqlite = await simulator.syncInto(join(dir, 'sync.sqlite'));
    const postgres = await simulator.syncInto(pgUrl);
    return { sqliteMs: sqlite.fullMs, postgresMs: postgres.fullMs, dossiers: postgres.dossiers };
  } finally {
    simulator.stop();
  }
}

async function checkMs(target: string): Promise<number> {
  const mirrored = await mirroredAsrDemarche(target, DOSSIERS);
  try {
    const started = performance.now();
    const full = await checkDemarche(mirrored.db, mirrored.demarche, { all: true });
    if (full.status !== 'ok') throw new Error(`contrôle en échec : ${full.error ?? full.mappingProblems.join(' ; ')}`);
    return performance.now() - started;
  } finally {
    await mirrored.close();
  }
}

export async function benchPostgres(): Promise<BenchResult[]> {
  let sync: { url: string; drop: () => Promise<void> };
  try {
    sync = await freshDatabase();
  } catch (error) {
    return [
      { figure: 'PostgreSQL', target: '—', measured: `non mesuré : aucun serveur joignable (${(error as Error).message})`, ok: true },
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-pg-'));
  const check = await freshDatabase();
  try {
    const s = await syncFigures(dir, sync.url);
    const sqliteCheck = await checkMs(join(dir, 'check.sqlite'));
    const postgresCheck = await checkMs(check.url);
    const syncRatio = s.postgresMs / s.sqliteMs;
    const checkRatio = postgresCheck / sqliteCheck;
    const label = `${s.dossiers.toLocaleString('fr-FR')} dossiers × ${CHAMPS} champs, latence ${LATENCY_MS} ms`;
    return [
      { figure: `sync complète sur SQLite, ${label}`, target: '—', measured: s.sqliteMs, unit: 'ms', ok: true },
      { figure: `sync complète sur PostgreSQL, ${label}`, target: '—', measured: s.postgresMs, unit: 'ms', ok: true },
      {
        figure: 'sync complète : PostgreSQL / SQLite',
        target: '≤ 1,3',
        measured: syncRatio,
        ok: syncRatio <= 1.3 && s.dossiers === DOSSIERS,
      },
      {
        figure: `contrôle de ${DOSSIERS.toLocaleString('fr-FR')} dossiers (tous) sur SQLite`,
        target: '—',
        measured: sqliteCheck,
        unit: 'ms',
        ok: true,
      },
      {
        figure: `contrôle de ${DOSSIERS.toLocaleString('fr-FR')} dossiers (tous) sur PostgreSQL`,
        target: '—',
        measured: postgresCheck,
        unit: 'ms',
        ok: true,
      },
      { figure: 'contrôle : PostgreSQL / SQLite', target: '≤ 1,5', measured: checkRatio, ok: checkRatio <= 1.5 },
    ];
  } finally {
    await sync.drop().catch(() => undefined);
    await check.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
