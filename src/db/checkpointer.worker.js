// Worker side of checkpointer.ts: a PASSIVE WAL checkpoint every `everyMs` on its own connection,
// until told to stop. PASSIVE copies what no reader still needs and never waits for a lock.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path);
// Checkpoints copy frames through the OS; a page cache would only add to the process's memory.
db.pragma('cache_size = -64');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
