import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.ts';
import { createLogger, createMemoryDestination } from '../src/logger.ts';
import { acquireLease, LeaseBusyError, readLease, releaseLease, renewLease, withDemarcheLeases, withLease } from '../src/worker/lease.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

const opened: Db[] = [];
async function open(path: string): Promise<Db> {
  const db = await openDatabase(path);
  opened.push(db);
  return db;
}

afterEach(async () => {
  vi.useRealTimers();
  while (opened.length > 0) await opened.pop()?.destroy();
});

afterAll(dropTestDatabases);

describe.each(dialects)('leases (%s)', (dialect) => {
  it('lets one holder in, keeps the other out until the lease expires, and never frees someone else’s', async () => {
    const db = await open(await freshTarget(dialect));
    const t0 = new Date('2026-11-27T01:30:00Z');
    expect(await acquireLease(db, 'demarche:1', 'a', 60_000, t0)).toBe(true);
    expect(await acquireLease(db, 'demarche:1', 'b', 60_000, new Date(t0.getTime() + 59_000))).toBe(false);
    // Another resource is independent.
    expect(await acquireLease(db, 'demarche:2', 'b', 60_000, t0)).toBe(true);
    await releaseLease(db, 'demarche:1', 'b');
    expect((await readLease(db, 'demarche:1'))?.holder).toBe('a');
    // A crashed holder: nobody renews, the lease expires, the next one takes it.
    expect(await acquireLease(db, 'demarche:1', 'b', 60_000, new Date(t0.getTime() + 60_000))).toBe(true);
    expect(await renewLease(db, 'demarche:1', 'a', 60_000)).toBe(false);
    expect((await readLease(db, 'demarche:1'))?.holder).toBe('b');
  });

  it('gives the lease to exactly one of two connections racing for it', async () => {
    const path = await freshTarget(dialect);
    const connections = [await open(path), await open(path), await open(path), await open(path)];
    const wins = await Promise.all(connections.map((db, i) => acquireLease(db, 'demarche:7', `holder-${i}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('withLease: runs the function under the lease, releases it even on error, and reports a busy resource in French', async () => {
    const path = await freshTarget(dialect);
    const a = await open(path);
    const b = await open(path);
    let release!: () => void;
    const held = withLease(a, 'demarche:3', 'a', () => new Promise<string>((resolve) => (release = () => resolve('fait'))), {
      ttlMs: 60_000,
    });
    await vi.waitFor(async () => expect((await readLease(b, 'demarche:3'))?.holder).toBe('a'));
    const busy = await withLease(b, 'demarche:3', 'b', async () => 'jamais', { ttlMs: 60_000 }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(LeaseBusyError);
    expect((busy as LeaseBusyError).message).toContain('déjà en cours de traitement par a');
    release();
    expect(await held).toBe('fait');
    expect(await readLease(b, 'demarche:3')).toBeUndefined();
    await expect(withLease(b, 'demarche:3', 'b', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readLease(a, 'demarche:3')).toBeUndefined();
  });

  it('withLease: renews while working, and aborts the work when the lease is lost', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-27T01:30:00Z'));
    const path = await freshTarget(dialect);
    const a = await open(path);
    const b = await open(path);
    let signalSeen: AbortSignal | undefined;
    let finish!: () => void;
    const work = withLease(
      a,
      'demarche:4',
      'a',
      (signal) => {
        signalSeen = signal;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      { ttlMs: 30_000, renewEveryMs: 10_000 },
    );
    await vi.waitFor(() => expect(signalSeen).toBeDefined());
    await vi.advanceTimersByTimeAsync(25_000);
    // Renewed: 25 s after start, another holder still cannot take it.
    // (On PostgreSQL the renewal's write travels over a socket: wait for it to land.)
    await vi.waitFor(async () => expect(Date.parse((await readLease(b, 'demarche:4'))!.expiresAt)).toBeGreaterThan(Date.now() + 20_000));
    expect(await acquireLease(b, 'demarche:4', 'b', 30_000)).toBe(false);
    // Stolen behind our back (as after a long freeze): the next renewal notices and aborts.
    await b.updateTable('leases').set({ holder: 'b' }).where('resource', '=', 'demarche:4').execute();
    await vi.advanceTimersByTimeAsync(10_000);
    // (On PostgreSQL that renewal's answer comes over a socket, after the fake clock moved.)
    await vi.waitFor(() => expect(signalSeen?.aborted).toBe(true));
    finish();
    await work;
    // The thief's lease is left alone.
    expect((await readLease(b, 'demarche:4'))?.holder).toBe('b');
  });
});

describe.each(dialects)('withDemarcheLeases (%s)', (dialect) => {
  it('holds every démarche of a manual command, and refuses when the worker has one of them', async () => {
    const path = await freshTarget(dialect);
    const worker = await open(path);
    const cli = await open(path);
    const held = await withDemarcheLeases(cli, [12, 11, 12], async () =>
      (await cli.selectFrom('leases').select('resource').orderBy('resource').execute()).map((r) => r.resource),
    );
    expect(held).toEqual(['demarche:11', 'demarche:12']);
    expect(await cli.selectFrom('leases').selectAll().execute()).toEqual([]);

    expect(await acquireLease(worker, 'demarche:12', 'worker', 60_000)).toBe(true);
    let ran = false;
    const refused = await withDemarcheLeases(cli, [11, 12], async () => {
      ran = true;
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LeaseBusyError);
    expect(ran).toBe(false);
    // The démarche it did get is given back.
    expect(await readLease(cli, 'demarche:11')).toBeUndefined();
  });
});

/** A process of this host that has ended: its pid no longer exists. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe.each(dialects)('leases of processes that died (%s)', (dialect) => {
  it('takes over at once, with a French log line, a lease whose holder is a dead process of this host; never a live one’s or another host’s', async () => {
    const db = await open(await freshTarget(dialect));
    const dead = `${hostname()}:${await deadPid()}:deadbeef`;
    // Far from expiring: only the dead holder lets it go.
    expect(await acquireLease(db, 'demarche:5', dead, 3_600_000)).toBe(true);
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    expect(
      await withLease(db, 'demarche:5', 'moi:1:abcd', async () => (await readLease(db, 'demarche:5'))?.holder, { ttlMs: 60_000, logger }),
    ).toBe('moi:1:abcd');
    expect(destination.text()).toContain(
      `Verrou « demarche:5 » repris immédiatement : le processus ${dead.split(':')[1]} qui le détenait sur cette machine n’existe plus`,
    );
    expect(await readLease(db, 'demarche:5')).toBeUndefined();

    // A live process of this host, and any process of another host, keep theirs.
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      expect(await acquireLease(db, 'demarche:6', `${hostname()}:${alive.pid}:0badf00d`, 3_600_000)).toBe(true);
      expect(await acquireLease(db, 'demarche:7', `autre-serveur:${await deadPid()}:0badf00d`, 3_600_000)).toBe(true);
      for (const resource of ['demarche:6', 'demarche:7']) {
        await expect(withLease(db, resource, 'moi:1:abcd', async () => 'jamais', { ttlMs: 60_000 })).rejects.toBeInstanceOf(LeaseBusyError);
      }
    } finally {
      alive.kill('SIGKILL');
    }
  });
});
