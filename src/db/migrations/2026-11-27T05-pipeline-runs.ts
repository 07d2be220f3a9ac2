import type { Kysely } from 'kysely';

// Frozen in time. One row per pipeline step and démarche of a worker or run-once run, so the
// digest can report the night's failures and an interrupted run says where it stopped.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pipeline_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull()) // 'schedule' | 'missed' | 'resume' | 'run-once'
    .addColumn('demarche_number', 'integer') // null for run-wide steps (digest)
    .addColumn('step', 'text', (c) => c.notNull()) // 'sync' | 'check' | 'annotate' | 'report' | 'digest'
    .addColumn('status', 'text', (c) => c.notNull()) // 'running' | 'ok' | 'partial' | 'failed' | 'skipped' | 'interrupted'
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('summary', 'text') // short French summary of what the step did
    .execute();
  await db.schema.createIndex('pipeline_runs_run_idx').on('pipeline_runs').column('run_id').execute();
  await db.schema.createIndex('pipeline_runs_started_idx').on('pipeline_runs').column('started_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pipeline_runs').ifExists().execute();
}
