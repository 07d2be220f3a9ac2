/**
 * `ds-ars init --demarche N --programme P [--out fichier]`: writes a configuration stub with the
 * mapping proposed from the form's labels, and lists in French what could not be matched. Exit 1,
 * nothing written, when the form does not look like the programme. An existing YAML `--out` file
 * gets the démarche's block added (`--remplacer` replaces the block of the same number), its
 * comments and other démarches kept; `--force` overwrites the whole file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { AppError } from '../../errors.ts';
import type { matchLabels as MatchLabels } from '../../rules/mapping/match-labels.ts';
import { getProgramme, type Programme, PROGRAMME_IDS, type ProgrammeId } from '../../domain/programmes/index.ts';
import { loadForm, parsePositiveInt } from '../form-source.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, wantsJson } from '../output.ts';
import { plural } from '../../shared/plural.ts';

interface InitOptions {
  demarche: number;
  programme: ProgrammeId;
  out?: string;
  force?: boolean;
  remplacer?: boolean;
  ds?: boolean;
}

/** Required fields of `programme` the proposal found, and how many it has. */
function requiredFound(programme: Programme, mapping: Readonly<Record<string, unknown>>): { found: number; total: number } {
  const required = programme.fields.filter((f) => f.required);
  return { found: required.filter((f) => mapping[f.spec.key] !== undefined).length, total: required.length };
}

/**
 * Below a third of the programme's required fields, the form is not one of that programme (an
 * AUMG form read as ASR matched 10 of 39 fields): say so and write nothing (exit 1), naming the
 * programme the form looks most like.
 */
