// Child process of the report bench: writes one jury workbook from an already seeded database and
// prints its timing and peak memory as JSON, so the parent's memory does not count.
import { statSync } from 'node:fs';
import { openDatabase } from '../src/db/database.ts';
import { limitHeapGrowth } from '../src/heap-settings.ts';
import { writeJuryWorkbook } from '../src/reports/jury-workbook.ts';
import { aumgDemarche } from '../test/reports-fixtures.ts';

// Measured as a ds-ars process runs (bin/ds-ars.js sets the same).
limitHeapGrowth();

const [dbPath, outDir, demarche] = process.argv.slice(2);
if (!dbPath || !outDir || !demarche) throw new Error('usage: report-child <db> <out> <démarche>');

let peak = process.memoryUsage().rss;
const baseline = peak;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);

const db = await openDatabase(dbPath);
const started = performance.now();
const cpu = process.cpuUsage();
const result = await writeJuryWorkbook(db, { demarche: aumgDemarche(Number(demarche)), uiBaseUrl: 'https://demat.social.gouv.fr', outDir });
const ms = performance.now() - started;
const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await db.destroy();
// maxRSS (KiB) is the kernel's high-water mark: it catches peaks between two samples.
const maxRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs,
    baseline,
    sampledPeak: peak,
    maxRss,
    dossiers: result.dossiers,
    findings: result.findings,
    bytes: statSync(result.path).size,
  }),
);
