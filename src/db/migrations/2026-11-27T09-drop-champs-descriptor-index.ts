import type { Kysely } from 'kysely';

// Frozen in time. The index of champ rows by descriptor grew at ~40 places per page of 100
// dossiers (one per descriptor), which cost the sync ~10 ms of its ~100 ms a page. Its only
// reader, the jury workbook, now reaches champ rows through the démarche's live dossiers
// (champs_dossier_idx) instead.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('champs_descriptor_idx').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('champs_descriptor_idx').ifNotExists().on('champs').columns(['descriptor_id']).execute();
}
