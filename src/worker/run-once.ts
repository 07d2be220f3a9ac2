import { toError } from '../errors.ts';
import { PIPELINE_SCHEDULE, recordRunFinished, recordRunStarted } from './missed-runs.ts';
import { runPipeline, type PipelineDemarche, type PipelineResult, type RunPipelineOptions } from './pipeline.ts';

export type RunOnceOptions<D extends PipelineDemarche> = Omit<RunPipelineOptions<D>, 'onStarted'> & {
  /** Name under which the run is remembered in `schedule_runs` (missed nights). */
  schedule?: string;
};

/**
 * One pass of the pipeline, remembered in `schedule_runs` so the worker knows the night was done
 * (system cron, CI schedule, or the worker's own ticks all go through here).
 */
export async function runOnce<D extends PipelineDemarche>(options: RunOnceOptions<D>): Promise<PipelineResult> {
  const schedule = options.schedule ?? PIPELINE_SCHEDULE;
  let started = false;
  try {
    const result = await runPipeline({
      ...options,
      onStarted: async () => {
        await recordRunStarted(options.db, schedule);
        started = true;
      },
    });
    if (started) await recordRunFinished(options.db, schedule, result.status, null);
    return result;
  } catch (caught) {
    const error = toError(caught);
    if (started) {
      await recordRunFinished(options.db, schedule, 'failed', error.message).catch((secondary: unknown) => {
        options.logger.error({ err: toError(secondary) }, 'Impossible d’enregistrer la fin du traitement dans schedule_runs.');
      });
    }
    throw error;
  }
}

/**
 * Exit code of a run: 0 when everything worked or it stopped cleanly on a signal; 1 when a step
 * failed, or when nothing was done because another process holds the pipeline.
 */
export function exitCodeOf(result: PipelineResult): 0 | 1 {
  return result.status === 'ok' || result.status === 'interrupted' ? 0 : 1;
}
