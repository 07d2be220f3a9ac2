import type { Config } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import type { DsClient } from '../graphql/client.ts';
import type { Logger } from '../logger.ts';
import { instructeurEmailFromConfig } from '../pushback/acting-instructeur.ts';
import { executePlan, type ExecutionReport, type ExecutorHooks, type ItemResult, type ProgressEvent } from '../pushback/executor.ts';
import { type PlanItem, savePlan } from '../pushback/plan.ts';
import type { LoadedDecisions } from './load-decisions.ts';
import { locate, type PlanLine } from './plan-decisions.ts';
import { buildResultWorkbook, type LineResult, type Outcome, resultPath, TO_REVIEW, writeResultWorkbook } from './result-workbook.ts';

export interface ApplyContext {
  db: Db;
  client: DsClient;
  config: Config;
  logger?: Logger;
  now?: () => Date;
  /** Test seam of the executor (e.g. a simulated crash after k mutations). */
  hooks?: ExecutorHooks;
}

export interface ApplyOptions {
  /** Without it: a dry run (nothing sent, nothing journaled, no result workbook). */
  apply: boolean;
  /** Folder of the result workbook; by default next to the input. */
  outputDir?: string | null;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops after the mutation in flight; a rerun continues where it stopped. */
  signal?: AbortSignal;
}

export interface DecisionsReport {
  loaded: LoadedDecisions;
  applied: boolean;
  planId: number | null;
  execution: ExecutionReport | null;
  results: LineResult[];
  counts: Record<Outcome, number>;
  /** Path of the result workbook (apply only). */
  resultPath: string | null;
  /** Every row ended well: applied, already done, or without decision. */
  ok: boolean;
}

const OUTCOMES: readonly Outcome[] = [
  'applique',
  'deja_fait',
  'simulation',
  'vide',
  'bloque',
  'erreur',
  'echec',
  'non_traite',
  'incertain',
];

/**
 * Runs the plan of a reviewed workbook through the one mutation executor (journal,
 * idempotency, state guard, shared request budget): each dossier's passage en instruction
 * first when needed, then its decision. With `apply`, the plan is saved first and a result
 * workbook is written at the end. Rerunning the same file sends nothing twice.
 */
export async function applyDecisions(ctx: ApplyContext, loaded: LoadedDecisions, options: ApplyOptions): Promise<DecisionsReport> {
  const { plan } = loaded;
  const now = ctx.now ?? (() => new Date());
  let execution: ExecutionReport | null = null;
  let planId: number | null = null;
  if (plan.items.length > 0) {
    const executor = {
      db: ctx.db,
      // Read when a mutation is sent: a dry run never calls DS, so it runs without a token.
      get client() {
        return ctx.client;
      },
      now,
      instructeurEmail: instructeurEmailFromConfig(ctx.config),
      ...(ctx.logger ? { logger: ctx.logger } : {}),
      ...(ctx.hooks ? { hooks: ctx.hooks } : {}),
    };
    const run = {
      apply: options.apply,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    if (options.apply) {
      const saved = await savePlan(ctx.db, 'decisions', plan.items, loaded.source, { demarcheNumber: plan.demarcheNumber, now: now() });
      planId = saved.id;
      execution = await executePlan(executor, saved, run);
    } else {
      // Bare items, previewed against the mirror, nothing saved or journaled. Only each dossier's
      // first mutation: the mirror cannot show the state the previous one would lead to.
      const seen = new Set<number>();
      const first: PlanItem[] = [];
      for (const item of plan.items) {
        if (seen.has(item.dossierNumber)) continue;
        seen.add(item.dossierNumber);
        first.push(item);
      }
      execution = await executePlan(executor, first, run);
    }
  }
  const results = lineResults(plan.lines, execution?.results ?? [], !options.apply);
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const r of results) counts[r.outcome] += 1;

  let written: string | null = null;
  if (options.apply) {
    const workbook = buildResultWorkbook(results, {
      source: loaded.source,
      demarcheNumber: plan.demarcheNumber,
      applied: true,
      finishedAt: now(),
    });
    written = await writeResultWorkbook(workbook, resultPath(loaded.source, options.outputDir ?? null, now()));
  }
  return {
    loaded,
    applied: options.apply,
    planId,
    execution,
    results,
    counts,
    resultPath: written,
    ok: results.every((r) => !TO_REVIEW.has(r.outcome)) && execution?.fatal === undefined,
  };
}

/**
 * One outcome per row. A row with mutations takes the first item that did not go through
 * (DS's error text, the guard's reason, or the interruption); otherwise its decision's fate.
 * A dry run previews only each dossier's first mutation.
 */
export function lineResults(lines: readonly PlanLine[], items: readonly ItemResult[], dryRun: boolean): LineResult[] {
  // A dossier has mutations on one row at most (duplicates are refused by the plan).
  const byDossier = new Map<number, ItemResult[]>();
  for (const r of items) byDossier.set(r.item.dossierNumber, [...(byDossier.get(r.item.dossierNumber) ?? []), r]);
  return lines.map((line) => {
    const messages = line.messages;
    const result = (outcome: Outcome, extra: readonly string[] = []): LineResult => ({
      line,
      outcome,
      detail: [...messages, ...extra].join('\n'),
    });
    switch (line.status) {
      case 'vide':
        return result('vide');
      case 'erreur':
        return result('erreur');
      case 'bloque':
        return result('bloque');
      case 'deja_fait':
        return result('deja_fait');
      case 'a_faire':
        break;
    }
    const at = `${locate(line.sheet, line.rowNumber, undefined)}, dossier n° ${line.dossierNumber}`;
    const own = line.dossierNumber === null ? [] : (byDossier.get(line.dossierNumber) ?? []);
    if (own.length === 0 || (!dryRun && own.length < line.operations.length))
      return result('non_traite', [`${at} : non traité, exécution arrêtée avant ce dossier.`]);
    const stopped = own.find((r) => r.status !== 'sent' && r.status !== 'dry_run' && !(r.status === 'skipped' && r.error === undefined));
    if (stopped !== undefined) {
      const text = stopped.error ?? stopped.detail ?? '';
      if (stopped.status === 'failed') return result('echec', [`${at} : refusé par DS : « ${text} »`]);
      if (stopped.status === 'guarded' || stopped.status === 'conflict') return result('bloque', [`${at} : ${text}`]);
      // DS may have applied it (answer lost): never « échec », the next run re-reads the dossier.
      if (stopped.status === 'uncertain') return result('incertain', [`${at} : ${text}`]);
      return result('non_traite', [`${at} : ${text}`]);
    }
    const decision = own[own.length - 1]!;
    const notes = own
      .map((r) => r.detail)
      .filter((d): d is string => d !== undefined)
      .map((d) => `${at} : ${d}`);
    if (decision.status === 'dry_run') return result('simulation', notes);
    if (decision.status === 'sent') return result('applique', notes);
    return result('deja_fait', notes);
  });
}
