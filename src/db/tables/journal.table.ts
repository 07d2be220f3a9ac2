import type { Generated, Selectable } from 'kysely';

export interface PlanTable {
  id: Generated<number>;
  kind: 'annotate' | 'instruire' | 'decisions';
  demarche_number: number | null;
  created_at: string;
  source: string | null;
  items_json: string;
  applied_at: string | null;
}

export type MutationStatus = 'sending' | 'sent' | 'failed' | 'guarded' | 'conflict';

export interface MutationJournalTable {
  id: Generated<number>;
  /** operation + dossier + payload hash; also sent as clientMutationId. */
  idempotency_key: string;
  plan_id: number | null;
  run_id: string;
  operation: string;
  demarche_number: number | null;
  dossier_number: number;
  dossier_id: string;
  instructeur_id: string | null;
  payload_json: string;
  reason: string | null;
  status: MutationStatus;
  created_at: string;
  sent_at: string | null;
  finished_at: string | null;
  attempts: Generated<number>;
  result_json: string | null;
  error_message: string | null;
}

/** One step of a journaled mutation (appended by triggers on mutation_journal). */
export interface MutationJournalEventTable {
  id: Generated<number>;
  journal_id: number;
  at: string;
  status: MutationStatus;
  run_id: string;
  /** The journal row's `attempts` at that step. */
  attempt: number;
  error_message: string | null;
}

export interface AnnotationPushTable {
  dossier_number: number;
  annotation_id: string;
  value_json: string;
  pushed_at: string;
  annotations_modified_at: string | null;
}

export type MutationJournalRow = Selectable<MutationJournalTable>;
export type MutationJournalEventRow = Selectable<MutationJournalEventTable>;

export interface JournalTables {
  plans: PlanTable;
  mutation_journal: MutationJournalTable;
  mutation_journal_events: MutationJournalEventTable;
  annotation_pushes: AnnotationPushTable;
}
