import { sql, type Kysely } from 'kysely';

// Frozen in time. The live dossiers of a démarche (not deleted, not pending deletion) with the
// columns `check` and the reports list them by (a covering index). Without it, reaching `deleted_at` and
// `pending_deletion`, stored after the ~15 kB `raw_json`, walked each row's overflow pages.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossiers_live_idx on dossiers (demarche_number, number, state, date_derniere_modification, deleted_at, pending_deletion) where deleted_at is null and pending_deletion = 0`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_live_idx').execute();
}
