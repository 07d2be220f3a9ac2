// Sync bench: full sync of 10,000 dossiers of ~40 champs through 50 ms of latency per request,
// then an incremental sync without changes. The simulator and the sync each run in their own
// child process, so the figures are the syncing process's alone.
//
// The sync runs twice against the same simulator. The first time the simulator renders every
// answer (~50 ms of CPU a page, on the same two cores as the sync); the second time it serves
// them pre-rendered, so that DS's time is the injected latency alone, as the target assumes.
// Both durations are printed; the target is checked on the second.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulatorChild, type SyncChildReport } from './bench-setup.ts';
import type { BenchResult } from './types.ts';

const DOSSIERS = 10_000;
const CHAMPS = 40;
const LATENCY_MS = 50;
const MAX_RSS_MB = 300;

interface ChildReport extends SyncChildReport {
  fullRequests: number;
  fullRetries: number;
  fullCpuMs: number;
  incrementalRequests: number;
  incrementalMs: number;
  sampledPeak: number;
  maxRss: number;
}

export async function benchSync(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-sync-'));
  const simulator = await startSimulatorChild(DOSSIERS, CHAMPS, LATENCY_MS);
  try {
    const syncOnce = (name: string): Promise<ChildReport> => simulator.syncInto<ChildReport>(join(dir, `${name}.sqlite`));
    const live = await syncOnce('live');
    const m = await syncOnce('prerendered');
    const pages = Math.ceil(DOSSIERS / 100);
    const maxRequests = pages + 4;
    const successful = m.fullRequests - m.fullRetries;
    const maxWallMs = 1.3 * successful * LATENCY_MS + 2_000;
    const peakMb = Math.max(m.sampledPeak, m.maxRss, live.sampledPeak, live.maxRss) / 2 ** 20;
    const label = `sync complète, ${m.dossiers.toLocaleString('fr-FR')} dossiers × ${CHAMPS} champs, latence ${LATENCY_MS} ms`;
    return [
      {
        figure: `${label} : requêtes`,
        target: `≤ ${maxRequests} (⌈N/100⌉ + 4)`,
        measured: m.fullRequests,
        ok: m.fullRequests <= maxRequests && m.dossiers === DOSSIERS,
      },
      {
        figure: `${label} : durée, réponses du simulateur calculées pendant la sync`,
        target: '—',
        measured: live.fullMs,
        unit: 'ms',
        ok: true,
      },
      {
        figure: `${label} : durée, réponses du simulateur pré-calculées`,
        target: `≤ ${Math.round(maxWallMs)} ms (1,3 × requêtes × latence + 2 s)`,
        measured: m.fullMs,
        unit: 'ms',
        ok: m.fullMs <= maxWallMs,
      },
      { figure: 'sync complète : débit', target: '—', measured: (m.dossiers / m.fullMs) * 1000, unit: 'dossiers/s', ok: true },
      // CPU time tells the sync's own cost apart from waiting for a busy machine's cores.
      { figure: 'sync complète : temps CPU du processus de synchronisation', target: '—', measured: m.fullCpuMs, unit: 'ms', ok: true },
      {
        figure: 'sync complète : pic de mémoire (RSS, processus de synchronisation)',
        target: `≤ ${MAX_RSS_MB} Mo`,
        measured: peakMb,
        unit: 'Mo',
        ok: peakMb <= MAX_RSS_MB,
      },
      {
        figure: 'sync incrémentale sans changement : requêtes par démarche',
        target: '≤ 4',
        measured: m.incrementalRequests,
        ok: m.incrementalRequests <= 4 && m.status[1] === 'ok',
      },
      { figure: 'sync incrémentale sans changement : durée', target: '—', measured: m.incrementalMs, unit: 'ms', ok: true },
    ];
  } finally {
    simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
