/**
 * `ds-ars report`: the jury workbook of each configured démarche (Synthèse, Dossiers, Anomalies,
 * Décisions). Exits 0 when every workbook was written, 1 when one failed, 2 on a usage error.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { AppError, isUsageError } from '../../errors.ts';
import type { WorkbookRunItem } from '../../reports/run-reports.ts';
import type { PackRunItem } from '../../reports/jury-pack/configured-packs.ts';
import { BREAKDOWNS, type Breakdown } from '../../reports/report-columns.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { withCommandContext } from '../command-context.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { agree } from '../../shared/plural.ts';

interface ReportCliOptions {
  demarche?: number[];
  par?: Breakdown;
  out?: string;
  dossierJury?: boolean;
}

function parseBreakdown(value: string): Breakdown {
  if ((BREAKDOWNS as readonly string[]).includes(value)) return value as Breakdown;
  throw new InvalidArgumentError(`valeurs possibles : ${BREAKDOWNS.join(', ')}.`);
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Produire le classeur Excel du jury (synthèse, dossiers, anomalies, feuille de décisions) pour chaque démarche')
    .option('-d, --demarche <numéro>', 'démarche (répétable) ; par défaut toutes celles de la configuration', parseDemarcheNumber)
    .option(
      '--par <axe>',
      `répartition principale de la synthèse : ${BREAKDOWNS.join(', ')} (par défaut selon le programme)`,
      parseBreakdown,
    )
    .option('--out <dossier>', 'dossier de sortie (par défaut output.dir de la configuration, ./var/rapports)')
    .option(
      '--dossier-jury',
      'écrire aussi le dossier du jury en PDF (dossiers en instruction) ; la feuille « Dossiers » donne la page de chaque candidat',
    )
    .addHelpText(
      'after',
      [
        '',
        'Le fichier (droits 0600) est nommé dossiers-jury_d<démarche>_<programme>_<date>_<heure>.xlsx.',
        'Le jury remplit la feuille « Décisions » (liste Accepter / Refuser / Classer sans suite, motivation),',
        'puis « ds-ars decisions plan <fichier> » relit le classeur. La feuille est protégée sans mot de passe.',
      ].join('\n'),
    )
    .action(async (options: ReportCliOptions, command: Command) => {
      const [{ writeConfiguredWorkbooks }, { writeConfiguredPacks }, { excludedSummaryLines, logExcludedPieces }] = await Promise.all([
        import('../../reports/run-reports.ts'),
        import('../../reports/jury-pack/configured-packs.ts'),
        import('../../reports/jury-pack/excluded-summary.ts'),
      ]);
      const { items, packs } = await withCommandContext(command, async (context) => {
        const config = await context.config();
        const db = await context.database('read');
        const apiUrl = context.env.DS_API_URL;
        const packs: PackRunItem[] = options.dossierJury
          ? await writeConfiguredPacks(db, config, {
              apiUrl,
              demarches: options.demarche,
              filter: { scope: 'en_instruction' },
              outDir: options.out,
            })
          : [];
        logExcludedPieces(await context.logger(), packs);
        const packPages = new Map(
          packs
            .filter((p) => p.result)
            .map((p) => [p.demarche, new Map([...(p.result?.pageByDossier ?? [])].map(([dossier, at]) => [dossier, at.page]))]),
        );
        const items: WorkbookRunItem[] = await writeConfiguredWorkbooks(db, config, {
          apiUrl,
          demarches: options.demarche,
          breakdown: options.par,
          outDir: options.out,
          packPages,
        });
        return { items, packs };
      });
      const failed = items.filter((i) => i.error);
      const failedPacks = packs.filter((p) => p.error);
      const packOf = (demarche: number) => packs.find((p) => p.demarche === demarche)?.result?.packs[0];
      if (wantsJson(command)) {
        printJson(
          command,
          items.map((i) => ({
            demarche: i.demarche,
            ...(i.result ?? {}),
            ...(options.dossierJury ? { dossierJury: packOf(i.demarche) ?? null } : {}),
            warnings: i.warnings,
            error: i.error?.message ?? packs.find((p) => p.demarche === i.demarche)?.error?.message ?? null,
          })),
        );
      } else {
        printTable(
          command,
          items.filter((i) => i.result),
          [
            { header: 'Démarche', value: (i) => String(i.demarche), align: 'right' },
            { header: 'Dossiers', value: (i) => i.result?.dossiers },
            { header: 'Anomalies', value: (i) => i.result?.findings },
            { header: 'Classeur', value: (i) => i.result?.path },
            ...(options.dossierJury ? [{ header: 'Dossier du jury', value: (i: WorkbookRunItem) => packOf(i.demarche)?.path ?? '—' }] : []),
          ],
        );
        // One line per démarche: the detail is on each candidate's summary page, in --json and in the debug log.
        for (const line of excludedSummaryLines(packs)) print(command, line);
        for (const p of failedPacks) print(command, `Démarche ${p.demarche} : ${p.error?.message}`);
        for (const i of items) for (const w of i.warnings) print(command, `Démarche ${i.demarche}, attention (colonne omise) : ${w}`);
        for (const i of failed) print(command, `Démarche ${i.demarche} : ${i.error?.message}`);
        if (items.some((i) => i.result?.registered === false)) {
          print(
            command,
            'Base en lecture seule pour ce compte : classeurs non enregistrés dans la base, « ds-ars decisions » les refusera. Pour le classeur du jury, relancez « ds-ars report » avec le compte du service.',
          );
        }
      }
      const misconfigured = failed.filter((i) => isUsageError(i.error));
      if (misconfigured.length > 0) {
        throw new AppError(
          'config',
          `configuration à corriger pour la ou les démarches ${misconfigured.map((i) => i.demarche).join(', ')} (détail ci-dessus) : classeur non écrit.`,
        );
      }
      if (failed.length > 0)
        throw new PartialFailure(
          `${failed.length} ${agree(items.length, 'classeur')} sur ${items.length} ${agree(failed.length, 'non écrit', 'non écrits')}.`,
        );
      if (failedPacks.length > 0)
        throw new PartialFailure(
          `${failedPacks.length} ${agree(packs.length, 'dossier')} du jury sur ${packs.length} ${agree(failedPacks.length, 'non écrit', 'non écrits')}.`,
        );
    });
}
