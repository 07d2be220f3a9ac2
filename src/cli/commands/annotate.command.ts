/**
 * `ds-ars annotate`: writes the findings into the annotations the configuration names. Shows
 * the plan; sends only with --apply. Exit 0 ok, 1 some dossier or démarche failed or is in conflict
 * (the other démarches are still planned and sent), 2 usage or every démarche's configuration to fix.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import type { AnnotateDemarcheResult } from '../../pushback/annotate.ts';
import type { DemarcheFailure } from '../pushback-output.ts';
import { openCommandContext } from '../command-context.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, wantsJson } from '../output.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { agree } from '../../shared/plural.ts';

interface AnnotateCliOptions {
  demarche?: number[];
  apply?: boolean;
  force?: boolean;
  confirmerMasse?: boolean;
}

function numbers(list: readonly number[]): string {
  return list.length > 10 ? `${list.slice(0, 10).join(', ')}… (${list.length})` : list.join(', ');
}

export function registerAnnotateCommand(program: Command): void {
  program
    .command('annotate')
    .description('Écrire les constats du contrôle dans les annotations privées des dossiers (plan, puis envoi avec --apply)')
    .option('-d, --demarche <numéro>', 'démarche à traiter (répétable) ; par défaut toutes celles de la configuration', parseDemarcheNumber)
    .option('--apply', 'envoyer les modifications à DS (sans cette option, le plan est seulement affiché et enregistré)')
    .option('--force', 'écraser aussi les annotations modifiées à la main par un instructeur depuis le dernier envoi')
    .option(
      '--confirmer-masse',
      'accepter un plan qui change d’un coup les verdicts déjà écrits d’une grande partie des dossiers (garde-fou, voir docs/garde-fous.md)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Seuls les dossiers dont les annotations changent reçoivent une mutation ; chaque mutation est journalisée',
        'et n’est jamais envoyée deux fois (voir « ds-ars journal »). Jeton DS en lecture/écriture requis pour --apply.',
        'Garde-fou : un plan qui écraserait les verdicts déjà écrits (complet, éligibilité) de plus de 20 % des dossiers',
        '(et au moins 10), ou les ferait passer de « oui » à « non », est refusé (code 2) sauf avec --confirmer-masse.',
      ].join('\n'),
    )
    .action(async (options: AnnotateCliOptions, command: Command) => {
      const [
        { annotateDemarche },
        { massChangeSummary },
        { openPushbackContext, selectDemarches },
        { everyDemarcheFailed, executionJson, failureJson, printExecution, printFailure, runPerDemarche, unfinishedSummary },
      ] = await Promise.all([
        import('../../pushback/annotate.ts'),
        import('../../pushback/mass-change.guard.ts'),
        import('../pushback-context.ts'),
        import('../pushback-output.ts'),
      ]);
      const json = wantsJson(command);
      const tty = !json && process.stderr.isTTY === true;
      const context = await openCommandContext(command);
      const withoutAnnotations: number[] = [];
      let results: AnnotateDemarcheResult[];
      let failed: DemarcheFailure[];
      let notStarted: number[];
      let order: number[];
      try {
        const ctx = await openPushbackContext(context, { quiet: tty, apply: options.apply === true });
        const massChange = {
          ...ctx.config.safety.massChange,
          confirmed: options.confirmerMasse === true || ctx.config.safety.massChange.confirmed,
        };
        // Unless asked for by number, a démarche without annotations configured is simply not annotated.
        const selected = selectDemarches(ctx.config, options.demarche).filter((demarche) => {
          const configured = options.demarche !== undefined || Object.values(demarche.annotations).some((v) => v !== undefined);
          if (!configured) withoutAnnotations.push(demarche.number);
          return configured;
        });
        order = selected.map((d) => d.number);
        ({ results, failed, notStarted } = await runPerDemarche(
          ctx,
          selected,
          { apply: options.apply === true, tty },
          (demarche, controls) =>
            annotateDemarche(ctx.executor, demarche, {
              apply: options.apply === true,
              force: options.force === true,
              massChange,
              ...controls,
            }),
        ));
      } finally {
        await context.close();
      }
      if (json) {
        printJson(command, [
          ...results.map((r) => ({
            demarche: r.demarcheNumber,
            unchanged: r.unchanged.length,
            notEvaluated: r.notEvaluated,
            staleEvaluations: r.staleEvaluations,
            refused: r.refused,
            massChange: r.massChange,
            ...executionJson(r.execution),
          })),
          // Démarches that failed (the others went on): nothing planned, nothing sent for them.
          ...failed.map(failureJson),
          // Démarches a Ctrl-C left untouched: nothing planned, nothing sent.
          ...notStarted.map((demarche) => ({ demarche, notStarted: true })),
        ]);
      } else {
        if (withoutAnnotations.length > 0)
          print(command, `Démarches sans annotations configurées (ignorées) : ${withoutAnnotations.join(', ')}.`);
        for (const number of order) {
          const failure = failed.find((f) => f.demarche === number);
          if (failure !== undefined) printFailure(command, failure);
          const r = results.find((result) => result.demarcheNumber === number);
          if (r === undefined) continue;
          if (r.refused) {
            for (const line of massChangeSummary(r.massChange, 'relancez avec --confirmer-masse')) print(command, line);
            continue;
          }
          printExecution(command, `Annotations de la démarche ${r.demarcheNumber}`, r.execution);
          print(command, `Dossiers déjà à jour (aucune écriture) : ${r.unchanged.length}.`);
          if (r.notEvaluated.length > 0) print(command, `Dossiers non contrôlés (lancez « ds-ars check ») : ${numbers(r.notEvaluated)}.`);
          if (r.staleEvaluations.length > 0)
            print(command, `Dossiers modifiés depuis le contrôle (lancez « ds-ars check ») : ${numbers(r.staleEvaluations)}.`);
        }
        if (notStarted.length > 0)
          print(
            command,
            `Arrêt demandé : ${agree(notStarted.length, 'démarche non commencée, traitée', 'démarches non commencées, traitées')} à la prochaine exécution : ${notStarted.join(', ')}.`,
          );
      }
      const allFailed = everyDemarcheFailed({ results, failed, notStarted });
      if (allFailed !== undefined) throw allFailed;
      const refused = results.filter((r) => r.refused);
      if (refused.length > 0) {
        throw new AppError(
          'usage',
          `garde-fou : plan d’annotations refusé pour la ou les démarches ${refused.map((r) => r.demarcheNumber).join(', ')} (détail ci-dessus) ; rien n’a été envoyé pour elles. Relancez avec --confirmer-masse si ce changement est voulu.`,
        );
      }
      const unfinished = unfinishedSummary(
        results.map((r) => r.execution),
        notStarted,
        failed,
      );
      if (unfinished !== undefined) throw new PartialFailure(unfinished);
    });
}
