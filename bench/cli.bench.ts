// CLI bench: start-up of the built `ds-ars` (bin/ds-ars.js runs dist/), against `node -e 0` in the
// same run — `--help`, `status` on a 10,000-dossier mirror, and the idle worker (RSS, children).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/database.ts';
import { DsClient } from '../src/graphql/client.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import type { BenchResult } from './types.ts';

const RUNS = 7;
const DOSSIERS = 10_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'ds-ars.js');
const peakPreload = join(root, 'bench', 'peak-rss.cjs');

interface Run {
  wallMs: number;
  peakMb: number;
}

/** One process, timed from spawn to exit, its peak RSS read back from the preload. */
function timed(args: string[], env: NodeJS.ProcessEnv, peakFile: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', peakPreload, ...args], {
      env: { ...env, DS_ARS_BENCH_PEAK_FILE: peakFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${args.join(' ')} : code ${code} ${stderr.slice(0, 300)}`));
      else resolve({ wallMs, peakMb: Number(readFileSync(peakFile, 'utf8')) / 1024 });
    });
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A and B in turn (A B A B…), after one warm-up of each: medians and the median of paired ratios. */
async function paired(a: string[], b: string[], env: NodeJS.ProcessEnv, dir: string) {
  const peak = join(dir, 'peak');
  await timed(a, env, peak);
  await timed(b, env, peak);
  const runsA: Run[] = [];
  const runsB: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    runsA.push(await timed(a, env, peak));
    runsB.push(await timed(b, env, peak));
  }
  return {
    wallS: median(runsA.map((r) => r.wallMs)) / 1000,
    peakMb: median(runsA.map((r) => r.peakMb)),
    baseWallS: median(runsB.map((r) => r.wallMs)) / 1000,
    basePeakMb: median(runsB.map((r) => r.peakMb)),
    wallRatio: median(runsA.map((r, i) => r.wallMs / runsB[i]!.wallMs)),
  };
}

/** Child processes of `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1]) / 1024;
}

/** Starts the worker, waits until it is up and idle, reads its RSS and children, stops it. */
async function idleWorker(env: NodeJS.ProcessEnv): Promise<{ rssMb: number; children: number }> {
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: { ...env, DS_ARS_LOG_FORMAT: 'json', DS_ARS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Worker démarré')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`worker arrêté (code ${code}) : ${stderr.slice(0, 300)}`)));
    });
    // Idle: started, nothing scheduled before next year.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return { rssMb: rssMb(child.pid!), children: childrenOf(child.pid!).length };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function benchCli(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-cli-'));
  const sim = await startSimulator({ seed: 9, programmes: ['asp'], dossiersPerDemarche: DOSSIERS, rateLimitPerMinute: 0 });
  try {
    const dbPath = join(dir, 'miroir.sqlite');
    const db = await openDatabase(dbPath);
    const info = sim.demarches[0]!;
    try {
      await runSync({ db, client: new DsClient({ url: sim.graphqlUrl, token: sim.tokens.readWrite }) }, { demarches: [info.number] });
    } finally {
      await db.destroy();
    }
    const configPath = join(dir, 'ds-ars.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        demarches: [{ number: info.number, programme: info.programme, session: info.session }],
        worker: { schedule: '0 3 1 1 *' },
      }),
    );
    const { DS_ARS_LOG_FORMAT: _format, ...inherited } = process.env;
    const env = {
      ...inherited,
      DS_API_URL: sim.graphqlUrl,
      DS_API_TOKEN: sim.tokens.readWrite,
      DS_ARS_DB: dbPath,
      DS_ARS_CONFIG: configPath,
    };
    const baseline = ['-e', '0'];

    const help = await paired([bin, '--help'], baseline, env, dir);
    const status = await paired([bin, 'status'], baseline, env, dir);
    const worker = await idleWorker(env);
    const s = (value: number) => `${value.toFixed(3)} s`;
    return [
      {
        figure: '`node -e 0` (référence) : durée, mémoire de pointe',
        target: '—',
        measured: `${s(help.baseWallS)}, ${help.basePeakMb.toFixed(0)} Mo`,
        ok: true,
      },
      {
        figure: `\`ds-ars --help\` : durée (médiane de ${RUNS} ; ×${help.wallRatio.toFixed(2)} node -e 0)`,
        target: '≤ 0.25 s',
        measured: help.wallS,
        unit: 's',
        ok: help.wallS <= 0.25,
      },
      {
        figure: `\`ds-ars --help\` : mémoire de pointe (×${(help.peakMb / help.basePeakMb).toFixed(2)} node -e 0)`,
        target: '≤ 70 Mo',
        measured: help.peakMb,
        unit: 'Mo',
        ok: help.peakMb <= 70,
      },
      {
        figure: `\`ds-ars status\`, miroir de ${DOSSIERS.toLocaleString('fr-FR')} dossiers : durée (×${status.wallRatio.toFixed(2)} node -e 0)`,
        target: '≤ 0.4 s',
        measured: status.wallS,
        unit: 's',
        ok: status.wallS <= 0.4,
      },
      {
        figure: '`ds-ars worker` au repos : mémoire résidente',
        target: '≤ 90 Mo',
        measured: worker.rssMb,
        unit: 'Mo',
        ok: worker.rssMb <= 90,
      },
      { figure: '`ds-ars worker` au repos : processus enfants', target: '0', measured: worker.children, ok: worker.children === 0 },
    ];
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
