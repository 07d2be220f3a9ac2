import type { Db } from '../db/database.ts';
import { withDemarcheLeases } from '../worker/lease.ts';

/**
 * Commands that write (sync, annotate --apply, instruire --apply, decisions apply --apply) hold the
 * démarche's lease, so a worker or another command never works on the same démarche at once.
 * Dry runs change nothing and need no lease.
 */
export function leasedWhen<T>(writes: boolean, db: Db, demarches: readonly number[], fn: () => Promise<T>): Promise<T> {
  return writes ? withDemarcheLeases(db, demarches, () => fn()) : fn();
}
