import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time. The journal keeps one row per mutation (its idempotency key), updated at each
// step; a retry used to overwrite the error of the attempt before. Every step (sending, sent,
// failed, uncertain, guarded, conflict) is now appended to mutation_journal_events by triggers, so
// no write path can forget it. Purge redactions change no step and add no event.

const EVENT = `insert into mutation_journal_events (journal_id, at, status, run_id, attempt, error_message)
    values (new.id, coalesce(new.finished_at, new.sent_at, new.created_at), new.status, new.run_id, new.attempts, new.error_message)`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mutation_journal_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('journal_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('error_message', 'text')
    .execute();
  await db.schema.createIndex('mutation_journal_events_journal_idx').on('mutation_journal_events').columns(['journal_id', 'id']).execute();
  // Rows written before this migration: their current step is all that is known.
  await sql`insert into mutation_journal_events (journal_id, at, status, run_id, attempt, error_message)
    select id, coalesce(finished_at, sent_at, created_at), status, run_id, attempts, error_message from mutation_journal order by id`.execute(
    db,
  );
  if (db.getExecutor().adapter instanceof PostgresAdapter) return postgresTriggers(db);
  await sql.raw(`create trigger mutation_journal_events_insert after insert on mutation_journal begin ${EVENT}; end`).execute(db);
  await sql
    .raw(
      `create trigger mutation_journal_events_update after update on mutation_journal
       when old.status is not new.status or old.attempts is not new.attempts or old.run_id is not new.run_id or old.finished_at is not new.finished_at
       begin ${EVENT}; end`,
    )
    .execute(db);
}

// PostgreSQL (added with it; SQLite's schema above is unchanged): the same triggers, through a
// function, with `is distinct from` for SQLite's `is not`.
async function postgresTriggers(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`create function mutation_journal_events_log() returns trigger language plpgsql as $$ begin ${EVENT}; return new; end $$`)
    .execute(db);
  await sql
    .raw(
      `create trigger mutation_journal_events_insert after insert on mutation_journal for each row execute function mutation_journal_events_log()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger mutation_journal_events_update after update on mutation_journal for each row
       when (old.status is distinct from new.status or old.attempts is distinct from new.attempts or old.run_id is distinct from new.run_id or old.finished_at is distinct from new.finished_at)
       execute function mutation_journal_events_log()`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists mutation_journal_events_update on mutation_journal`.execute(db);
    await sql`drop trigger if exists mutation_journal_events_insert on mutation_journal`.execute(db);
    await sql`drop function if exists mutation_journal_events_log()`.execute(db);
    await db.schema.dropTable('mutation_journal_events').ifExists().execute();
    return;
  }
  await sql`drop trigger if exists mutation_journal_events_update`.execute(db);
  await sql`drop trigger if exists mutation_journal_events_insert`.execute(db);
  await db.schema.dropTable('mutation_journal_events').ifExists().execute();
}
