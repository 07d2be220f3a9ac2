import type { Config } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { withDemarcheLeases, type WithLeaseOptions } from '../worker/lease.ts';

/** The lease lifetime `worker.leaseMinutes` sets, for the worker, run-once and manual commands alike. */
export function leaseTtlMs(config: Pick<Config, 'worker'>): number {
  return config.worker.leaseMinutes * 60_000;
}

/**
 * The lease settings of a manual command: the lifetime of `worker.leaseMinutes` when a
 * configuration is given (the default otherwise), and the logger that reports a lease taken
 * over from a dead process.
 */
export function manualLeaseOptions(config: Pick<Config, 'worker'> | undefined, logger?: Logger): WithLeaseOptions {
  return {
    ...(config === undefined ? {} : { ttlMs: leaseTtlMs(config) }),
    ...(logger === undefined ? {} : { logger }),
  };
}

/**
 * Commands that write (sync, annotate --apply, instruire --apply, decisions apply --apply) hold the
 * démarche's lease, so a worker or another command never works on the same démarche at once.
 * Dry runs change nothing and need no lease.
 */
export function leasedWhen<T>(
  writes: boolean,
  db: Db,
  demarches: readonly number[],
  fn: () => Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  return writes ? withDemarcheLeases(db, demarches, () => fn(), options) : fn();
}
