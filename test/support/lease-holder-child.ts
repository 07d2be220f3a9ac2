/**
 * A live process holding a démarche's lease the way a manual command does (withDemarcheLeases,
 * renewed while it runs), until SIGTERM: then it releases the lease and exits 0.
 * Prints « verrou tenu » on stdout once it holds the lease.
 * Usage: node --import tsx test/support/lease-holder-child.ts <db> <démarche> <leaseTtlMs>
 */
import { openDatabase } from '../../src/db/database.ts';
import { withDemarcheLeases } from '../../src/worker/lease.ts';

const [dbPath = '', demarche = '0', leaseTtlMs = '60000'] = process.argv.slice(2);
const db = await openDatabase(dbPath);
// The lease's heartbeat does not keep a process alive: this timer does, until SIGTERM.
const keepAlive = setInterval(() => undefined, 60_000);
const stop = new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
await withDemarcheLeases(
  db,
  [Number(demarche)],
  async () => {
    process.stdout.write('verrou tenu\n');
    await stop;
  },
  { ttlMs: Number(leaseTtlMs) },
);
clearInterval(keepAlive);
await db.destroy();
