// Check bench: rules on 10,000 mirrored dossiers, then a re-check after 50 of them changed in DS.
// The mirror is filled by a real sync from the simulator (no latency); only `check` is timed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkDemarche } from '../src/rules/check.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { mirroredAsrDemarche } from './bench-setup.ts';
import type { BenchResult } from './types.ts';

const DOSSIERS = 10_000;
const CHANGED = 50;

export async function benchCheck(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-check-'));
  const mirrored = await mirroredAsrDemarche(join(dir, 'bench.sqlite'), DOSSIERS);
  const { sim, db, client, demarche } = mirrored;
  try {
    let started = performance.now();
    const full = await checkDemarche(db, demarche, { all: true });
    const fullMs = performance.now() - started;
    if (full.status !== 'ok') throw new Error(`contrôle en échec : ${full.error ?? full.mappingProblems.join(' ; ')}`);

    const live = sim.store
      .listDossiers(demarche.number)
      .filter((d) => d.state !== 'brouillon')
      .slice(0, CHANGED);
    for (const d of live) sim.store.editDossier(d.number);
    await runSync({ db, client }, { demarches: [demarche.number] });
    started = performance.now();
    const again = await checkDemarche(db, demarche);
    const againMs = performance.now() - started;

    return [
      {
        figure: `contrôle de ${full.dossiers.toLocaleString('fr-FR')} dossiers (tous)`,
        target: '≤ 2000 ms',
        measured: fullMs,
        unit: 'ms',
        ok: fullMs <= 2000 && full.dossiers >= DOSSIERS * 0.9,
      },
      {
        figure: `nouveau contrôle après ${CHANGED} dossiers modifiés (${again.written} réécrits)`,
        target: '≤ 300 ms',
        measured: againMs,
        unit: 'ms',
        ok: againMs <= 300,
      },
    ];
  } finally {
    await mirrored.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
