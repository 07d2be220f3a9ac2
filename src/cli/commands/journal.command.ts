/** `ds-ars journal`: what was sent to DS, when, by which run, with which result. */
import { InvalidArgumentError, type Command } from 'commander';
import type { JournalEventListRow, JournalFilter, JournalListRow } from '../../pushback/journal.repository.ts';
import { parisDateTime } from '../../shared/paris-time.ts';
import { OPERATION_LABELS } from '../../pushback/state-guard.ts';
import type { Operation } from '../../pushback/plan.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { openCommandContext } from '../command-context.ts';

const STATUS: Record<string, string> = {
  sending: 'en cours ou interrompu',
  sent: 'envoyé',
  failed: 'échec',
  guarded: 'bloqué',
  conflict: 'conflit',
};

function positiveInteger(what: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${what} (entier positif) est attendu.`);
    return n;
  };
}
const parseDossierNumber = positiveInteger('un numéro de dossier');

export function registerJournalCommand(program: Command): void {
  program
    .command('journal')
    .description('Journal des mutations envoyées à DS : quoi, quand, par quelle exécution, avec quel résultat')
    .option('--dossier <numéro>', 'seulement ce dossier', parseDossierNumber)
    .option('-d, --demarche <numéro>', 'seulement cette démarche', parseDemarcheNumber)
    .option('--limit <n>', 'nombre de lignes au plus (500 par défaut)', positiveInteger('un nombre de lignes'))
    .option('--essais', 'chaque étape de chaque mutation (envoi, échec, nouvel essai…) avec son erreur, au lieu du dernier état')
    .action(async (options: { dossier?: number; demarche?: number[]; limit?: number; essais?: boolean }, command: Command) => {
      const { listJournal, listJournalEvents } = await import('../../pushback/journal.repository.ts');
      const context = await openCommandContext(command);
      const db = await context.database('read');
      const filter: JournalFilter = {
        ...(options.dossier !== undefined ? { dossierNumber: options.dossier } : {}),
        ...(options.demarche?.[0] !== undefined ? { demarcheNumber: options.demarche[0] } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      };
      let rows: JournalListRow[] = [];
      let events: JournalEventListRow[] | undefined;
      try {
        if (options.essais) events = await listJournalEvents(db, filter);
        else rows = await listJournal(db, filter);
      } finally {
        await context.close();
      }
      if (events !== undefined) {
        printEvents(command, events);
        return;
      }
      if (wantsJson(command)) {
        printJson(
          command,
          rows.map((r) => ({
            id: r.id,
            key: r.idempotency_key,
            plan: r.plan_id,
            planKind: r.plan_kind,
            run: r.run_id,
            operation: r.operation,
            demarche: r.demarche_number,
            dossier: r.dossier_number,
            status: r.status,
            attempts: r.attempts,
            createdAt: r.created_at,
            sentAt: r.sent_at,
            finishedAt: r.finished_at,
            reason: r.reason,
            error: r.error_message,
          })),
        );
        return;
      }
      if (rows.length === 0) {
        print(command, 'Aucune mutation journalisée pour ces critères.');
        return;
      }
      printTable<JournalListRow>(command, rows, [
        { header: 'Date', value: (r) => parisDateTime(r.finished_at ?? r.sent_at ?? r.created_at) },
        { header: 'Dossier', value: (r) => String(r.dossier_number), align: 'right' },
        { header: 'Opération', value: (r) => OPERATION_LABELS[r.operation as Operation] ?? r.operation },
        { header: 'Résultat', value: (r) => STATUS[r.status] ?? r.status },
        { header: 'Essais', value: (r) => r.attempts },
        { header: 'Plan', value: (r) => (r.plan_id === null ? null : `${r.plan_id}${r.plan_kind ? ` (${r.plan_kind})` : ''}`) },
        { header: 'Exécution', value: (r) => r.run_id },
        { header: 'Motif', value: (r) => r.reason },
        { header: 'Erreur', value: (r) => shortError(r.error_message) },
      ]);
    });
}

const shortError = (message: string | null): string | null => (message && message.length > 120 ? `${message.slice(0, 119)}…` : message);

function printEvents(command: Command, events: JournalEventListRow[]): void {
  if (wantsJson(command)) {
    printJson(
      command,
      events.map((e) => ({
        journalId: e.journal_id,
        at: e.at,
        dossier: e.dossier_number,
        operation: e.operation,
        plan: e.plan_id,
        run: e.run_id,
        status: e.status,
        attempt: e.attempt,
        error: e.error_message,
      })),
    );
    return;
  }
  if (events.length === 0) {
    print(command, 'Aucune mutation journalisée pour ces critères.');
    return;
  }
  printTable<JournalEventListRow>(command, events, [
    { header: 'Date', value: (e) => parisDateTime(e.at) },
    { header: 'Dossier', value: (e) => String(e.dossier_number), align: 'right' },
    { header: 'Opération', value: (e) => OPERATION_LABELS[e.operation as Operation] ?? e.operation },
    // 'sending' is the moment of sending here; with an error, the connection was cut and DS may have applied it.
    {
      header: 'Étape',
      value: (e) => (e.status === 'sending' ? (e.error_message !== null ? 'incertain' : 'envoi') : (STATUS[e.status] ?? e.status)),
    },
    { header: 'Essai', value: (e) => e.attempt, align: 'right' },
    { header: 'Exécution', value: (e) => e.run_id },
    { header: 'Erreur', value: (e) => shortError(e.error_message) },
  ]);
}
