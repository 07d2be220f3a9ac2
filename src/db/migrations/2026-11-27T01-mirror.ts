import type { Kysely } from 'kysely';

// Frozen in time: this migration imports nothing from the application.
// Mirror of DS: démarches, revisions and descriptors, groupes, dossiers, champs, files, labels,
// deletions, and the sync state and journal per démarche.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demarches')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('active_revision_id', 'text')
    .addColumn('date_creation', 'text')
    .addColumn('date_derniere_modification', 'text')
    .addColumn('date_fermeture', 'text')
    .addColumn('labels_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('date_creation', 'text')
    .addColumn('date_publication', 'text')
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('descriptors')
    .addColumn('revision_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull()) // 'champ' | 'annotation'
    .addColumn('parent_id', 'text') // repetition block holding this descriptor
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('typename', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('options_json', 'text')
    .addPrimaryKeyConstraint('descriptors_pk', ['revision_id', 'id'])
    .execute();

  await db.schema
    .createTable('groupes_instructeurs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('instructeurs')
    .addColumn('groupe_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('instructeurs_pk', ['groupe_id', 'id'])
    .execute();

  await db.schema
    .createTable('dossiers')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('revision_id', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_depot', 'text', (c) => c.notNull())
    .addColumn('date_passage_en_instruction', 'text')
    .addColumn('date_traitement', 'text')
    .addColumn('date_derniere_modification', 'text', (c) => c.notNull())
    .addColumn('date_derniere_modification_champs', 'text', (c) => c.notNull())
    .addColumn('date_derniere_modification_annotations', 'text', (c) => c.notNull())
    .addColumn('groupe_instructeur_id', 'text')
    .addColumn('groupe_instructeur_label', 'text')
    .addColumn('demandeur_type', 'text')
    .addColumn('demandeur_nom', 'text')
    .addColumn('demandeur_prenom', 'text')
    .addColumn('demandeur_siret', 'text')
    .addColumn('usager_email', 'text')
    .addColumn('motivation', 'text')
    .addColumn('raw_json', 'text', (c) => c.notNull()) // the validated DS node
    .addColumn('synced_at', 'text', (c) => c.notNull())
    // Deletions are kept and marked, not erased, until `purge`.
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_reason', 'text')
    .addColumn('pending_deletion', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('dossiers_demarche_idx').on('dossiers').columns(['demarche_number', 'state']).execute();

  await db.schema
    .createTable('champs')
    .addColumn('dossier_number', 'integer', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull()) // 'champ' | 'annotation'
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('champ_id', 'text', (c) => c.notNull())
    .addColumn('descriptor_id', 'text', (c) => c.notNull())
    .addColumn('parent_descriptor_id', 'text')
    .addColumn('row_id', 'text') // repetition row
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('typename', 'text', (c) => c.notNull())
    .addColumn('string_value', 'text')
    .addColumn('typed_value', 'text') // JSON
    .addColumn('updated_at', 'text')
    .execute();
  await db.schema.createIndex('champs_dossier_idx').on('champs').columns(['dossier_number', 'scope']).execute();
  await db.schema.createIndex('champs_descriptor_idx').on('champs').columns(['descriptor_id']).execute();

  await db.schema
    .createTable('files')
    .addColumn('dossier_number', 'integer', (c) => c.notNull())
    .addColumn('champ_id', 'text', (c) => c.notNull())
    .addColumn('descriptor_id', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('local_path', 'text')
    .addColumn('downloaded_at', 'text')
    .addColumn('download_error', 'text')
    .addPrimaryKeyConstraint('files_pk', ['dossier_number', 'champ_id', 'position'])
    .execute();

  await db.schema
    .createTable('dossier_labels')
    .addColumn('dossier_number', 'integer', (c) => c.notNull())
    .addColumn('label_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_labels_pk', ['dossier_number', 'label_id'])
    .execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('demarche_number', 'integer', (c) => c.primaryKey())
    .addColumn('updated_since', 'text', (c) => c.notNull()) // fixed origin, never advanced
    .addColumn('cursor', 'text')
    .addColumn('cursor_at', 'text')
    .addColumn('deleted_cursor', 'text')
    .addColumn('pending_deleted_cursor', 'text')
    .addColumn('labels_synced_at', 'text')
    .addColumn('revision_id', 'text')
    .addColumn('last_run_id', 'integer')
    .addColumn('last_success_at', 'text')
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull()) // 'full' | 'incremental'
    .addColumn('status', 'text', (c) => c.notNull()) // 'running' | 'ok' | 'partial' | 'failed' | 'interrupted'
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('labels_changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('files_downloaded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('files_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_message', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'sync_runs',
    'sync_state',
    'dossier_labels',
    'files',
    'champs',
    'dossiers',
    'instructeurs',
    'groupes_instructeurs',
    'descriptors',
    'revisions',
    'demarches',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
