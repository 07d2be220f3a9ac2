/**
 * `ds-ars init --demarche N --programme P [--out fichier]`: writes a configuration stub with the
 * mapping proposed from the form's labels, and lists in French what could not be matched.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { AppError } from '../../errors.ts';
import { getProgramme, PROGRAMME_IDS, type ProgrammeId } from '../../rules/programmes/index.ts';
import { loadForm, parsePositiveInt } from '../form-source.ts';
import { print, printJson, wantsJson } from '../output.ts';

interface InitOptions {
  demarche: number;
  programme: ProgrammeId;
  out?: string;
  force?: boolean;
  ds?: boolean;
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('Écrire une configuration de départ pour une démarche : correspondance des champs proposée d’après leurs libellés')
    .requiredOption('-d, --demarche <numéro>', 'numéro de la démarche', parsePositiveInt)
    .addOption(new Option('-p, --programme <programme>', 'programme de la démarche').choices([...PROGRAMME_IDS]).makeOptionMandatory())
    .option('-o, --out <fichier>', 'fichier YAML à écrire (sinon la configuration est affichée)')
    .option('--force', 'écraser le fichier s’il existe déjà')
    .option('--ds', 'lire le formulaire dans démarches-simplifiées plutôt que dans le miroir local')
    .action(async (options: InitOptions, command: Command) => {
      if (options.out !== undefined && existsSync(options.out) && options.force !== true) {
        throw new AppError('usage', `Le fichier ${options.out} existe déjà : choisissez un autre nom ou ajoutez --force pour l’écraser.`);
      }
      const [{ parseConfig }, { buildConfigStub, CLOSING_DATE_PLACEHOLDER }, { matchAnnotations }, { matchLabels }, { parse: parseYaml }] = await Promise.all([import('../../config/file.ts'), import('../../rules/mapping/config-stub.ts'), import('../../rules/mapping/match-annotations.ts'), import('../../rules/mapping/match-labels.ts'), import('yaml')]);
      const form = await loadForm(options.demarche, options);
      const programme = getProgramme(options.programme);
      const match = matchLabels(programme, form.champs);
      const annotations = matchAnnotations(form.annotations);
      const yaml = buildConfigStub({
        demarche: options.demarche,
        programme,
        title: form.title,
        match,
        annotations,
        generatedOn: new Date().toISOString().slice(0, 10),
      });
      // The stub must load once the closing date is filled in.
      parseConfig(parseYaml(yaml.replace(CLOSING_DATE_PLACEHOLDER, '2000-01-01')), 'configuration générée');

      if (wantsJson(command)) {
        printJson(command, { yaml, matches: match.matches, unmatched: match.unmatched, ambiguous: match.ambiguous, annotations });
        return;
      }
      // Without --out the YAML goes to stdout, so the notes go to stderr and the output stays valid YAML.
      const note = options.out !== undefined ? (text: string) => print(command, text) : (text: string) => command.configureOutput().writeErr?.(`${text}\n`);
      if (options.out !== undefined) {
        writeFileSync(options.out, yaml, { encoding: 'utf8' });
        note(`Configuration écrite dans ${options.out} (${match.matches.length} champ(s) reconnu(s) sur ${programme.fields.length}).`);
      } else print(command, yaml);
      note('À faire avant la première utilisation : renseigner session.closingDate (et startDates, durationsYears).');
      for (const line of match.report) note(`- ${line}`);
      const missingAnnotations = (['synthese', 'complet', 'eligibilite', 'dateControle'] as const).filter((k) => annotations[k] === undefined);
      if (missingAnnotations.length > 0) {
        note(`- Annotations non trouvées (${missingAnnotations.join(', ')}) : créez-les dans la démarche ou indiquez-les à la main pour que « ds-ars annotate » puisse écrire.`);
      }
    });
}
