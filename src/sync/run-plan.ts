import type { SyncStateRow } from '../db/tables/mirror.table.ts';

/** DS's own default origin: any date before the first dossier works (NOTES §4). */
export const DEFAULT_ORIGIN = '2000-01-01T00:00:00Z';
export const DEFAULT_LABELS_EVERY_HOURS = 24;
const HOUR_MS = 3_600_000;

export interface RunRequest {
  full: boolean;
  labels: boolean;
  /** `sync.origin` of the config file, used when the démarche has no state yet or on --full. */
  origin: string;
  labelsEveryHours: number;
}

export interface RunPlan {
  mode: 'full' | 'incremental';
  /** `updatedSince` sent to DS: fixed per démarche, never advanced. */
  origin: string;
  /** Cursor to resume after (null: from the start). */
  cursor: string | null;
  deletedCursor: string | null;
  pendingDeletedCursor: string | null;
  /** Whether to run the labels pass (⌈N/100⌉ light requests). */
  labelsPass: boolean;
}

/**
 * What one run of a démarche does, from its stored state. Pure.
 * - First run or --full: from the start with the configured origin (a full re-read).
 * - Otherwise: resume from the stored cursors with the stored origin.
 * - Labels pass: asked for, or, on an incremental run, never done or older than
 *   `labelsEveryHours`, because label changes do not bump dateDerniereModification and are
 *   invisible to the cursor. A full run reads every dossier's labels with the dossier itself, so
 *   it needs no pass of its own (the runner stamps the labels as fresh when it completes).
 */
export function planRun(state: SyncStateRow | undefined, request: RunRequest, now: Date): RunPlan {
  const fresh = state === undefined || request.full;
  const labelsAge = state?.labels_synced_at ? now.getTime() - Date.parse(state.labels_synced_at) : Number.POSITIVE_INFINITY;
  return {
    mode: fresh ? 'full' : 'incremental',
    origin: fresh ? request.origin : state.updated_since,
    cursor: fresh ? null : state.cursor,
    deletedCursor: fresh ? null : state.deleted_cursor,
    pendingDeletedCursor: fresh ? null : state.pending_deleted_cursor,
    labelsPass: request.labels || (!fresh && !(labelsAge < request.labelsEveryHours * HOUR_MS)),
  };
}

/** The cursor to persist after a page: an empty page (no endCursor) never erases the stored one. */
export function nextCursor(stored: string | null, endCursor: string | null): string | null {
  return endCursor ?? stored;
}
