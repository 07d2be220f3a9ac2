/**
 * `ds-ars dossier-jury`: the jury pack (one PDF per démarche, or per jury with --par): cover,
 * contents, then per candidate a summary page and the pieces downloaded by `sync --files`.
 * Exits 0 when every pack was written, 1 when one failed, 2 on a usage error.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { PackRunItem } from '../../reports/jury-pack/configured-packs.ts';
import {
  PACK_SCOPES,
  PACK_SPLITS,
  PACK_VERDICTS,
  type PackScope,
  type PackSplit,
  type PackVerdict,
} from '../../reports/jury-pack/pack-options.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { withCommandContext } from '../command-context.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { agree } from '../../shared/plural.ts';
import { progressLineOptions } from '../progress-time.ts';

interface PackCliOptions {
  demarche?: number[];
  par?: PackSplit;
  dossiers: PackScope;
  verdict?: PackVerdict[];
  out?: string;
}

function oneOf<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    if ((values as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`valeurs possibles : ${values.join(', ')}.`);
  };
}

function parseVerdict(value: string, previous: PackVerdict[] | undefined): PackVerdict[] {
  return [...(previous ?? []), oneOf(PACK_VERDICTS)(value)];
}

export function registerDossierJuryCommand(program: Command): void {
  program
    .command('dossier-jury')
    .description(
      'Produire le dossier du jury en PDF : page de garde, sommaire, puis pour chaque candidat une fiche de synthèse et ses pièces',
    )
    .option('-d, --demarche <numéro>', 'démarche (répétable) ; par défaut toutes celles de la configuration', parseDemarcheNumber)
    .option('--par <jury>', `un PDF par jury : ${PACK_SPLITS.join(', ')}`, oneOf(PACK_SPLITS))
    .option('--dossiers <portée>', `dossiers retenus : ${PACK_SCOPES.join(' ou ')}`, oneOf(PACK_SCOPES), 'en_instruction')
    .option('--verdict <éligibilité>', `seulement ces verdicts (répétable) : ${PACK_VERDICTS.join(', ')}`, parseVerdict)
    .option('--out <dossier>', 'dossier de sortie (par défaut output.dir de la configuration, ./var/rapports)')
    .addHelpText(
      'after',
      [
        '',
        'Les pièces viennent des fichiers téléchargés par « ds-ars sync --files » (somme de contrôle revérifiée).',
        'PDF ajoutés tels quels, JPEG et PNG mis en page ; les autres formats et les fichiers absents ou',
        'altérés sont signalés sur la fiche du candidat (« pièce non incluse : <nom>, <raison> »).',
        'Fichier (droits 0600) : dossier-jury_d<démarche>_<programme>[_<jury>]_<date>_<heure>.pdf.',
      ].join('\n'),
    )
    .action(async (options: PackCliOptions, command: Command) => {
      const [{ writeConfiguredPacks }, { excludedSummaryLines, logExcludedPieces }] = await Promise.all([
        import('../../reports/jury-pack/configured-packs.ts'),
        import('../../reports/jury-pack/excluded-summary.ts'),
      ]);
      await withCommandContext(command, async (context) => {
        const config = await context.config();
        const json = wantsJson(command);
        const cliProgress = !json && process.stderr.isTTY === true ? (await import('cli-progress')).default : undefined;
        const bar = cliProgress
          ? new cliProgress.SingleBar(
              progressLineOptions(process.stderr, 'Démarche {demarche}{jury} · candidats {value}/{total} · {bar} · {duration_formatted}'),
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        let current = '';
        const db = await context.database('read');
        let items: PackRunItem[];
        try {
          items = await writeConfiguredPacks(db, config, {
            apiUrl: context.env.DS_API_URL,
            demarches: options.demarche,
            filter: { scope: options.dossiers, verdicts: options.verdict },
            split: options.par,
            outDir: options.out,
            onProgress: bar
              ? (e) => {
                  const key = `${e.demarche}|${e.jury ?? ''}`;
                  const payload = { demarche: e.demarche, jury: e.jury ? ` (${e.jury})` : '' };
                  if (key !== current) {
                    if (current !== '') bar.stop();
                    bar.start(e.total, e.done, payload);
                    current = key;
                  } else bar.update(e.done, payload);
                }
              : undefined,
          });
        } finally {
          bar?.stop();
        }
        logExcludedPieces(await context.logger({ quiet: bar !== undefined }), items);
        const packs = items.flatMap((i) => (i.result?.packs ?? []).map((p) => ({ demarche: i.demarche, ...p })));
        const failed = items.filter((i) => i.error);
        if (json) {
          printJson(
            command,
            items.map((i) => ({ demarche: i.demarche, packs: i.result?.packs ?? [], error: i.error?.message ?? null })),
          );
        } else {
          printTable(command, packs, [
            { header: 'Démarche', value: (p) => String(p.demarche), align: 'right' },
            { header: 'Jury', value: (p) => p.jury ?? '—' },
            { header: 'Candidats', value: (p) => p.candidates, align: 'right' },
            { header: 'Pages', value: (p) => p.pages, align: 'right' },
            { header: 'Pièces non incluses', value: (p) => p.excluded.length, align: 'right' },
            { header: 'Fichier', value: (p) => p.path },
          ]);
          // One line per démarche: the detail is on each candidate's summary page, in --json and in the debug log.
          for (const line of excludedSummaryLines(items)) print(command, line);
          for (const i of failed) print(command, `Démarche ${i.demarche} : ${i.error?.message}`);
        }
        if (failed.length > 0)
          throw new PartialFailure(`${failed.length} ${agree(items.length, 'démarche')} sur ${items.length} sans dossier du jury.`);
      });
    });
}
