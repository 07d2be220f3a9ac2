import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SyncRunRow } from '../db/tables/mirror.table.ts';

export interface DemarcheStatus {
  demarche: number;
  title: string | null;
  /** Live dossiers (not deleted, not pending deletion) by DS state. */
  byState: Record<string, number>;
  live: number;
  deleted: number;
  pendingDeletion: number;
  /** Dossiers removed by `ds-ars purge`: absent from the mirror on purpose, never re-imported. */
  purged: number;
  origin: string;
  cursorAt: string | null;
  /** Seconds since the dossiers cursor last moved (null: never). */
  cursorAgeSeconds: number | null;
  labelsSyncedAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastRun: Pick<
    SyncRunRow,
    'id' | 'mode' | 'status' | 'started_at' | 'ended_at' | 'pages' | 'upserted' | 'deleted' | 'requests' | 'retries' | 'errors'
  > | null;
  filesDownloaded: number;
  filesFailed: number;
}

/** The mirror's state per synced démarche (all of them, or those asked for), read-only. */
export async function mirrorStatus(db: Db, now: Date, demarches?: readonly number[]): Promise<DemarcheStatus[]> {
  let statesQuery = db
    .selectFrom('sync_state')
    .leftJoin('demarches', 'demarches.number', 'sync_state.demarche_number')
    .selectAll('sync_state')
    .select('demarches.title');
  if (demarches && demarches.length > 0) statesQuery = statesQuery.where('sync_state.demarche_number', 'in', [...demarches]);
  const states = await statesQuery.orderBy('sync_state.demarche_number').execute();
  const out: DemarcheStatus[] = [];
  for (const state of states) {
    const number = state.demarche_number;
    const counts = await db
      .selectFrom('dossiers')
      .select([
        'state',
        sql<number>`sum(case when deleted_at is null and pending_deletion = 0 then 1 else 0 end)`.as('live'),
        sql<number>`sum(case when deleted_at is not null then 1 else 0 end)`.as('deleted'),
        sql<number>`sum(case when deleted_at is null and pending_deletion = 1 then 1 else 0 end)`.as('pending'),
      ])
      .where('demarche_number', '=', number)
      .groupBy('state')
      .execute();
    const files = await db
      .selectFrom('files')
      .innerJoin('dossiers', 'dossiers.number', 'files.dossier_number')
      .select([sql<number>`count(files.local_path)`.as('downloaded'), sql<number>`count(files.download_error)`.as('failed')])
      .where('dossiers.demarche_number', '=', number)
      .executeTakeFirst();
    const lastRun = await db
      .selectFrom('sync_runs')
      .select(['id', 'mode', 'status', 'started_at', 'ended_at', 'pages', 'upserted', 'deleted', 'requests', 'retries', 'errors'])
      .where('demarche_number', '=', number)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const purged = await db
      .selectFrom('purged_dossiers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('demarche_number', '=', number)
      .executeTakeFirst();
    const byState: Record<string, number> = {};
    for (const c of counts) if (Number(c.live) > 0) byState[c.state] = Number(c.live);
    out.push({
      demarche: number,
      title: state.title,
      byState,
      live: counts.reduce((s, c) => s + Number(c.live), 0),
      deleted: counts.reduce((s, c) => s + Number(c.deleted), 0),
      pendingDeletion: counts.reduce((s, c) => s + Number(c.pending), 0),
      purged: Number(purged?.n ?? 0),
      origin: state.updated_since,
      cursorAt: state.cursor_at,
      cursorAgeSeconds: state.cursor_at ? Math.max(0, Math.round((now.getTime() - Date.parse(state.cursor_at)) / 1000)) : null,
      labelsSyncedAt: state.labels_synced_at,
      lastSuccessAt: state.last_success_at,
      lastError: state.last_error,
      lastRun: lastRun ?? null,
      filesDownloaded: Number(files?.downloaded ?? 0),
      filesFailed: Number(files?.failed ?? 0),
    });
  }
  return out;
}
