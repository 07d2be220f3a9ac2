import type { Generated, Selectable } from 'kysely';

export interface DigestTable {
  id: Generated<number>;
  period_start: string;
  period_end: string;
  created_at: string;
  status: 'sending' | 'sent' | 'dry_run' | 'failed';
  recipients: string;
  message_id: string | null;
  eml_path: string | null;
  error_message: string | null;
  /** Paris day the digest covers ('YYYY-MM-DD'); unique among 'sending'/'sent' rows. */
  period_key: string | null;
  /** `{ known: number[], complets: number[] }` when sent: the next digest's baseline. */
  snapshot_json: string | null;
}

export interface WorkbookTable {
  id: string;
  demarche_number: number;
  path: string;
  created_at: string;
  dossiers: number;
}

export interface LeaseTable {
  resource: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
}

export interface ScheduleRunTable {
  schedule: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_status: string | null;
  last_error: string | null;
}

export type DigestRow = Selectable<DigestTable>;

export interface ReportsWorkerTables {
  digests: DigestTable;
  workbooks: WorkbookTable;
  leases: LeaseTable;
  schedule_runs: ScheduleRunTable;
}
