/**
 * Pipeline steps for the worker tests: real functions writing to the SQLite file, shaped like the
 * real ones (a paged, resumable sync that checkpoints its cursor and stops between pages when
 * its signal aborts; a digest that reads `pipeline_runs`). They stand in for DS, not for the worker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../src/db/database.ts';
import { AppError } from '../../src/errors.ts';
import type { DemarcheStep, PipelineStepName, RunStep } from '../../src/worker/pipeline.ts';

export function tempDbPath(prefix = 'ds-ars-worker-'): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'ds-ars.sqlite');
}

/**
 * A sync of `pages` pages per démarche: each page bumps `sync_state.cursor` and the run's page
 * count in one go, so a resumed run starts after the last page written, never redoes one.
 */
export function pagedSyncStep(options: { pages: number; pauseMs?: number; onPage?: (page: number) => void | Promise<void> }): DemarcheStep {
  return {
    name: 'sync',
    scope: 'demarche',
    async run(ctx, demarche, signal) {
      const state = await ctx.db
        .selectFrom('sync_state')
        .select('cursor')
        .where('demarche_number', '=', demarche.number)
        .executeTakeFirst();
      let page = Number(state?.cursor ?? 0);
      const { id } = await ctx.db
        .insertInto('sync_runs')
        .values({
          demarche_number: demarche.number,
          mode: page === 0 ? 'full' : 'incremental',
          status: 'running',
          started_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let done = 0;
      while (page < options.pages && !signal.aborted) {
        page += 1;
        done += 1;
        await ctx.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('sync_state')
            .values({
              demarche_number: demarche.number,
              updated_since: '2000-01-01T00:00:00Z',
              cursor: String(page),
              cursor_at: new Date().toISOString(),
            })
            .onConflict((oc) => oc.column('demarche_number').doUpdateSet({ cursor: String(page), cursor_at: new Date().toISOString() }))
            .execute();
          await trx.updateTable('sync_runs').set({ pages: done }).where('id', '=', id).execute();
        });
        await options.onPage?.(page);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
      const status = page < options.pages ? 'interrupted' : 'ok';
      await ctx.db.updateTable('sync_runs').set({ status, ended_at: new Date().toISOString() }).where('id', '=', id).execute();
      return { summary: `${done} page(s)` };
    },
  };
}

/** A step that records each call as an empty plan row (source `<step>:<run id>`), or fails for chosen démarches. */
export function markerStep(
  name: Exclude<PipelineStepName, 'digest' | 'sync'>,
  options: { failFor?: number[]; needs?: PipelineStepName[] } = {},
): DemarcheStep {
  return {
    name,
    scope: 'demarche',
    ...(options.needs ? { needs: options.needs } : {}),
    async run(ctx, demarche) {
      if (options.failFor?.includes(demarche.number)) {
        throw new AppError('server', `Erreur simulée pour la démarche ${demarche.number}.`);
      }
      await ctx.db
        .insertInto('plans')
        .values({
          kind: 'annotate',
          demarche_number: demarche.number,
          created_at: new Date().toISOString(),
          source: `${name}:${ctx.runId}`,
          items_json: '[]',
        })
        .execute();
    },
  };
}

/** A digest that lists the run's failed and skipped steps, as the real one reads them. */
export function digestStep(): RunStep {
  return {
    name: 'digest',
    scope: 'run',
    async run(ctx) {
      const problems = await ctx.db
        .selectFrom('pipeline_runs')
        .select(['demarche_number', 'step', 'status', 'error_message'])
        .where('run_id', '=', ctx.runId)
        .where('status', 'in', ['failed', 'skipped', 'partial'])
        .execute();
      const text = problems.map((p) => `démarche ${p.demarche_number} ${p.step} ${p.status}: ${p.error_message ?? ''}`).join('\n');
      const now = new Date().toISOString();
      await ctx.db
        .insertInto('digests')
        .values({
          period_start: now,
          period_end: now,
          created_at: now,
          status: 'dry_run',
          recipients: 'test@example.org',
          error_message: text || null,
        })
        .execute();
      return { summary: `${problems.length} problème(s) signalé(s)` };
    },
  };
}

export async function pipelineRows(db: Db) {
  return db.selectFrom('pipeline_runs').selectAll().orderBy('id').execute();
}

export async function syncCursor(db: Db, demarche: number): Promise<number> {
  const row = await db.selectFrom('sync_state').select('cursor').where('demarche_number', '=', demarche).executeTakeFirst();
  return Number(row?.cursor ?? 0);
}

export async function pagesFetched(db: Db, demarche: number): Promise<number> {
  const row = await db
    .selectFrom('sync_runs')
    .select((eb) => eb.fn.sum<number>('pages').as('n'))
    .where('demarche_number', '=', demarche)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
