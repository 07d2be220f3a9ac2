import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError, toError } from '../errors.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { parisDateTime } from '../shared/paris-time.ts';

/**
 * Default lease lifetime. The holder renews it every third of that while it works (heartbeat), so
 * it only needs to outlast a stalled event loop; a holder that died on another host frees the
 * démarche within minutes (one that died on this host is noticed at once, see holderLiveness).
 */
export const DEFAULT_LEASE_TTL_MS = 5 * 60_000;

/** The lease resource of a night run as a whole: one worker runs the pipeline at a time. */
export const PIPELINE_RESOURCE = 'pipeline';

/** The lease resource of a démarche: two processes never work on the same one at once. */
export function demarcheResource(demarcheNumber: number): string {
  return `demarche:${demarcheNumber}`;
}

/** hostname:pid:random — unique per process, and readable in the "busy" message. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface LeaseState {
  resource: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/** Host and process id written in a holder id by newHolderId; undefined for any other form. */
export function parseHolder(holder: string): { host: string; pid: number } | undefined {
  const match = /^(.+):(\d+):[0-9a-f]+$/.exec(holder);
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}

/**
 * Whether the holder's process still runs: known only on the same host (signal 0 probes without
 * touching it; EPERM means it exists under another user). 'unknown' for another host.
 */
export function holderLiveness(holder: string, host: string = hostname()): 'alive' | 'dead' | 'unknown' {
  const parsed = parseHolder(holder);
  if (parsed === undefined || parsed.host !== host) return 'unknown';
  if (parsed.pid === process.pid) return 'alive';
  try {
    process.kill(parsed.pid, 0);
    return 'alive';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'dead' : 'alive';
  }
}

/** Someone is working under this lease: not expired, and its holder is not a process known to be gone. */
export function isLeaseLive(lease: LeaseState, now: Date): boolean {
  return Date.parse(lease.expiresAt) > now.getTime() && holderLiveness(lease.holder) !== 'dead';
}

/**
 * Takes a lease whose holder is a dead process of this host, without waiting for its expiry.
 * The update names the dead holder, so two processes taking it over at once cannot both win.
 * Returns the lease taken over, or undefined when it is free, alive, or elsewhere.
 */
export async function takeOverDeadLease(
  db: Db,
  resource: string,
  holder: string,
  ttlMs: number,
  now: Date = new Date(),
): Promise<LeaseState | undefined> {
  const lease = await readLease(db, resource);
  if (lease === undefined || lease.holder === holder || holderLiveness(lease.holder) !== 'dead') return undefined;
  const result = await db
    .updateTable('leases')
    .set({ holder, acquired_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlMs).toISOString() })
    .where('resource', '=', resource)
    .where('holder', '=', lease.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? lease : undefined;
}

/** Every lease, expired ones included (they stay until taken or released), by resource. */
export async function listLeases(db: Db): Promise<LeaseState[]> {
  const rows = await db.selectFrom('leases').selectAll().orderBy('resource').execute();
  return rows.map((row) => ({ resource: row.resource, holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at }));
}

/** The resource is held by someone else whose lease has not expired. */
export class LeaseBusyError extends AppError {
  readonly lease: LeaseState | undefined;

  constructor(resource: string, lease: LeaseState | undefined) {
    // The holder renews its lease while it works: the expiry is today's, in Paris time, not an end.
    const who = lease
      ? `par ${lease.holder} (échéance du verrou : ${parisDateTime(lease.expiresAt)}, repoussée tant qu’il travaille)`
      : 'par un autre processus';
    const demarche = /^demarche:(\d+)$/.exec(resource)?.[1];
    const what = demarche === undefined ? `« ${resource} »` : `La démarche ${demarche}`;
    // A dead holder on this machine is taken over at once, so this one runs or is on another machine.
    const release = `« ds-ars verrous » montre son détenteur ; si ce processus est arrêté, « ds-ars verrous liberer ${demarche ?? 'traitement'} » libère le verrou`;
    super('lease', `${what} est déjà en cours de traitement ${who}. Attendez la fin de ce traitement, puis relancez (${release}).`, {
      details: { resource, holder: lease?.holder, expiresAt: lease?.expiresAt },
    });
    this.name = 'LeaseBusyError';
    this.lease = lease;
  }
}

/**
 * Takes the lease if it is free, expired, or already ours, in one INSERT … ON CONFLICT DO UPDATE
 * … WHERE statement: SQLite runs it atomically, so two processes can never both win.
 */
