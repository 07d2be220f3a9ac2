import type { Kysely } from 'kysely';

// Frozen in time. Every write to DS goes through a saved plan and a journal: a mutation is
// recorded before and after it is sent, keyed by an idempotency key, so it is never sent twice.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'annotate' | 'instruire' | 'decisions'
    .addColumn('demarche_number', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text') // e.g. the workbook file name
    .addColumn('items_json', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text')
    .execute();

  await db.schema
    .createTable('mutation_journal')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('plan_id', 'integer')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('demarche_number', 'integer')
    .addColumn('dossier_number', 'integer', (c) => c.notNull())
    .addColumn('dossier_id', 'text', (c) => c.notNull())
    .addColumn('instructeur_id', 'text')
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // 'sending' | 'sent' | 'failed' | 'guarded' | 'conflict'
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result_json', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema.createIndex('mutation_journal_dossier_idx').on('mutation_journal').column('dossier_number').execute();

  // What the adapter last wrote into each annotation, to tell its own writes from hand edits.
  await db.schema
    .createTable('annotation_pushes')
    .addColumn('dossier_number', 'integer', (c) => c.notNull())
    .addColumn('annotation_id', 'text', (c) => c.notNull())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('pushed_at', 'text', (c) => c.notNull())
    .addColumn('annotations_modified_at', 'text') // dateDerniereModificationAnnotations after the push
    .addPrimaryKeyConstraint('annotation_pushes_pk', ['dossier_number', 'annotation_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('annotation_pushes').ifExists().execute();
  await db.schema.dropTable('mutation_journal').ifExists().execute();
  await db.schema.dropTable('plans').ifExists().execute();
}
