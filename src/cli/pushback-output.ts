/** French tables, JSON and the progress bar shared by `annotate` and `instruire`. */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { ExecutionReport, ItemResult, ItemStatus, ProgressEvent } from '../pushback/executor.ts';
import { OUTCOMES, outcomeTotals, UNFINISHED, type Outcome, type OutcomeTotals } from '../pushback/outcomes.ts';
import { OPERATION_LABELS } from '../pushback/state-guard.ts';
import type { Config } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError, frenchMessage, toError, UsageError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ExitCode, exitCodeFor, PartialFailure } from './exit.ts';
import { leasedWhen, manualLeaseOptions } from './lease-guard.ts';
import { print, printTable } from './output.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { agree, plural } from '../shared/plural.ts';
import { progressLineOptions } from './progress-time.ts';

export const STATUS_LABELS: Record<ItemStatus, string> = {
  sent: 'envoyé',
  skipped: 'déjà fait',
  not_attempted: 'non tenté',
  guarded: 'bloqué',
  conflict: 'conflit',
  failed: 'échec',
  uncertain: 'incertain',
  dry_run: 'à envoyer',
};

/** The categories of every total (docs/pushback.md « Les totaux »). */
export const OUTCOME_LABELS: Record<Outcome, readonly [one: string, many: string]> = {
  sent: ['envoyée', 'envoyées'],
  alreadyDone: ['déjà faite', 'déjà faites'],
  notAttempted: ['non tentée (interrompu)', 'non tentées (interrompu)'],
  blocked: ['bloquée', 'bloquées'],
  failed: ['en échec', 'en échec'],
  uncertain: ['incertaine (vérifiée à la prochaine exécution)', 'incertaines (vérifiées à la prochaine exécution)'],
  planned: ['à envoyer', 'à envoyer'],
};

function describeTotals(totals: OutcomeTotals, only: readonly Outcome[] = OUTCOMES): string[] {
  return only.filter((o) => totals[o] > 0).map((o) => plural(totals[o], ...OUTCOME_LABELS[o]));
}

/** One plan item as a table row: what, to which dossier, why, and what happened. */
export function printExecution(command: Command, title: string, report: ExecutionReport): void {
  const mode = report.apply ? 'exécution' : 'plan (rien n’est envoyé sans --apply)';
  print(command, `${title} — plan n° ${report.planId ?? '—'}, ${mode} ; identifiant d’exécution ${report.runId}`);
  if (report.results.length > 0) {
    printTable<ItemResult>(command, report.results, [
      { header: 'Dossier', value: (r) => String(r.item.dossierNumber), align: 'right' },
      { header: 'Opération', value: (r) => OPERATION_LABELS[r.item.operation] },
      { header: 'Contenu', value: (r) => describePayload(r) },
      { header: 'Motif', value: (r) => r.item.reason },
      { header: 'Résultat', value: (r) => STATUS_LABELS[r.status] },
      { header: 'Détail', value: (r) => truncate(r.error ?? r.detail ?? '', 220) || null },
    ]);
  }
  const counts = describeTotals(outcomeTotals([report]));
  print(command, `Total : ${plural(report.results.length, 'mutation')}${counts.length ? ` — ${counts.join(', ')}` : ''}.`);
  if (report.fatal) print(command, `Arrêt : ${report.fatal}`);
  if (report.interrupted) print(command, 'Arrêt demandé : les mutations restantes seront envoyées à la prochaine exécution.');
}

