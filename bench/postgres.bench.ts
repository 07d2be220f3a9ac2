// PostgreSQL vs SQLite, in one run: the same full sync (10,000 dossiers × 40 champs, 50 ms of
// latency, answers pre-rendered, sync in its own child process) and the same full check, into a
// SQLite file and into a fresh PostgreSQL database on DS_ARS_BENCH_PG_URL (default: the local
// server), alternately, PAIRS times each. The targets are ratios to SQLite's figures: the median
// of the pairs' ratios. Without a server, one row says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { checkDemarche } from '../src/rules/check.ts';
import { type MirroredDemarche, mirroredAsrDemarche, startSimulatorChild } from './bench-setup.ts';
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

/** Runs per dialect: this machine's neighbours make one run vary by ±20 %, the median of the paired ratios much less. */
const PAIRS = 3;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Paired {
  sqliteMs: number[];
  postgresMs: number[];
}

/** The medians, and the median of the pairs' ratios (SQLite then PostgreSQL, one pair after the other). */
function summary(p: Paired): { sqliteMs: number; postgresMs: number; ratio: number } {
  return {
    sqliteMs: median(p.sqliteMs),
    postgresMs: median(p.postgresMs),
    ratio: median(p.postgresMs.map((ms, i) => ms / p.sqliteMs[i]!)),
  };
}

async function syncFigures(dir: string): Promise<Paired & { dossiers: number }> {
  const simulator = await startSimulatorChild(DOSSIERS, CHAMPS, LATENCY_MS);
  const paired: Paired & { dossiers: number } = { sqliteMs: [], postgresMs: [], dossiers: 0 };
  try {
    // The first sync has the simulator render its answers: not timed against the other.
    await simulator.syncInto(join(dir, 'warm-up.sqlite'));
    for (let i = 0; i < PAIRS; i++) {
      const sqlite = await simulator.syncInto(join(dir, `sync-${i}.sqlite`));
      const database = await freshDatabase();
      try {
        const postgres = await simulator.syncInto(database.url);
        paired.sqliteMs.push(sqlite.fullMs);
        paired.postgresMs.push(postgres.fullMs);
        paired.dossiers = Math.min(sqlite.dossiers, postgres.dossiers);
      } finally {
        await database.drop().catch(() => undefined);
      }
    }
    return paired;
  } finally {
    simulator.stop();
  }
}

type CheckTarget = Pick<MirroredDemarche, 'db' | 'demarche'>;

/**
 * The mirror to check, without its simulator: a `ds-ars check` process holds no simulator, whose
 * 10,000 dossiers (twice here) would otherwise weigh on every collection of this process's heap,
 * and the more on the dialect that allocates more.
 */
async function mirrorOnly(target: string): Promise<CheckTarget> {
  const { sim, db, demarche } = await mirroredAsrDemarche(target, DOSSIERS);
  await sim.close();
  return { db, demarche };
}

async function checkFigures(dir: string, pgUrl: string): Promise<Paired> {
  const sqlite = await mirrorOnly(join(dir, 'check.sqlite'));
  try {
    const postgres = await mirrorOnly(pgUrl);
    try {
      const paired: Paired = { sqliteMs: [], postgresMs: [] };
      // A first check on each, not timed: the rules' code is compiled by then for both.
      for (let i = -1; i < PAIRS; i++) {
        const s = await checkMs(sqlite);
        const p = await checkMs(postgres);
        if (i < 0) continue;
        paired.sqliteMs.push(s);
        paired.postgresMs.push(p);
      }
      return paired;
    } finally {
      await postgres.db.destroy();
    }
  } finally {
    await sqlite.db.destroy();
  }
}

async function checkMs(mirrored: CheckTarget): Promise<number> {
  const started = performance.now();
  const full = await checkDemarche(mirrored.db, mirrored.demarche, { all: true });
  if (full.status !== 'ok') throw new Error(`contrôle en échec : ${full.error ?? full.mappingProblems.join(' ; ')}`);
  return performance.now() - started;
}

export async function benchPostgres(): Promise<BenchResult[]> {
  let check: { url: string; drop: () => Promise<void> };
  try {
    check = await freshDatabase();
  } catch (error) {
    return [
      { figure: 'PostgreSQL', target: '—', measured: `non mesuré : aucun serveur joignable (${(error as Error).message})`, ok: true },
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-pg-'));
  try {
    const sync = await syncFigures(dir);
    const s = summary(sync);
    const c = summary(await checkFigures(dir, check.url));
    const label = `${sync.dossiers.toLocaleString('fr-FR')} dossiers × ${CHAMPS} champs, latence ${LATENCY_MS} ms`;
    const runs = `médiane de ${PAIRS} paires`;
    return [
      { figure: `sync complète sur SQLite, ${label} (${runs})`, target: '—', measured: s.sqliteMs, unit: 'ms', ok: true },
      { figure: `sync complète sur PostgreSQL, ${label} (${runs})`, target: '—', measured: s.postgresMs, unit: 'ms', ok: true },
      {
        figure: `sync complète : PostgreSQL / SQLite (${runs})`,
        target: '≤ 1,3',
        measured: s.ratio,
        ok: s.ratio <= 1.3 && sync.dossiers === DOSSIERS,
      },
      {
        figure: `contrôle de ${DOSSIERS.toLocaleString('fr-FR')} dossiers (tous) sur SQLite (${runs})`,
        target: '—',
        measured: c.sqliteMs,
        unit: 'ms',
        ok: true,
      },
      {
        figure: `contrôle de ${DOSSIERS.toLocaleString('fr-FR')} dossiers (tous) sur PostgreSQL (${runs})`,
        target: '—',
        measured: c.postgresMs,
        unit: 'ms',
        ok: true,
      },
      { figure: `contrôle : PostgreSQL / SQLite (${runs})`, target: '≤ 1,5', measured: c.ratio, ok: c.ratio <= 1.5 },
    ];
  } finally {
    await check.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
