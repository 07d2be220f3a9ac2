import type { Db } from '../db/database.ts';
import type { MutationJournalEventRow, MutationJournalRow, MutationStatus } from '../db/tables/journal.table.ts';

export async function findJournalEntry(db: Db, key: string): Promise<MutationJournalRow | undefined> {
  return db.selectFrom('mutation_journal').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

/** Sends of this operation on this dossier left 'sending' (DS may have applied them), whatever their plan. */
export async function findUncertainEntries(db: Db, operation: string, dossierNumber: number): Promise<MutationJournalRow[]> {
  return db
    .selectFrom('mutation_journal')
    .selectAll()
    .where('operation', '=', operation)
    .where('dossier_number', '=', dossierNumber)
    .where('status', '=', 'sending')
    .orderBy('id')
    .execute();
}

export interface JournalEntryInput {
  key: string;
  planId: number | null;
  runId: string;
  operation: string;
  demarcheNumber: number | null;
  dossierNumber: number;
  dossierId: string;
  instructeurId: string | null;
  payloadJson: string;
  reason: string | null;
  now: string;
}

/** The columns that say which mutation a journal row is about, the same for every status. */
function journalIdentity(entry: JournalEntryInput) {
  return {
    idempotency_key: entry.key,
    plan_id: entry.planId,
    run_id: entry.runId,
    operation: entry.operation,
    demarche_number: entry.demarcheNumber,
    dossier_number: entry.dossierNumber,
    dossier_id: entry.dossierId,
    instructeur_id: entry.instructeurId,
    payload_json: entry.payloadJson,
    reason: entry.reason,
  };
}

/**
 * Records an outcome reached before anything was sent (guarded, conflict, failed upload),
 * creating the row if needed.
 * A row already 'sent' is never downgraded.
 */
export async function recordUnsent(
  db: Db,
  entry: JournalEntryInput,
  status: 'guarded' | 'conflict' | 'failed',
  message: string,
): Promise<void> {
  await db
    .insertInto('mutation_journal')
    .values({
      ...journalIdentity(entry),
      status,
      created_at: entry.now,
      finished_at: entry.now,
      error_message: message,
    })
    .onConflict((oc) =>
      oc
        .column('idempotency_key')
        .doUpdateSet({ status, run_id: entry.runId, plan_id: entry.planId, finished_at: entry.now, error_message: message })
        .where('mutation_journal.status', '!=', 'sent'),
    )
    .execute();
}

/**
 * Marks the mutation 'sending' before the request leaves: committed on its own, so a crash
 * after this point leaves evidence that the mutation may have reached DS.
 */
export async function markSending(db: Db, entry: JournalEntryInput): Promise<void> {
  await db
    .insertInto('mutation_journal')
    .values({
      ...journalIdentity(entry),
      status: 'sending',
      created_at: entry.now,
      sent_at: entry.now,
      attempts: 1,
    })
    .onConflict((oc) =>
      oc.column('idempotency_key').doUpdateSet((eb) => ({
        status: 'sending',
        run_id: entry.runId,
        plan_id: entry.planId,
        instructeur_id: entry.instructeurId,
        sent_at: entry.now,
        finished_at: null,
        error_message: null,
        attempts: eb('mutation_journal.attempts', '+', 1),
      })),
    )
    .execute();
}

export async function markFinished(
  db: Db,
  key: string,
  status: Exclude<MutationStatus, 'sending'>,
  outcome: { now: string; resultJson?: string | null; error?: string | null; runId?: string },
): Promise<void> {
  await db
    .updateTable('mutation_journal')
    .set({
      status,
      finished_at: outcome.now,
      result_json: outcome.resultJson ?? null,
      error_message: outcome.error ?? null,
      ...(outcome.runId === undefined ? {} : { run_id: outcome.runId }),
    })
    .where('idempotency_key', '=', key)
    .execute();
}

export interface JournalFilter {
  dossierNumber?: number;
  demarcheNumber?: number;
  limit?: number;
}

export interface JournalListRow extends MutationJournalRow {
  plan_kind: string | null;
}

export async function listJournal(db: Db, filter: JournalFilter = {}): Promise<JournalListRow[]> {
  let query = db
    .selectFrom('mutation_journal')
    .leftJoin('plans', 'plans.id', 'mutation_journal.plan_id')
    .selectAll('mutation_journal')
    .select('plans.kind as plan_kind');
  if (filter.dossierNumber !== undefined) query = query.where('mutation_journal.dossier_number', '=', filter.dossierNumber);
  if (filter.demarcheNumber !== undefined) query = query.where('mutation_journal.demarche_number', '=', filter.demarcheNumber);
  return query
    .orderBy('mutation_journal.created_at', 'desc')
    .orderBy('mutation_journal.id', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
}

export interface JournalEventListRow extends MutationJournalEventRow {
  dossier_number: number;
  operation: string;
  plan_id: number | null;
}

/** Every step of the journaled mutations (each attempt, its error), newest first. */
export async function listJournalEvents(db: Db, filter: JournalFilter = {}): Promise<JournalEventListRow[]> {
  let query = db
    .selectFrom('mutation_journal_events as e')
    .innerJoin('mutation_journal as j', 'j.id', 'e.journal_id')
    .selectAll('e')
    .select(['j.dossier_number', 'j.operation', 'j.plan_id']);
  if (filter.dossierNumber !== undefined) query = query.where('j.dossier_number', '=', filter.dossierNumber);
  if (filter.demarcheNumber !== undefined) query = query.where('j.demarche_number', '=', filter.demarcheNumber);
  return query
    .orderBy('e.id', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
}

/** What the adapter last wrote into each annotation of a dossier (to tell its writes from hand edits). */
export async function recordAnnotationPushes(
  db: Db,
  dossierNumber: number,
  values: readonly { annotationId: string; valueJson: string }[],
  pushedAt: string,
  annotationsModifiedAt: string | null,
): Promise<void> {
  if (values.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const v of values) {
      await trx
        .insertInto('annotation_pushes')
        .values({
          dossier_number: dossierNumber,
          annotation_id: v.annotationId,
          value_json: v.valueJson,
          pushed_at: pushedAt,
          annotations_modified_at: annotationsModifiedAt,
        })
        .onConflict((oc) =>
          oc.columns(['dossier_number', 'annotation_id']).doUpdateSet({
            value_json: v.valueJson,
            pushed_at: pushedAt,
            annotations_modified_at: annotationsModifiedAt,
          }),
        )
        .execute();
    }
  });
}

export async function listAnnotationPushes(db: Db, dossierNumbers: readonly number[]) {
  if (dossierNumbers.length === 0) return [];
  return db.selectFrom('annotation_pushes').selectAll().where('dossier_number', 'in', dossierNumbers).execute();
}
