import type { Generated } from 'kysely';

export type PipelineStepName = 'sync' | 'check' | 'annotate' | 'report' | 'digest';
export type PipelineTrigger = 'schedule' | 'missed' | 'resume' | 'run-once';
export type PipelineStepStatus = 'running' | 'ok' | 'partial' | 'failed' | 'skipped' | 'interrupted';

/** One step of one démarche in one pipeline run (worker or run-once). Read by the digest. */
export interface PipelineRunTable {
  id: Generated<number>;
  run_id: string;
  trigger: PipelineTrigger;
  /** null for run-wide steps (the digest). */
  demarche_number: number | null;
  step: PipelineStepName;
  status: PipelineStepStatus;
  started_at: string;
  ended_at: string | null;
  /** AppError code when the step failed ('lease', 'auth', 'network', …). */
  error_code: string | null;
  error_message: string | null;
  /** Short French summary of what the step did, or why it was skipped. */
  summary: string | null;
}

export interface PipelineTables {
  pipeline_runs: PipelineRunTable;
}
