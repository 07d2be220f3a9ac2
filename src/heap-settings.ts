import { setFlagsFromString } from 'node:v8';

/**
 * ds-ars processes (CLI, worker) work in batches: a sync page or a workbook is garbage a moment
 * later. By default V8 lets the heap grow to about four times the live data before a full
 * collection, so a nightly sync of 10,000 dossiers peaked above 300 MB for ~30 MB of live data.
 * Capping growth at twice the live data keeps it well under, for a few more (short) collections.
 * V8 reads this setting at each collection, so it applies when set here, at start-up, after node
 * has started: test/heap-settings.test.ts measures it (as many full collections as with the flag on
 * node's command line). It is not put on the command line because Node refuses
 * --heap-growing-percent in NODE_OPTIONS, and a shebang flag (`env -S node --…`) is ignored by
 * `node bin/ds-ars.js` (npm scripts, service units) and Windows npm shims; a re-exec costs a
 * second start-up.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=100');
}
