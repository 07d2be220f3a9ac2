import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time. A digest covers one Paris day (period_key 'YYYY-MM-DD'): at most one row per day
// may be 'sending' or 'sent', so two runs cannot mail the same period. snapshot_json keeps which
// dossiers were known and complete when it was sent, to tell the next digest what is new.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('digests').addColumn('period_key', 'text').execute();
  await db.schema.alterTable('digests').addColumn('snapshot_json', 'text').execute();
  await sql`create unique index digests_period_once_idx on digests (period_key) where status in ('sending', 'sent')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists digests_period_once_idx`.execute(db);
  await db.schema.alterTable('digests').dropColumn('snapshot_json').execute();
  await db.schema.alterTable('digests').dropColumn('period_key').execute();
}
