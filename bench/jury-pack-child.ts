// Child process of the jury pack bench: writes the pack from an already seeded database and
// downloaded files, prints its timing and peak memory as JSON (the parent's memory does not count).
import { statSync } from 'node:fs';
import { openDatabase } from '../src/db/database.ts';
import { limitHeapGrowth } from '../src/heap-settings.ts';
import { writeJuryPacks } from '../src/reports/jury-pack/jury-pack.ts';
import { aumgDemarche } from '../test/reports-fixtures.ts';

limitHeapGrowth();

const [dbPath, outDir, demarche] = process.argv.slice(2);
if (!dbPath || !outDir || !demarche) throw new Error('usage: jury-pack-child <db> <out> <démarche>');

// Same descriptor ids as bench/jury-pack.bench.ts (not imported: it would load pdf-lib's writer side here too).
const PIECES = [
  'piece.presentation_dumg',
  'piece.presentation_structure',
  'piece.lettre_engagement',
  'piece.projet',
  'piece.cv',
  'piece.lettre_motivation',
];
const base = aumgDemarche(Number(demarche));
const demarcheWithPieces = { ...base, mapping: { ...base.mapping, ...Object.fromEntries(PIECES.map((key, i) => [key, `piece-${i}`])) } };

let peak = process.memoryUsage.rss();
const baseline = peak;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 5);

const db = await openDatabase(dbPath);
const started = performance.now();
const cpu = process.cpuUsage();
const result = await writeJuryPacks(db, {
  demarche: demarcheWithPieces,
  uiBaseUrl: 'https://demat.social.gouv.fr',
  outDir,
  filter: { scope: 'en_instruction' },
});
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
await db.destroy();
const maxRss = process.resourceUsage().maxRSS * 1024;
const pack = result.packs[0];
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (used.user + used.system) / 1000,
    baseline,
    sampledPeak: peak,
    maxRss,
    candidates: pack?.candidates ?? 0,
    pages: pack?.pages ?? 0,
    bytes: pack ? statSync(pack.path).size : 0,
    excluded: pack?.excluded.length ?? -1,
  }),
);
