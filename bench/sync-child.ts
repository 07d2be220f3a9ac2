// Child process of the sync bench: full sync, then an incremental one without changes, into a
// fresh SQLite file. Prints requests, timings and peak memory of this process as JSON.
import { openDatabase } from '../src/db/database.ts';
import { limitHeapGrowth } from '../src/heap-settings.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient } from '../src/graphql/client.ts';
import { runSync } from '../src/sync/sync-runner.ts';

// Measured as a ds-ars process runs (bin/ds-ars.js sets the same).
limitHeapGrowth();

const [url, token, demarche, dbPath] = process.argv.slice(2);
if (!url || !token || !demarche || !dbPath) throw new Error('usage: sync-child <graphqlUrl> <token> <démarche> <db>');

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const db = await openDatabase(dbPath);
// The simulator has no rate limit here: the figure is the sync's own cost, not DS's 400/min.
const client = new DsClient({ url, token, budget: new RequestBudget({ perMinute: 1_000_000, burst: 1_000 }) });
const started = performance.now();
const cpu = process.cpuUsage();
const full = await runSync({ db, client }, { demarches: [Number(demarche)] });
const fullMs = performance.now() - started;
const fullCpu = process.cpuUsage(cpu);
const afterFull = client.stats;
const incStarted = performance.now();
const incremental = await runSync({ db, client }, { demarches: [Number(demarche)] });
const incrementalMs = performance.now() - incStarted;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await db.destroy();
const f = full.results[0];
const i = incremental.results[0];
process.stdout.write(
  JSON.stringify({
    status: [full.status, incremental.status],
    error: f?.error ?? i?.error ?? null,
    dossiers: f?.upserted ?? 0,
    fullRequests: afterFull.requests,
    fullRetries: afterFull.retries,
    fullMs,
    fullCpuMs: (fullCpu.user + fullCpu.system) / 1000,
    incrementalRequests: (i?.requests ?? 0) - (i?.retries ?? 0),
    incrementalMs,
    sampledPeak: peak,
    // The kernel's high-water mark catches peaks between two samples.
    maxRss: process.resourceUsage().maxRSS * 1024,
  }),
);
