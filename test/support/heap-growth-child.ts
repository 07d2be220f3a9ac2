/**
 * Counts full (mark-compact) collections over a fixed batch workload: ~30 MB kept alive, then
 * batches that live a little while, as sync pages and workbooks do. Argument `limit` calls
 * limitHeapGrowth() first, after start-up, as src/cli/entry.ts does. Prints the count.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { limitHeapGrowth } from '../../src/heap-settings.ts';

if (process.argv[2] === 'limit') limitHeapGrowth();
let majors = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
});
observer.observe({ entryTypes: ['gc'] });

const live: unknown[] = [];
for (let i = 0; i < 300_000; i++) live.push({ a: `${'x'.repeat(20)}${i}`, b: [i, i + 1, i + 2] });
const recent: unknown[][] = [];
for (let round = 0; round < 1500; round++) {
  const batch: unknown[] = [];
  for (let i = 0; i < 5_000; i++) batch.push({ s: `y${i}`, n: [i, i] });
  recent.push(batch);
  if (recent.length > 20) recent.shift();
}
// GC entries are delivered asynchronously.
setTimeout(() => {
  observer.disconnect();
  process.stdout.write(`${majors} ${live.length}\n`);
}, 50);
