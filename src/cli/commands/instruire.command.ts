/**
 * `ds-ars instruire`: after the closing date, complete dossiers go en instruction; optionally
 * each incomplete one gets one message listing what is missing. Plan first; sends with --apply.
 */
import type { Command } from 'commander';
import type { Config } from '../../config/file.ts';
import type { InstruireDemarcheResult } from '../../pushback/instruire.ts';
import type { DemarcheFailure } from '../pushback-output.ts';
import { openCommandContext } from '../command-context.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, wantsJson } from '../output.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { agree } from '../../shared/plural.ts';

interface InstruireCliOptions {
  demarche?: number[];
  apply?: boolean;
}

export function registerInstruireCommand(program: Command): void {
  program
    .command('instruire')
    .description(
      'Après la date de clôture : passer en instruction les dossiers complets, prévenir les incomplets (plan, puis envoi avec --apply)',
    )
    .option(
      '-d, --demarche <numéro>',
      'démarche à traiter (répétable) ; par défaut celles dont « instruction.enabled » est vrai',
      parseDemarcheNumber,
    )
    .option('--apply', 'envoyer les mutations à DS (sans cette option, le plan est seulement affiché et enregistré)')
    .addHelpText(
      'after',
      [
        '',
        'La date de clôture (session.closingDate) est incluse : rien ne se passe avant le lendemain (heure de Paris).',
        'Le message aux dossiers incomplets (instruction.messageIncomplets) n’est envoyé qu’une fois par contenu.',
      ].join('\n'),
    )
    .action(async (options: InstruireCliOptions, command: Command) => {
      const [
        { instruireDemarche },
        { frenchCalendarDate },
        { openPushbackContext, selectDemarches },
        { everyDemarcheFailed, executionJson, failureJson, printExecution, printFailure, runPerDemarche, unfinishedSummary },
      ] = await Promise.all([
        import('../../pushback/instruire.ts'),
        import('../../pushback/transitions.plan.ts'),
        import('../pushback-context.ts'),
        import('../pushback-output.ts'),
      ]);
      const json = wantsJson(command);
      const tty = !json && process.stderr.isTTY === true;
      const context = await openCommandContext(command);
      const skipped: number[] = [];
      let results: InstruireDemarcheResult[];
      let failed: DemarcheFailure[];
      let notStarted: number[];
      let order: number[];
      let config: Config;
      try {
        const ctx = await openPushbackContext(context, { quiet: tty, apply: options.apply === true });
        config = ctx.config;
        // Unless asked for by number, only the démarches whose « instruction.enabled » is true.
        const selected = selectDemarches(ctx.config, options.demarche).filter((demarche) => {
          const enabled = options.demarche !== undefined || demarche.instruction.enabled;
          if (!enabled) skipped.push(demarche.number);
          return enabled;
        });
        order = selected.map((d) => d.number);
        ({ results, failed, notStarted } = await runPerDemarche(
          ctx,
          selected,
          { apply: options.apply === true, tty },
          (demarche, controls) => instruireDemarche(ctx.executor, demarche, { apply: options.apply === true, ...controls }),
        ));
      } finally {
        await context.close();
      }
      if (json) {
        printJson(command, {
          skipped,
          notStarted,
          failed: failed.map(failureJson),
          demarches: results.map((r) => ({ demarche: r.demarcheNumber, ...r.transitions, ...executionJson(r.execution) })),
        });
      } else {
        if (skipped.length > 0) print(command, `Démarches ignorées (instruction.enabled = false) : ${skipped.join(', ')}.`);
        for (const number of order) {
          const failure = failed.find((f) => f.demarche === number);
          if (failure !== undefined) printFailure(command, failure);
          const r = results.find((result) => result.demarcheNumber === number);
          if (r === undefined) continue;
          const closing = config.demarches.find((d) => d.number === r.demarcheNumber)?.session.closingDate;
          if (!r.transitions.closed) {
            print(
              command,
              `Démarche ${r.demarcheNumber} : l’appel est ouvert jusqu’au ${closing ? frenchCalendarDate(closing) : '?'} inclus ; rien à faire avant le lendemain.`,
            );
            continue;
          }
          printExecution(command, `Passage en instruction, démarche ${r.demarcheNumber}`, r.execution);
          const t = r.transitions;
          if (t.late.length > 0) print(command, `Complets mais déposés hors délai (laissés en construction) : ${t.late.join(', ')}.`);
          if (t.alreadyTold.length > 0) print(command, `Incomplets déjà prévenus (même message) : ${t.alreadyTold.length}.`);
          if (t.notEvaluated.length > 0 || t.staleEvaluations.length > 0) {
            print(
              command,
              `Non contrôlés ou modifiés depuis le contrôle (lancez « ds-ars check ») : ${[...t.notEvaluated, ...t.staleEvaluations].join(', ')}.`,
            );
          }
        }
        if (notStarted.length > 0)
          print(
            command,
            `Arrêt demandé : ${agree(notStarted.length, 'démarche non commencée, traitée', 'démarches non commencées, traitées')} à la prochaine exécution : ${notStarted.join(', ')}.`,
          );
      }
      const allFailed = everyDemarcheFailed({ results, failed, notStarted });
      if (allFailed !== undefined) throw allFailed;
      const unfinished = unfinishedSummary(
        results.map((r) => r.execution),
        notStarted,
        failed,
      );
      if (unfinished !== undefined) throw new PartialFailure(unfinished);
    });
}
