/**
 * Incremental, resumable sync of démarches into the SQLite mirror. A démarche is a stream; its
 * cursors are the state; every page is committed with its cursor. One failed démarche is
 * recorded in the journal and the run carries on with the next one.
 */
import { startCheckpointer } from '../db/checkpointer.ts';
import { rawSqlite, type Db } from '../db/database.ts';
import { storageError } from '../db/storage-errors.ts';
import type { DsClient } from '../graphql/client.ts';
import { toError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { deletedPages, pendingDeletedPages } from './deleted.stream.ts';
import { fetchDemarche } from './demarche.fetch.ts';
import { dossierPages } from './dossiers.stream.ts';
import { downloadFiles, removeOrphans } from './files.download.ts';
import { dossiersWithFailedFiles, fetchDossier } from './files.retry.ts';
import { labelPages } from './labels.stream.ts';
import { writeDeletionPage } from './deletions.writer.ts';
import { writeDemarche } from './demarche.writer.ts';
import { markLabelsPassDone, writeLabelsPage } from './labels.writer.ts';
import { prepareDossierPage, writeDossierPage, writePreparedPage, type DossierPageResult } from './dossiers.writer.ts';
import type { DossierNode } from '../graphql/answers.ts';
import type { Page } from './paginate.ts';
import { revisionChanged } from './revision.ts';
import { DEFAULT_LABELS_EVERY_HOURS, DEFAULT_ORIGIN, planRun } from './run-plan.ts';
import { finishRun, getSyncState, startRun } from './sync-state.repository.ts';
import { plural } from '../shared/plural.ts';

export type SyncStream = 'dossiers' | 'deleted' | 'pending' | 'labels';

/** Thrown inside syncDemarche to leave the remaining streams when a stop is requested. */
const STOPPED: unique symbol = Symbol('stopped');

/** What happened on one page, for progress display and logs (counts only, never data). */
export interface PageEvent {
  demarche: number;
  stream: SyncStream;
  page: number;
  nodes: number;
  hasNextPage: boolean;
  /** dossiers: rows written; deleted/pending: rows marked; labels: dossiers whose labels changed. */
  changed: number;
  stale: number;
  filesDownloaded: number;
  filesSkipped: number;
  filesFailed: number;
}

export interface SyncObserver {
  onDemarcheStart?(event: { demarche: number; mode: 'full' | 'incremental'; labelsPass: boolean }): void;
  onPage?(event: PageEvent): void;
  onDemarcheEnd?(result: DemarcheSyncResult): void;
}

export interface SyncOptions {
  demarches: readonly number[];
  /** Forget the cursors and re-read everything (deletions still come only from DS's lists). */
  full?: boolean;
  /** Force the labels pass. */
  labels?: boolean;
  /** Download attachments (needs `filesDir`). */
  files?: boolean;
  filesDir?: string;
  fileConcurrency?: number;
  /** `sync.origin`: fixed `updatedSince` for a démarche's first (or --full) run. */
  origin?: string;
  /** `sync.labelsEveryHours`: labels pass when the last one is older. */
  labelsEveryHours?: number;
  observer?: SyncObserver;
  logger?: Logger;
  now?: () => Date;
  /**
   * Asks the sync to stop between two committed pages (their cursors saved): the run is recorded
   * as interrupted, the démarches not started are left for the next run, which resumes there.
   */
  signal?: AbortSignal;
  /**
   * Called after each dossiers page is committed. A throw aborts the démarche as a crash would:
   * used by tests to check that a resumed run loses and doubles nothing.
   */
  onPageWritten?: (event: PageEvent) => void | Promise<void>;
}

export interface DemarcheSyncResult {
  demarche: number;
  runId: number;
  mode: 'full' | 'incremental';
  /** `interrupted`: stopped on request (options.signal) after a committed page. */
  status: 'ok' | 'partial' | 'failed' | 'interrupted';
  pages: number;
  upserted: number;
  stale: number;
  /** Dossiers DS listed that `ds-ars purge` removed: not written back. */
  purged: number;
  deleted: number;
  pendingDeleted: number;
  labelsPass: boolean;
  labelsChanged: number;
  revisionChanged: boolean;
  filesDownloaded: number;
  filesSkipped: number;
  filesFailed: number;
  /** GraphQL HTTP attempts to DS during this démarche (retries included, downloads not). */
  requests: number;
  retries: number;
  error: string | null;
  /** The database itself failed (disk full, read-only, corrupt): the run stops there. */
  storageFailure: boolean;
  fileErrors: Array<{ dossierNumber: number; filename: string; message: string }>;
}

export interface SyncReport {
  status: 'ok' | 'partial' | 'failed' | 'interrupted';
  /** The démarches synced (on a stop request, those not started are missing). */
  results: DemarcheSyncResult[];
}

const SEVERITY: readonly SyncReport['status'][] = ['failed', 'interrupted', 'partial', 'ok'];

export interface SyncDeps {
  db: Db;
  client: DsClient;
}

/** Syncs each démarche in turn; the report's status is the worst of theirs. */
export async function runSync(deps: SyncDeps, options: SyncOptions): Promise<SyncReport> {
  const results: DemarcheSyncResult[] = [];
  for (const demarche of options.demarches) {
    if (options.signal?.aborted) break;
    const result = await syncDemarche(deps, demarche, options);
    results.push(result);
    // The next démarches would meet the same full disk or read-only file.
    if (result.storageFailure) break;
  }
  const stopped = options.signal?.aborted === true && results.length < options.demarches.length;
  const status = SEVERITY.find((s) => results.some((r) => r.status === s)) ?? 'ok';
  return { status: stopped && status !== 'failed' ? 'interrupted' : status, results };
}

export async function syncDemarche(deps: SyncDeps, demarche: number, options: SyncOptions): Promise<DemarcheSyncResult> {
  const { db, client } = deps;
  const now = options.now ?? (() => new Date());
  const logger = options.logger?.child({ demarche });
  const plan = planRun(
    await getSyncState(db, demarche),
    {
      full: options.full ?? false,
      labels: options.labels ?? false,
      origin: options.origin ?? DEFAULT_ORIGIN,
      labelsEveryHours: options.labelsEveryHours ?? DEFAULT_LABELS_EVERY_HOURS,
    },
    now(),
  );
  const { runId, interrupted } = await startRun(db, demarche, plan, now().toISOString());
  if (interrupted > 0) logger?.warn({ interrupted }, 'synchronisation précédente interrompue : reprise au dernier curseur enregistré');
  options.observer?.onDemarcheStart?.({ demarche, mode: plan.mode, labelsPass: plan.labelsPass });
  const before = client.stats;
  const result: DemarcheSyncResult = {
    demarche,
    runId,
    mode: plan.mode,
    status: 'ok',
    pages: 0,
    upserted: 0,
    stale: 0,
    purged: 0,
    deleted: 0,
    pendingDeleted: 0,
    labelsPass: plan.labelsPass,
    labelsChanged: 0,
    revisionChanged: false,
    filesDownloaded: 0,
    filesSkipped: 0,
    filesFailed: 0,
    requests: 0,
    retries: 0,
    error: null,
    storageFailure: false,
    fileErrors: [],
  };
  const event = (stream: SyncStream, page: { index: number; nodes: unknown[]; hasNextPage: boolean }, changed: number): PageEvent => ({
    demarche,
    stream,
    page: page.index,
    nodes: page.nodes.length,
    hasNextPage: page.hasNextPage,
    changed,
    stale: 0,
    filesDownloaded: 0,
    filesSkipped: 0,
    filesFailed: 0,
  });

  const startedAt = now().toISOString();
  /** What was being written when the database failed, for the French message. */
  let writing: string | undefined;
  // WAL pages are copied back into the file from another thread while pages are written.
  const checkpointer = startCheckpointer(db);
  try {
    const node = await fetchDemarche(client, demarche);
    result.revisionChanged = revisionChanged(await getSyncState(db, demarche), node) || plan.mode === 'full';
    await writeDemarche(db, node, { revisionChanged: result.revisionChanged, at: now().toISOString() });

    const filesDir = options.files ? options.filesDir : undefined;
    const tried = new Set<number>();
    /** Downloads the files of a written page right away: DS links expire after 1 h. */
    const fetchFiles = async (written: DossierPageResult, pageEvent: PageEvent): Promise<void> => {
      if (filesDir === undefined) return;
      for (const file of written.files) tried.add(file.dossierNumber);
      const files = await downloadFiles(client, db, written.files, { dir: filesDir, concurrency: options.fileConcurrency });
      result.filesDownloaded += files.downloaded;
      result.filesSkipped += files.skipped;
      result.filesFailed += files.failed.length;
      result.fileErrors.push(...files.failed);
      Object.assign(pageEvent, { filesDownloaded: files.downloaded, filesSkipped: files.skipped, filesFailed: files.failed.length });
      for (const failure of files.failed) logger?.error({ dossier: failure.dossierNumber, err: failure.message }, 'fichier non téléchargé');
    };

    // Page k+1 is flattened while page k commits; pages are still written one after the other,
    // in order, each with its cursor, and page k's outcome is settled before page k+1's write.
    let inFlight: { page: Page<DossierNode>; write: Promise<DossierPageResult> } | undefined;
    const settle = async (flight: NonNullable<typeof inFlight>): Promise<void> => {
      const written = await flight.write;
      result.pages++;
      result.upserted += written.upserted;
      result.stale += written.stale;
      result.purged += written.purged;
      writing = undefined;
      const pageEvent = { ...event('dossiers', flight.page, written.upserted), stale: written.stale };
      await removeOrphans(written.orphanPaths);
      await fetchFiles(written, pageEvent);
      options.observer?.onPage?.(pageEvent);
      await options.onPageWritten?.(pageEvent);
    };
    try {
      const pages = dossierPages(client, { demarche, origin: plan.origin, after: plan.cursor, signal: options.signal });
      for await (const page of pages) {
        const prepared = prepareDossierPage({
          demarche,
          runId,
          nodes: page.nodes,
          endCursor: page.endCursor,
          syncedAt: now().toISOString(),
        });
        if (inFlight !== undefined) {
          const flight = inFlight;
          inFlight = undefined;
          await settle(flight);
          if (options.signal?.aborted) break;
        }
        writing = `la page ${result.pages + 1} des dossiers`;
        inFlight = { page, write: writePreparedPage(db, prepared) };
        inFlight.write.catch(() => undefined); // awaited by settle
      }
    } finally {
      // The last page, or the one in flight when the next fetch failed or a stop was requested:
      // counted, its files fetched.
      if (inFlight !== undefined) await settle(inFlight);
    }
    if (options.signal?.aborted) throw STOPPED;

    // Files that failed in an earlier run: their dossier is read again for fresh links.
    if (filesDir !== undefined) {
      for (const number of await dossiersWithFailedFiles(db, demarche, tried)) {
        try {
          const node = await fetchDossier(client, number);
          const written = await writeDossierPage(db, {
            demarche,
            runId,
            nodes: [node],
            endCursor: null,
            syncedAt: now().toISOString(),
            countsAsPage: false,
          });
          result.upserted += written.upserted;
          await removeOrphans(written.orphanPaths);
          await fetchFiles(written, event('dossiers', { index: 0, nodes: [node], hasNextPage: false }, written.upserted));
        } catch (thrown) {
          const message = toError(thrown).message;
          result.filesFailed++;
          result.fileErrors.push({ dossierNumber: number, filename: '', message });
          logger?.error({ dossier: number, err: message }, 'nouvel essai des fichiers impossible');
        }
      }
    }

    for await (const page of deletedPages(client, { demarche, origin: plan.origin, after: plan.deletedCursor, signal: options.signal })) {
      const changed = await writeDeletionPage(db, { demarche, runId, kind: 'deleted', nodes: page.nodes, endCursor: page.endCursor });
      result.deleted += changed;
      options.observer?.onPage?.(event('deleted', page, changed));
      if (options.signal?.aborted) throw STOPPED;
    }
    for await (const page of pendingDeletedPages(client, {
      demarche,
      origin: plan.origin,
      after: plan.pendingDeletedCursor,
      signal: options.signal,
    })) {
      const changed = await writeDeletionPage(db, { demarche, runId, kind: 'pending', nodes: page.nodes, endCursor: page.endCursor });
      result.pendingDeleted += changed;
      options.observer?.onPage?.(event('pending', page, changed));
      if (options.signal?.aborted) throw STOPPED;
    }

    if (plan.labelsPass) {
      const passStartedAt = now().toISOString();
      // Stopped half-way, the pass is not marked done: the next run makes a whole one.
      for await (const page of labelPages(client, demarche, options.signal)) {
        const changed = await writeLabelsPage(db, runId, page.nodes);
        result.labelsChanged += changed;
        options.observer?.onPage?.(event('labels', page, changed));
        if (options.signal?.aborted) throw STOPPED;
      }
      // Stamped with the pass's start: a change made during the pass is caught by the next one.
      await markLabelsPassDone(db, demarche, passStartedAt);
    } else if (plan.mode === 'full') {
      // Every dossier was just read with its labels: as good as a pass started with the run.
      await markLabelsPassDone(db, demarche, startedAt);
    }
    if (result.filesFailed > 0) {
      result.status = 'partial';
      result.error = `${plural(result.filesFailed, 'fichier non téléchargé', 'fichiers non téléchargés')} ; premier : ${result.fileErrors[0]?.message ?? ''}`;
    }
  } catch (thrown) {
    // A stop request also abandons the DS request in flight (paginate): its AbortError is the stop.
    if (thrown === STOPPED || (options.signal?.aborted === true && isAbortError(thrown))) {
      result.status = 'interrupted';
      logger?.warn({ pages: result.pages }, 'synchronisation arrêtée à la demande : reprise au dernier curseur enregistré');
    } else {
      result.status = 'failed';
      const storage = storageError(thrown, rawSqlite(db)?.name);
      result.storageFailure = storage !== undefined;
      // A page is written with its cursor in one transaction: on failure, neither is kept.
      result.error =
        storage === undefined
          ? toError(thrown).message
          : `${writing ? `${capitalize(writing)} n’a pas été enregistrée : elle a été annulée entière, la prochaine synchronisation la reprendra au dernier curseur enregistré. ` : ''}${storage.message}`;
      logger?.error({ err: result.error, pages: result.pages }, 'échec de la synchronisation de la démarche');
    }
  } finally {
    await checkpointer.stop();
  }

  const after = client.stats;
  result.requests = after.requests - before.requests;
  result.retries = after.retries - before.retries;
  try {
    await finishRun(
      db,
      demarche,
      runId,
      {
        status: result.status,
        filesDownloaded: result.filesDownloaded,
        filesFailed: result.filesFailed,
        requests: result.requests,
        retries: result.retries,
        errors: (result.status === 'failed' ? 1 : 0) + result.filesFailed,
        errorMessage: result.error,
      },
      now().toISOString(),
    );
  } catch (thrown) {
    // A full disk may refuse this last write too: the run stays 'running' and the next one marks it interrupted.
    const storage = storageError(thrown, rawSqlite(db)?.name);
    if (storage === undefined) throw thrown;
    if (result.status !== 'failed') Object.assign(result, { status: 'failed', error: storage.message });
    result.storageFailure = true;
    logger?.error({ err: storage.message }, 'fin de synchronisation non enregistrée');
  }
  options.observer?.onDemarcheEnd?.(result);
  return result;
}

/** An AbortError (a request abandoned on a stop request), or an error caused by one. */
function isAbortError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) if (e.name === 'AbortError') return true;
  return false;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
