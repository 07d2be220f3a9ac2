/**
 * A `ds-ars worker` process for the signal and crash tests: the real serveWorker (signals,
 * leases, catch-up at start) over the test steps, so the parent can SIGTERM or SIGKILL it mid-sync.
 * Usage: node --import tsx test/support/worker-child.ts <db> <pages> <pauseMs> <leaseTtlMs> [host]
 * With [host], its leases name that host instead of this one: a worker on « another machine ».
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/db/database.ts';
import { createLogger } from '../../src/logger.ts';
import { serveWorker } from '../../src/worker/worker.ts';
import { digestStep, markerStep, pagedSyncStep } from './worker-steps.ts';

const [dbPath = '', pages = '6', pauseMs = '100', leaseTtlMs = '60000', host] = process.argv.slice(2);
const db = await openDatabase(dbPath);
const logger = createLogger({ level: 'info' });
const code = await serveWorker({
  db,
  logger,
  demarches: [{ number: 101 }, { number: 102 }],
  steps: [pagedSyncStep({ pages: Number(pages), pauseMs: Number(pauseMs) }), markerStep('check'), markerStep('report'), digestStep()],
  schedule: '30 2 * * *',
  timezone: 'Europe/Paris',
  leaseTtlMs: Number(leaseTtlMs),
  ...(host === undefined ? {} : { holder: `${host}:${process.pid}:${randomBytes(4).toString('hex')}` }),
});
await db.destroy();
process.exitCode = code;
