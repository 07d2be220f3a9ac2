// Check bench: rules on 10,000 mirrored dossiers, then a re-check after 50 of them changed in DS.
// The mirror is filled by a real sync from the simulator (no latency); only `check` is timed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../src/config/file.ts';
import { openDatabase } from '../src/db/database.ts';
import { DsClient } from '../src/graphql/client.ts';
import { checkDemarche } from '../src/rules/check.ts';
import { formFromMirror } from '../src/rules/mapping/form-descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../src/rules/programmes/index.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import type { BenchResult } from './types.ts';

const DOSSIERS = 10_000;
const CHANGED = 50;

export async function benchCheck(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-check-'));
  const sim = await startSimulator({ seed: 7, programmes: ['asr'], dossiersPerDemarche: DOSSIERS, rateLimitPerMinute: 0 });
  const db = await openDatabase(join(dir, 'bench.sqlite'));
  try {
    const client = new DsClient({ url: sim.graphqlUrl, token: sim.tokens.readWrite });
    const info = sim.demarches[0]!;
    await runSync({ db, client }, { demarches: [info.number] });
    const form = await formFromMirror(db, info.number);
    if (!form) throw new Error('démarche non synchronisée');
    const mapping = matchLabels(PROGRAMMES[info.programme], form.champs).mapping;
    const demarche = parseConfig({ demarches: [{ number: info.number, programme: info.programme, session: info.session, mapping }] }, 'bench').demarches[0]!;

    let started = performance.now();
    const full = await checkDemarche(db, demarche, { all: true });
    const fullMs = performance.now() - started;
    if (full.status !== 'ok') throw new Error(`contrôle en échec : ${full.error ?? full.mappingProblems.join(' ; ')}`);

    const live = sim.store.listDossiers(info.number).filter((d) => d.state !== 'brouillon').slice(0, CHANGED);
    for (const d of live) sim.store.editDossier(d.number);
    await runSync({ db, client }, { demarches: [info.number] });
    started = performance.now();
    const again = await checkDemarche(db, demarche);
    const againMs = performance.now() - started;

    return [
      { figure: `contrôle de ${full.dossiers.toLocaleString('fr-FR')} dossiers (tous)`, target: '≤ 2000 ms', measured: fullMs, unit: 'ms', ok: fullMs <= 2000 && full.dossiers >= DOSSIERS * 0.9 },
      { figure: `nouveau contrôle après ${CHANGED} dossiers modifiés (${again.written} réécrits)`, target: '≤ 300 ms', measured: againMs, unit: 'ms', ok: againMs <= 300 },
    ];
  } finally {
    await db.destroy();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
