import type { Db } from '../db/database.ts';
import { previousOccurrence } from './cron.ts';

/** The schedule name under which the nightly pipeline records its runs (worker and run-once alike). */
export const PIPELINE_SCHEDULE = 'pipeline';

export interface CatchUp {
  /** 'missed': the worker was down at a scheduled time; 'unfinished': the last run crashed or was stopped. */
  reason: 'missed' | 'unfinished';
  /** The scheduled time that was missed (null for an unfinished run). */
  scheduledAt: Date | null;
}

/**
 * What the worker must make up at start, or null. A schedule never run before has missed nothing:
 * a fresh install waits for its first slot instead of starting at once. A run left 'running'
 * (crash) or 'interrupted' (SIGTERM) is resumed: sync picks up from its saved cursor.
 */
export async function findCatchUp(
  db: Db,
  schedule: string,
  expression: string,
  timezone: string,
  now: Date = new Date(),
): Promise<CatchUp | null> {
  const row = await db
    .selectFrom('schedule_runs')
    .select(['last_started_at', 'last_status'])
    .where('schedule', '=', schedule)
    .executeTakeFirst();
  if (!row?.last_started_at) return null;
  const previous = previousOccurrence(expression, timezone, now);
  if (previous !== null && Date.parse(row.last_started_at) < previous.getTime()) return { reason: 'missed', scheduledAt: previous };
  if (row.last_status === 'running' || row.last_status === 'interrupted') return { reason: 'unfinished', scheduledAt: null };
  return null;
}

/** Recorded before the pipeline starts, so a crash mid-run does not cause a second catch-up at restart. */
export async function recordRunStarted(db: Db, schedule: string, at: Date = new Date()): Promise<void> {
  await db
    .insertInto('schedule_runs')
    .values({ schedule, last_started_at: at.toISOString(), last_finished_at: null, last_status: 'running', last_error: null })
    .onConflict((oc) => oc.column('schedule').doUpdateSet({ last_started_at: at.toISOString(), last_status: 'running', last_error: null }))
    .execute();
}

export async function recordRunFinished(
  db: Db,
  schedule: string,
  status: string,
  error: string | null,
  at: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('schedule_runs')
    .set({ last_finished_at: at.toISOString(), last_status: status, last_error: error })
    .where('schedule', '=', schedule)
    .execute();
}
