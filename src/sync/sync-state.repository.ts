import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { SyncRunRow, SyncRunTable, SyncStateRow } from '../db/tables/mirror.table.ts';
import { nextCursor, type RunPlan } from './run-plan.ts';

export async function getSyncState(db: Db, demarche: number): Promise<SyncStateRow | undefined> {
  return db.selectFrom('sync_state').selectAll().where('demarche_number', '=', demarche).executeTakeFirst();
}

export interface StartedRun {
  runId: number;
  /** Earlier runs of this démarche left 'running' by a crash, now marked 'interrupted'. */
  interrupted: number;
}

/**
 * Opens a journal entry for a run and stores the plan's origin and cursors in the sync state
 * (a --full run starts over from null cursors). Runs left 'running' by a crash become
 * 'interrupted': their pages are already committed, the next run simply resumes.
 */
export async function startRun(db: Db, demarche: number, plan: RunPlan, at: string): Promise<StartedRun> {
  return db.transaction().execute(async (trx) => {
    const stale = await trx
      .updateTable('sync_runs')
      .set({ status: 'interrupted', ended_at: at })
      .where('demarche_number', '=', demarche)
      .where('status', '=', 'running')
      .executeTakeFirst();
    const run = await trx
      .insertInto('sync_runs')
      .values({ demarche_number: demarche, mode: plan.mode, status: 'running', started_at: at, error_message: null, ended_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const state = {
      updated_since: plan.origin,
      cursor: plan.cursor,
      deleted_cursor: plan.deletedCursor,
      pending_deleted_cursor: plan.pendingDeletedCursor,
      last_run_id: run.id,
    };
    await trx
      .insertInto('sync_state')
      .values({ demarche_number: demarche, ...state })
      .onConflict((oc) => oc.column('demarche_number').doUpdateSet(state))
      .execute();
    return { runId: run.id, interrupted: Number(stale.numUpdatedRows) };
  });
}

export interface RunOutcome {
  status: Exclude<SyncRunTable['status'], 'running'>;
  filesDownloaded: number;
  filesFailed: number;
  requests: number;
  retries: number;
  errors: number;
  errorMessage: string | null;
}

/**
 * Closes the journal entry; a run that did not fail records its time as the last success (an
 * interrupted one records neither: the démarche is not up to date, and nothing went wrong).
 */
export async function finishRun(db: Db, demarche: number, runId: number, outcome: RunOutcome, at: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sync_runs')
      .set({
        status: outcome.status,
        ended_at: at,
        files_downloaded: outcome.filesDownloaded,
        files_failed: outcome.filesFailed,
        requests: outcome.requests,
        retries: outcome.retries,
        errors: outcome.errors,
        error_message: outcome.errorMessage,
      })
      .where('id', '=', runId)
      .execute();
    if (outcome.status === 'interrupted') return;
    await trx
      .updateTable('sync_state')
      .set(outcome.status === 'failed' ? { last_error: outcome.errorMessage } : { last_success_at: at, last_error: outcome.errorMessage })
      .where('demarche_number', '=', demarche)
      .execute();
  });
}

/** Latest runs first. */
export async function listRuns(db: Db, demarche: number, limit = 20): Promise<SyncRunRow[]> {
  return db.selectFrom('sync_runs').selectAll().where('demarche_number', '=', demarche).orderBy('id', 'desc').limit(limit).execute();
}

export type CursorColumn = 'cursor' | 'deleted_cursor' | 'pending_deleted_cursor';

/** Stores a stream's cursor inside the caller's transaction; an empty page keeps the old one. */
export async function saveCursor(
  trx: Kysely<Database>,
  demarche: number,
  column: CursorColumn,
  endCursor: string | null,
  at: string,
): Promise<void> {
  const state = await trx.selectFrom('sync_state').select(column).where('demarche_number', '=', demarche).executeTakeFirstOrThrow();
  const cursor = nextCursor(state[column], endCursor);
  await trx
    .updateTable('sync_state')
    .set(column === 'cursor' ? { cursor, cursor_at: at } : { [column]: cursor })
    .where('demarche_number', '=', demarche)
    .execute();
}
