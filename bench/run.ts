// `npm run bench`: runs every benchmark of the project, prints one table (figure, target,
// measured, ratio) and writes it to docs/BENCHMARKS.md with the machine it ran on.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { limitHeapGrowth } from '../src/heap-settings.ts';
import type { BenchResult } from './types.ts';

// The in-process benches (check, decisions) run as a ds-ars process does (bin/ds-ars.js sets the same).
limitHeapGrowth();

type Bench = { name: string; load: () => Promise<() => Promise<BenchResult[]>> };

const benches: Bench[] = [
  { name: 'sync', load: async () => (await import('./sync.bench.ts')).benchSync },
  { name: 'check', load: async () => (await import('./check.bench.ts')).benchCheck },
  { name: 'report', load: async () => (await import('./report.bench.ts')).benchReport },
  { name: 'decisions', load: async () => (await import('./decisions.bench.ts')).benchDecisions },
  { name: 'dossier-jury', load: async () => (await import('./jury-pack.bench.ts')).benchJuryPack },
  { name: 'cli', load: async () => (await import('./cli.bench.ts')).benchCli },
  { name: 'postgres', load: async () => (await import('./postgres.bench.ts')).benchPostgres },
];

function ratio(r: BenchResult): string {
  const target = Number(/[\d.]+/.exec(r.target)?.[0]);
  return typeof r.measured === 'number' && Number.isFinite(target) && target > 0 ? (r.measured / target).toFixed(2) : '–';
}

function formatMeasured(r: BenchResult): string {
  const value = typeof r.measured === 'number' ? Number(r.measured.toFixed(2)).toLocaleString('fr-FR') : r.measured;
  return r.unit ? `${value} ${r.unit}` : String(value);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: Array<BenchResult & { bench: string }> = [];
  let failed = 0;
  for (const bench of benches) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    process.stderr.write(`▶ banc « ${bench.name} »…\n`);
    try {
      const run = await bench.load();
      for (const r of await run()) rows.push({ ...r, bench: bench.name });
    } catch (error) {
      failed++;
      rows.push({
        bench: bench.name,
        figure: 'exécution du banc',
        target: '—',
        measured: `échec : ${(error as Error).message}`,
        ok: false,
      });
    }
  }
  const header = ['banc', 'mesure', 'cible', 'mesuré', 'ratio', 'ok'];
  const lines = rows.map((r) => [r.bench, r.figure, r.target, formatMeasured(r), ratio(r), r.ok ? 'oui' : 'NON']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));

  const machine = `${osType()} ${release()}, ${cpus().length} cœurs (${cpus()[0]?.model ?? 'inconnu'}), ${Math.round(totalmem() / 2 ** 30)} Gio, Node ${process.version}`;
  const md = [
    '# Bancs d’essai',
    '',
    `Mesuré le ${new Date().toISOString()} sur : ${machine}.`,
    'Produit par `npm run bench` ; les chiffres varient d’une machine à l’autre.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
    '',
  ].join('\n');
  writeFileSync(new URL('../docs/BENCHMARKS.md', import.meta.url), md);
  console.log(`\nTableau écrit dans docs/BENCHMARKS.md${failed ? ` (${failed} banc(s) en échec)` : ''}.`);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