function refuseUnlikeForm(
  matchLabels: typeof MatchLabels,
  demarche: number,
  programme: Programme,
  match: ReturnType<typeof MatchLabels>,
  champs: Parameters<typeof MatchLabels>[1],
): void {
  const { found, total } = requiredFound(programme, match.mapping);
  if (found * 3 >= total) return;
  const others = PROGRAMME_IDS.filter((id) => id !== programme.id)
    .map((id) => ({ id, ...requiredFound(getProgramme(id), matchLabels(getProgramme(id), champs).mapping) }))
    .filter((o) => o.found * 3 >= o.total)
    .sort((a, b) => b.found / b.total - a.found / a.total);
  const hint = others[0]
    ? ` Il ressemble davantage au programme ${others[0].id.toUpperCase()} (${others[0].found} champs requis sur ${others[0].total}) : relancez avec --programme ${others[0].id}.`
    : ' Vérifiez le numéro de démarche et --programme.';
  throw new PartialFailure(
    `Le formulaire de la démarche ${demarche} ne ressemble pas au programme ${programme.id.toUpperCase()} : ${plural(found, 'champ requis reconnu', 'champs requis reconnus')} sur ${total}, il en faut au moins un tiers.${hint} Aucune configuration écrite.`,
  );
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('Écrire une configuration de départ pour une démarche : correspondance des champs proposée d’après leurs libellés')
    .requiredOption('-d, --demarche <numéro>', 'numéro de la démarche', parsePositiveInt)
    .addOption(new Option('-p, --programme <programme>', 'programme de la démarche').choices([...PROGRAMME_IDS]).makeOptionMandatory())
    .option('-o, --out <fichier>', 'fichier YAML à écrire (sinon la configuration est affichée)')
    .option(
      '--remplacer',
      'remplacer le bloc de la démarche si le fichier --out la configure déjà (les autres démarches et les commentaires sont gardés)',
    )
    .option('--force', 'écraser tout le fichier --out s’il existe déjà (autres démarches comprises), au lieu d’y ajouter la démarche')
    .option('--ds', 'lire le formulaire dans démarches-simplifiées plutôt que dans le miroir local')
    .action(async (options: InitOptions, command: Command) => {
      // An existing file is merged into (YAML only), unless --force asks to overwrite it.
      const mergeInto = options.out !== undefined && existsSync(options.out) && options.force !== true ? options.out : undefined;
      if (mergeInto !== undefined && /\.json$/i.test(mergeInto)) {
        throw new AppError(
          'usage',
          `Le fichier ${mergeInto} existe déjà et il est au format JSON : « ds-ars init » n’ajoute une démarche qu’à une configuration YAML (dont il garde les commentaires). Écrivez la proposition dans un fichier YAML (--out demarche.yaml) puis recopiez son bloc dans ${mergeInto}, ou passez la configuration en YAML ; --force écraserait tout le fichier.`,
        );
      }
      if (options.remplacer === true && mergeInto === undefined) {
        throw new AppError(
          'usage',
          '--remplacer s’emploie avec --out <fichier existant> : il remplace le bloc de la démarche dans ce fichier.',
        );
      }
      const [
        { parseConfig },
        { buildConfigStub, CLOSING_DATE_PLACEHOLDER },
        { matchAnnotations },
        { matchLabels },
        { mergeDemarcheInto, parseYamlText: parseYaml },
        { parisDateTime },
      ] = await Promise.all([
        import('../../config/file.ts'),
        import('../../rules/mapping/config-stub.ts'),
        import('../../rules/mapping/match-annotations.ts'),
        import('../../rules/mapping/match-labels.ts'),
        import('../../config/merge-demarche.ts'),
        import('../../shared/paris-time.ts'),
      ]);
      // Shown to a person (a comment of the file, a note): Paris time, `jj/mm/aaaa hh:mm`.
      const now = parisDateTime(new Date());
      const form = await loadForm(command, options.demarche, options);
      const programme = getProgramme(options.programme);
      const match = matchLabels(programme, form.champs);
      refuseUnlikeForm(matchLabels, options.demarche, programme, match, form.champs);
      const annotations = matchAnnotations(form.annotations);
      const yaml = buildConfigStub({
        demarche: options.demarche,
        programme,
        title: form.title,
        match,
        annotations,
        generatedOn: now,
      });
      // The stub must load once the closing date is filled in.
      parseConfig(parseYaml(yaml.replace(CLOSING_DATE_PLACEHOLDER, '2000-01-01')), 'configuration générée');

      if (wantsJson(command)) {
        printJson(command, { yaml, matches: match.matches, unmatched: match.unmatched, ambiguous: match.ambiguous, annotations });
        return;
      }
      // Without --out the YAML goes to stdout, so the notes go to stderr and the output stays valid YAML.
      const note =
        options.out !== undefined
          ? (text: string) => print(command, text)
          : (text: string) => command.configureOutput().writeErr?.(`${text}\n`);
      if (mergeInto !== undefined) {
        const merged = mergeDemarcheInto(readFileSync(mergeInto, 'utf8'), yaml, options.demarche, mergeInto, {
          replace: options.remplacer === true,
          note: `Démarche ${options.demarche} (${programme.id.toUpperCase()}) : bloc ${options.remplacer === true ? 'remplacé' : 'ajouté'} par « ds-ars init » le ${now} ; relisez la correspondance et renseignez session.closingDate.`,
        });
        writeFileSync(mergeInto, merged.text, { encoding: 'utf8' });
        note(
          `Démarche ${options.demarche} ${merged.replaced ? 'remplacée dans' : 'ajoutée à'} ${mergeInto} (${plural(match.matches.length, 'champ reconnu', 'champs reconnus')} sur ${programme.fields.length}) ; les autres démarches et les commentaires du fichier sont gardés.`,
        );
      } else if (options.out !== undefined) {
        writeFileSync(options.out, yaml, { encoding: 'utf8' });
        note(
          `Configuration écrite dans ${options.out} (${plural(match.matches.length, 'champ reconnu', 'champs reconnus')} sur ${programme.fields.length}).`,
        );
      } else print(command, yaml);
      note('À faire avant la première utilisation : renseigner session.closingDate (et startDates, durationsYears).');
      for (const line of match.report) note(`- ${line}`);
      const missingAnnotations = (['synthese', 'complet', 'eligibilite', 'dateControle'] as const).filter(
        (k) => annotations[k] === undefined,
      );
      if (missingAnnotations.length > 0) {
        note(
          `- Annotations non trouvées (${missingAnnotations.join(', ')}) : créez-les dans la démarche ou indiquez-les à la main pour que « ds-ars annotate » puisse écrire.`,
        );
      }
    });
}