function describePayload(result: ItemResult): string {
  const item = result.item;
  switch (item.operation) {
    case 'modifierAnnotations':
      return item.payload.annotations.map((a) => a.label).join(', ');
    case 'envoyerMessage':
      return truncate(item.payload.body.replace(/\s+/g, ' '), 60);
    case 'refuser':
    case 'classerSansSuite':
    case 'accepter':
      return item.payload.motivation ? `motivation : ${truncate(item.payload.motivation, 50)}` : '';
    default:
      return item.payload.disableNotification ? 'sans notification' : '';
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** JSON form of an execution, for --json: no personal data beyond dossier numbers. */
export function executionJson(report: ExecutionReport) {
  return {
    planId: report.planId,
    runId: report.runId,
    apply: report.apply,
    outcomes: outcomeTotals([report]),
    counts: report.counts,
    interrupted: report.interrupted,
    fatal: report.fatal ?? null,
    items: report.results.map((r) => ({
      dossier: r.item.dossierNumber,
      operation: r.item.operation,
      reason: r.item.reason,
      key: r.key,
      status: r.status,
      error: r.error ?? null,
      detail: r.detail ?? null,
      ...(r.failedAnnotations ? { failedAnnotations: r.failedAnnotations } : {}),
    })),
  };
}

/**
 * The last line of `annotate`/`instruire` when something is left to do (exit 1), or undefined:
 * only the categories that need attention, counted over every démarche, plus the démarches a
 * Ctrl-C left untouched, and each démarche in failure with its reason (one line each).
 */
export function unfinishedSummary(
  reports: readonly ExecutionReport[],
  notStarted: readonly number[],
  failed: readonly DemarcheFailure[] = [],
): string | undefined {
  const parts = describeTotals(outcomeTotals(reports), UNFINISHED);
  if (notStarted.length > 0)
    parts.push(`${agree(notStarted.length, 'démarche non commencée', 'démarches non commencées')} : ${notStarted.join(', ')}`);
  const stopped = parts.length > 0 || reports.some((r) => r.fatal !== undefined);
  if (!stopped && failed.length === 0) return undefined;
  const mutations = stopped ? `mutations ${parts.join(', ') || 'arrêtées'} (détail ci-dessus et dans « ds-ars journal »)` : '';
  if (failed.length === 0) return `${mutations}.`;
  const head = `${plural(failed.length, 'démarche')} en échec, rien n’a été fait pour ${agree(failed.length, 'elle', 'elles')} ; les autres ont été traitées`;
  return [`${stopped ? `${mutations} ; ${head}` : head} :`, ...failed.map((f) => `- démarche ${f.demarche} en échec : ${f.message}`)].join(
    '\n',
  );
}

/** A bar on stderr when it is a terminal; nothing otherwise. */
export function progressBar(enabled: boolean): { onProgress?: (e: ProgressEvent) => void; stop(): void } {
  if (!enabled) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    progressLineOptions(process.stderr, 'Mutations {bar} {value}/{total} · dossier {dossier}'),
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (e) => {
      if (!started) {
        bar.start(e.total, 0, { dossier: '' });
        started = true;
      }
      bar.update(e.done, { dossier: e.result.item.dossierNumber });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** What one démarche's push-back run receives from the per-démarche loop. */
export interface DemarcheRunControls {
  signal: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

/** A démarche whose run stopped on an error: the others went on (README « Codes de sortie » : 1 échec partiel). */
export interface DemarcheFailure {
  demarche: number;
  /** The French message, one line. */
  message: string;
  error: unknown;
}

function failureOf(demarche: number, error: unknown): DemarcheFailure {
  const message = error instanceof AppError ? error.message : error instanceof Error ? frenchMessage(error) : String(error);
  return { demarche, message: message.replace(/\s*\n\s*/g, ' '), error };
}

/**
 * The loop shared by `annotate` and `instruire`: one démarche after the other, each under its
 * lease when sending, with a progress bar on a TTY, stopping after the current démarche on
 * SIGINT/SIGTERM (the executor itself stops after the mutation in flight). A démarche that fails
 * (configuration, lease, database…) is set aside with its reason and the others go on: what was
 * planned or sent for them is still reported (README « Codes de sortie » : 1 échec partiel).
 */
export async function runPerDemarche<D extends { number: number }, R>(
  ctx: { db: Db; config?: Pick<Config, 'worker'>; logger?: Logger },
  demarches: readonly D[],
  options: { apply: boolean; tty: boolean },
  run: (demarche: D, controls: DemarcheRunControls) => Promise<R>,
): Promise<{ results: R[]; failed: DemarcheFailure[]; notStarted: number[] }> {
  const stop = stopOnSignals();
  const results: R[] = [];
  const failed: DemarcheFailure[] = [];
  const notStarted: number[] = [];
  try {
    for (const demarche of demarches) {
      if (stop.signal.aborted) {
        notStarted.push(demarche.number);
        continue;
      }
      const bar = progressBar(options.tty && options.apply);
      try {
        const controls: DemarcheRunControls = { signal: stop.signal, ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) };
        results.push(
          await leasedWhen(
            options.apply,
            ctx.db,
            [demarche.number],
            () => run(demarche, controls),
            manualLeaseOptions(ctx.config, ctx.logger),
          ),
        );
      } catch (error) {
        const failure = failureOf(demarche.number, error);
        ctx.logger?.warn(
          { demarche: demarche.number, err: error },
          `Démarche ${demarche.number} en échec : ${failure.message} Les démarches suivantes continuent.`,
        );
        failed.push(failure);
      } finally {
        bar.stop();
      }
    }
  } finally {
    stop.dispose();
  }
  return { results, failed, notStarted };
}

/**
 * When every démarche failed and nothing else happened, the error to end with: the démarche's own
 * error when there is one (its exit code kept), else one that lists them all — exit 2 when every
 * failure is to be fixed before rerunning (configuration, usage, storage), 1 otherwise.
 */
export function everyDemarcheFailed(outcome: {
  results: readonly unknown[];
  failed: readonly DemarcheFailure[];
  notStarted: readonly number[];
}): Error | undefined {
  const { results, failed, notStarted } = outcome;
  if (failed.length === 0 || results.length > 0 || notStarted.length > 0) return undefined;
  if (failed.length === 1) return toError(failed[0]!.error);
  const lines = failed.map((f) => `- démarche ${f.demarche} : ${f.message}`);
  const message = `aucune démarche n’a pu être traitée :\n${lines.join('\n')}`;
  return failed.every((f) => exitCodeFor(f.error) === ExitCode.usage) ? new UsageError(message) : new PartialFailure(message);
}

/** The per-démarche line of a failed démarche, in the command's output. */
export function printFailure(command: Command, failure: DemarcheFailure): void {
  print(command, `Démarche ${failure.demarche} : en échec, rien n’a été fait pour elle — ${failure.message}`);
}

/** JSON form of a failed démarche, for --json. */
export function failureJson(failure: DemarcheFailure) {
  return {
    demarche: failure.demarche,
    failed: true,
    error: failure.message,
    code: failure.error instanceof AppError ? failure.error.code : 'internal',
  };
}
