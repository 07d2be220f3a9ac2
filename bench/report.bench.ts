import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../src/db/database.ts';
import { seedDemarche, seedDossiers, type SeedDossier } from '../test/reports-fixtures.ts';
import type { BenchResult } from './types.ts';

const DOSSIERS = 10_000;
const DEMARCHE = 90_001;
const MAX_MS = 5_000;
const MAX_RSS_MB = 300;

const STATES = ['en_construction', 'en_instruction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'];
const ZONES = ['ZIP', 'ZIP+', 'ZAC', 'QPV'];

/** Synthetic dossiers: a third with findings, names and establishments from small pools. */
export function syntheticDossiers(count: number): SeedDossier[] {
  return Array.from({ length: count }, (_, i): SeedDossier => {
    const eligible = i % 3 === 0 ? 'non' : i % 3 === 1 ? 'a_verifier' : 'oui';
    return {
      number: 100_000 + i,
      state: STATES[i % STATES.length]!,
      nom: `Nom${i}`,
      prenom: `Prénom${i % 97}`,
      universite: `Université ${i % 7}`,
      structure: `Centre de santé ${i % 211}`,
      zone: ZONES[i % ZONES.length]!,
      specialite: 'Médecine générale',
      dateFinInternat: `20${20 + (i % 5)}-10-31`,
      ordre: (i % 4) + 1,
      groupe: `Groupe ${i % 8}`,
      evaluation: { complet: i % 3 !== 0, eligible },
      findings:
        eligible === 'oui'
          ? []
          : [
              {
                ruleId: 'complet.piece_requise',
                severity: eligible === 'non' ? 'bloquant' : 'alerte',
                message: 'La pièce « CV du candidat » est absente.',
                champLabel: 'CV du candidat',
              },
              {
                ruleId: 'id.rpps',
                severity: 'alerte',
                message: 'Le numéro RPPS a une clé de contrôle invalide.',
                champLabel: 'Numéro RPPS',
                champValue: '10003456789',
              },
            ],
    };
  });
}

/** Jury workbook of 10 000 dossiers, written in a child process: duration and peak RSS. */
export async function benchReport(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-report-'));
  try {
    const dbPath = join(dir, 'bench.sqlite');
    const db = await openDatabase(dbPath);
    await seedDemarche(db, DEMARCHE);
    await seedDossiers(db, DEMARCHE, syntheticDossiers(DOSSIERS));
    await db.destroy();

    const child = fileURLToPath(new URL('./report-child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, dbPath, join(dir, 'out'), String(DEMARCHE)], {
      maxBuffer: 1 << 20,
    });
    const m = JSON.parse(stdout) as {
      ms: number;
      cpuMs: number;
      baseline: number;
      sampledPeak: number;
      maxRss: number;
      dossiers: number;
      findings: number;
      bytes: number;
    };
    const peakMb = Math.max(m.sampledPeak, m.maxRss) / 2 ** 20;
    const load = loadavg()[0] ?? 0;
    return [
      {
        figure: `classeur jury, ${m.dossiers.toLocaleString('fr-FR')} dossiers et ${m.findings.toLocaleString('fr-FR')} anomalies : durée`,
        target: `≤ ${MAX_MS} ms`,
        measured: m.ms,
        unit: 'ms',
        ok: m.ms <= MAX_MS && m.dossiers === DOSSIERS,
      },
      // CPU time tells the cost apart from waiting for a busy machine's cores.
      {
        figure: 'classeur jury : temps CPU (lecture SQLite + écriture)',
        target: `≤ ${MAX_MS} ms`,
        measured: m.cpuMs,
        unit: 'ms',
        ok: m.cpuMs <= MAX_MS,
      },
      {
        figure: 'classeur jury : pic de mémoire (RSS, processus dédié)',
        target: `≤ ${MAX_RSS_MB} Mo`,
        measured: peakMb,
        unit: 'Mo',
        ok: peakMb <= MAX_RSS_MB,
      },
      {
        figure: 'classeur jury : mémoire au démarrage du processus (modules chargés)',
        target: '—',
        measured: m.baseline / 2 ** 20,
        unit: 'Mo',
        ok: true,
      },
      // Wall time on a shared machine depends on its load: reported so the figure can be read.
      { figure: 'charge de la machine pendant le banc (loadavg 1 min)', target: '—', measured: Number(load.toFixed(2)), ok: true },
      { figure: 'classeur jury : taille du fichier', target: '—', measured: m.bytes / 2 ** 20, unit: 'Mo', ok: true },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
