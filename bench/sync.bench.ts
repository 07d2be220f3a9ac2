// Sync bench: full sync of 10,000 dossiers of ~40 champs through 50 ms of latency per request,
// then an incremental sync without changes. The simulator and the sync each run in their own
// child process, so the figures are the syncing process's alone.
//
// The sync runs twice against the same simulator. The first time the simulator renders every
// answer (~50 ms of CPU a page, on the same two cores as the sync); the second time it serves
// them pre-rendered, so that DS's time is the injected latency alone, as the target assumes.
// Both durations are printed; the target is checked on the second.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchResult } from './types.ts';

const DOSSIERS = 10_000;
const CHAMPS = 40;
const LATENCY_MS = 50;
const MAX_RSS_MB = 300;

interface ChildReport {
  status: string[];
  error: string | null;
  dossiers: number;
  fullRequests: number;
  fullRetries: number;
  fullMs: number;
  fullCpuMs: number;
  incrementalRequests: number;
  incrementalMs: number;
  sampledPeak: number;
  maxRss: number;
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export async function benchSync(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-sync-'));
  const simulator = spawn(process.execPath, ['--import', 'tsx', here('./simulator-child.ts'), String(DOSSIERS), String(CHAMPS), String(LATENCY_MS)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    // graphql-js skips its development-time checks in production mode (a third of the simulator's CPU).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: simulator.stdout }).once('line', resolve);
      simulator.once('exit', (code) => reject(new Error(`le simulateur s’est arrêté (code ${code})`)));
    });
    const sim = JSON.parse(first) as { graphqlUrl: string; token: string; demarche: number };
    const syncOnce = async (name: string): Promise<ChildReport> => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', here('./sync-child.ts'), sim.graphqlUrl, sim.token, String(sim.demarche), join(dir, `${name}.sqlite`)],
        { maxBuffer: 1 << 20 },
      );
      const report = JSON.parse(stdout) as ChildReport;
      if (report.status[0] !== 'ok') throw new Error(`synchronisation en échec : ${report.error ?? report.status.join(', ')}`);
      return report;
    };
    const live = await syncOnce('live');
    const m = await syncOnce('prerendered');
    const pages = Math.ceil(DOSSIERS / 100);
    const maxRequests = pages + 4;
    const successful = m.fullRequests - m.fullRetries;
    const maxWallMs = 1.3 * successful * LATENCY_MS + 2_000;
    const peakMb = Math.max(m.sampledPeak, m.maxRss, live.sampledPeak, live.maxRss) / 2 ** 20;
    const label = `sync complète, ${m.dossiers.toLocaleString('fr-FR')} dossiers × ${CHAMPS} champs, latence ${LATENCY_MS} ms`;
    return [
      { figure: `${label} : requêtes`, target: `≤ ${maxRequests} (⌈N/100⌉ + 4)`, measured: m.fullRequests, ok: m.fullRequests <= maxRequests && m.dossiers === DOSSIERS },
      { figure: `${label} : durée, réponses du simulateur calculées pendant la sync`, target: '—', measured: live.fullMs, unit: 'ms', ok: true },
      { figure: `${label} : durée, réponses du simulateur pré-calculées`, target: `≤ ${Math.round(maxWallMs)} ms (1,3 × requêtes × latence + 2 s)`, measured: m.fullMs, unit: 'ms', ok: m.fullMs <= maxWallMs },
      { figure: 'sync complète : débit', target: '—', measured: (m.dossiers / m.fullMs) * 1000, unit: 'dossiers/s', ok: true },
      // CPU time tells the sync's own cost apart from waiting for a busy machine's cores.
      { figure: 'sync complète : temps CPU du processus de synchronisation', target: '—', measured: m.fullCpuMs, unit: 'ms', ok: true },
      { figure: 'sync complète : pic de mémoire (RSS, processus de synchronisation)', target: `≤ ${MAX_RSS_MB} Mo`, measured: peakMb, unit: 'Mo', ok: peakMb <= MAX_RSS_MB },
      { figure: 'sync incrémentale sans changement : requêtes par démarche', target: '≤ 4', measured: m.incrementalRequests, ok: m.incrementalRequests <= 4 && m.status[1] === 'ok' },
      { figure: 'sync incrémentale sans changement : durée', target: '—', measured: m.incrementalMs, unit: 'ms', ok: true },
    ];
  } finally {
    simulator.stdin.end();
    simulator.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
