import type { Kysely } from 'kysely';

// Frozen in time: this migration imports nothing from the application.
// Dossiers removed by `ds-ars purge` (RGPD retention): the number, démarche, state and dates
// only, nothing personal. The sync never writes them back, and `status` counts them, so the
// mirror knows which dossiers it lacks on purpose.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('purged_dossiers')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('date_traitement', 'text')
    .addColumn('purged_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('purged_dossiers_demarche_idx').on('purged_dossiers').columns(['demarche_number']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('purged_dossiers').ifExists().execute();
}
