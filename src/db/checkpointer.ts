/**
 * Background WAL checkpoints while the sync writes. Copying the WAL back into the database file
 * costs about as much as writing it; SQLite's automatic checkpoint does that copy on the writing
 * thread at commit time, every 1,000 pages (8 MB). During a sync, a second connection in a worker
 * thread runs PASSIVE checkpoints (they never block the writer), so the copy runs on another core.
 *
 * The writer keeps a rare automatic checkpoint of its own: SQLite only starts the WAL over when a
 * write begins with every frame copied, which a checkpointer running beside a busy writer seldom
 * leaves. That one finds almost everything copied already, so it is cheap, and the WAL stays
 * within about `restartAfterBytes`.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { rawSqlite, type Db } from './database.ts';

export interface Checkpointer {
  /** Back to automatic checkpoints; resolves once the worker has closed its connection. */
  stop(): Promise<void>;
}

const EVERY_MS = 100;

/** Starts background checkpoints for `db` (a file base; for an in-memory base, nothing to do). */
export function startCheckpointer(db: Db, { restartAfterBytes = 64 * 2 ** 20 }: { restartAfterBytes?: number } = {}): Checkpointer {
  const sqlite = rawSqlite(db);
  if (sqlite === undefined || sqlite.memory) return { stop: async () => undefined };
  // Plain JavaScript: worker threads have no TypeScript loader (CLI, tests and bench alike).
  // '../db/': the same file from src/db/ and from the bundled dist/cli/ or dist/chunks/.
  const worker = new Worker(new URL('../db/checkpointer.worker.js', import.meta.url), {
    workerData: { path: sqlite.name, everyMs: EVERY_MS },
    // Its heap only holds a timer and a connection.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
  });
  // A failed checkpointer only means the WAL grows until the next automatic checkpoint.
  worker.on('error', () => undefined);
  const exited = once(worker, 'exit').then(() => undefined);
  const automatic = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
  const pageSize = Number(sqlite.pragma('page_size', { simple: true }));
  sqlite.pragma(`wal_autocheckpoint = ${Math.max(1, Math.ceil(restartAfterBytes / pageSize))}`);
  return {
    stop: async () => {
      sqlite.pragma(`wal_autocheckpoint = ${automatic}`);
      worker.postMessage('stop');
      await exited;
    },
  };
}
