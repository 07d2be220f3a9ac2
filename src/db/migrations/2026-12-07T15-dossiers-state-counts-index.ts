import { sql, type Kysely } from 'kysely';

// Frozen in time. `ds-ars status` counts a démarche's dossiers by state, deleted and pending
// deletion. With only (demarche_number), each row's deleted_at and pending_deletion were read
// behind the ~15 kB raw_json, walking every row's overflow pages: ~1 s and 30 MB of cache for
// 10,000 dossiers. This covering index answers the count from a few pages.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index dossiers_state_counts_idx on dossiers (demarche_number, state, deleted_at, pending_deletion)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('dossiers_state_counts_idx').execute();
}
