import type { Kysely } from 'kysely';

// Frozen in time. Digests sent (never twice for a period), workbooks produced, leases that keep
// two workers off the same démarche, and the last run of each schedule (missed nights made up).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 'sending' | 'sent' | 'dry_run' | 'failed'
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('eml_path', 'text')
    .addColumn('error_message', 'text')
    .execute();

  await db.schema
    .createTable('workbooks')
    .addColumn('id', 'text', (c) => c.primaryKey()) // random id written in the workbook's metadata
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('dossiers', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('leases')
    .addColumn('resource', 'text', (c) => c.primaryKey()) // e.g. 'demarche:12345'
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('schedule_runs')
    .addColumn('schedule', 'text', (c) => c.primaryKey())
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['schedule_runs', 'leases', 'workbooks', 'digests']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