export async function acquireLease(db: Db, resource: string, holder: string, ttlMs: number, now: Date = new Date()): Promise<boolean> {
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const result = await db
    .insertInto('leases')
    .values({ resource, holder, acquired_at: nowIso, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column('resource')
        .doUpdateSet({ holder, acquired_at: nowIso, expires_at: expiresAt })
        .where((eb) => eb.or([eb('leases.expires_at', '<=', nowIso), eb('leases.holder', '=', holder)])),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Pushes the expiry forward; false when the lease was lost (expired and taken by another). */
export async function renewLease(db: Db, resource: string, holder: string, ttlMs: number, now: Date = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('leases')
    .set({ expires_at: new Date(now.getTime() + ttlMs).toISOString() })
    .where('resource', '=', resource)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Frees the lease if `holder` still holds it (never a newer holder's); false when it is gone.
 * The operator command passes the holder it showed, to free a lease left by another process.
 */
export async function releaseLease(db: Db, resource: string, holder: string): Promise<boolean> {
  const result = await db.deleteFrom('leases').where('resource', '=', resource).where('holder', '=', holder).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function readLease(db: Db, resource: string): Promise<LeaseState | undefined> {
  const row = await db.selectFrom('leases').selectAll().where('resource', '=', resource).executeTakeFirst();
  return row && { resource: row.resource, holder: row.holder, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}

export interface WithLeaseOptions {
  ttlMs?: number;
  /** How often the lease is renewed while `fn` works; a third of the TTL by default. */
  renewEveryMs?: number;
  /** Stops `fn` from outside (SIGTERM); it is passed on, combined with "lease lost". */
  signal?: AbortSignal;
  logger?: Logger;
}

/**
 * Runs `fn` while holding the lease on `resource`, renewing it as it goes, and releases it at the
 * end (even on error). Throws LeaseBusyError when another live holder has it. `fn` receives a
 * signal that aborts on the outer signal or when the lease is lost, so it stops after its current
 * page or mutation instead of racing the new holder. Do not nest two calls on the same resource.
 */
export async function withLease<T>(
  db: Db,
  resource: string,
  holder: string,
  fn: (signal: AbortSignal) => Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  if (!(await acquireLease(db, resource, holder, ttlMs))) {
    const dead = await takeOverDeadLease(db, resource, holder, ttlMs);
    if (dead === undefined) throw new LeaseBusyError(resource, await readLease(db, resource));
    const { pid } = parseHolder(dead.holder)!;
    options.logger?.warn(
      { resource, previousHolder: dead.holder, previousExpiresAt: dead.expiresAt },
      `Verrou « ${resource} » repris immédiatement : le processus ${pid} qui le détenait sur cette machine n’existe plus (arrêt brutal).`,
    );
  }
  const lost = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = renewLease(db, resource, holder, ttlMs).then(
        (held) => {
          if (held) return;
          options.logger?.error({ resource }, `Verrou « ${resource} » perdu : arrêt après l’opération en cours.`);
          lost.abort(new LeaseBusyError(resource, undefined));
        },
        (error: unknown) => {
          // A busy database for one renewal is not a lost lease: the next renewal retries.
          options.logger?.warn({ resource, err: toError(error) }, `Renouvellement du verrou « ${resource} » impossible pour l’instant.`);
        },
      );
    },
    options.renewEveryMs ?? Math.max(1_000, Math.floor(ttlMs / 3)),
  );
  // The heartbeat alone must not keep a finished process alive.
  timer.unref();
  try {
    return await fn(signal);
  } finally {
    clearInterval(timer);
    await renewing;
    await releaseLease(db, resource, holder);
  }
}

/** withLease over several resources at once (all or none), e.g. every démarche a purge touches. */
export async function withLeases<T>(
  db: Db,
  resources: readonly string[],
  holder: string,
  fn: (signal: AbortSignal) => Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  const [first, ...rest] = resources;
  if (first === undefined) return fn(options.signal ?? new AbortController().signal);
  return withLease(db, first, holder, (signal) => withLeases(db, rest, holder, fn, { ...options, signal }), options);
}

/**
 * For the manual commands (sync, annotate, decisions): holds `demarche:<n>` for each démarche
 * worked on, so a worker or another command cannot work on them at the same time. Throws
 * LeaseBusyError (French message, exit code 1) when one is busy.
 */
export function withDemarcheLeases<T>(
  db: Db,
  demarches: readonly number[],
  fn: (signal: AbortSignal) => Promise<T>,
  options: WithLeaseOptions = {},
): Promise<T> {
  const resources = [...new Set(demarches)].sort((a, b) => a - b).map(demarcheResource);
  return withLeases(db, resources, newHolderId(), fn, options);
}
