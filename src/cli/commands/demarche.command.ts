/**
 * `ds-ars demarche inspect N`: the champs and annotations of a form (id, type, required, label,
 * whether a condition hides it), repetition children under their block, the choices of each list.
 */
import type { Command } from 'commander';
import type { ChampDescriptorInfo } from '../../rules/mapping/descriptors.ts';
import type { ChampPresence } from '../../rules/mapping/form-descriptors.ts';
import { loadForm, parsePositiveInt } from '../form-source.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { plural } from '../../shared/plural.ts';

interface Line {
  id: string;
  type: string;
  label: string;
  required: boolean;
  conditional: string;
}

/** « Autre » as DS shows it when the candidate may type a free answer besides the options. */
const OTHER_OPTION = 'Autre (réponse libre)';

/** What the Conditionnel column says of a top-level champ, from the dossiers of the mirror. */
function conditionalOf(d: ChampDescriptorInfo, presence: ChampPresence | undefined): string {
  // Titles and explanations hold no answer: not every DS version returns them in a dossier.
  if (d.type === 'HeaderSection' || d.type === 'Explication') return '';
  const id = d.id;
  if (presence === undefined || presence.dossiers === 0) return '?';
  const missing = presence.missing.get(id) ?? 0;
  return missing === 0 ? 'non' : `oui (masqué dans ${missing}/${presence.dossiers})`;
}

function lines(descriptors: readonly ChampDescriptorInfo[], presence?: ChampPresence): Line[] {
  return descriptors.flatMap((d) => [
    { id: d.id, type: d.type, label: d.label, required: d.required, conditional: conditionalOf(d, presence) },
    ...(d.children ?? []).map((c) => ({ id: `  ${c.id}`, type: c.type, label: `  › ${c.label}`, required: c.required, conditional: '' })),
  ]);
}

/** DS writes a linked list as « --Premier choix-- » lines, each followed by the second choices it opens. */
const PRIMARY_OPTION = /^--(.*)--$/;

function linkedChoices(options: readonly string[]): string[] {
  const groups: Array<{ primary: string; secondary: string[] }> = [];
  for (const option of options) {
    const primary = PRIMARY_OPTION.exec(option)?.[1];
    if (primary !== undefined) groups.push({ primary, secondary: [] });
    else if (option.trim() !== '') groups.at(-1)?.secondary.push(option);
  }
  return groups.map((g) => `    « ${g.primary} » → ${g.secondary.map((o) => `« ${o} »`).join(', ') || '(aucun second choix)'}`);
}

/** The choices of every list of the form, children of a block included, « Autre » when it is free. */
export function choiceLines(descriptors: readonly ChampDescriptorInfo[]): string[] {
  const out: string[] = [];
  const visit = (list: readonly ChampDescriptorInfo[], block: string | null) => {
    for (const d of list) {
      if (d.options != null && d.options.length > 0) {
        const name = `- ${d.id} « ${block === null ? '' : `${block} › `}${d.label} »`;
        if (d.type === 'LinkedDropDownList') out.push(`${name} (deux listes liées) :`, ...linkedChoices(d.options));
        else {
          const choices = [...d.options.map((o) => `« ${o} »`), ...(d.otherOption === true ? [OTHER_OPTION] : [])];
          out.push(`${name}${d.type === 'MultipleDropDownList' ? ' (plusieurs choix possibles)' : ''} : ${choices.join(', ')}`);
        }
      }
      if (d.children) visit(d.children, d.label);
    }
  };
  visit(descriptors, null);
  return out;
}

export function registerDemarcheCommand(program: Command): void {
  const demarche = program.command('demarche').description('Informations sur une démarche');
  demarche
    .command('inspect')
    .description('Lister les champs et annotations du formulaire : identifiant, type, obligatoire, conditionnel, libellé, choix des listes')
    .argument('<numéro>', 'numéro de la démarche', parsePositiveInt)
    .option('--ds', 'lire le formulaire dans démarches-simplifiées plutôt que dans le miroir local')
    .action(async (number: number, options: { ds?: boolean }, command: Command) => {
      const form = await loadForm(command, number, { ...options, presence: true });
      const { presence, ...descriptors } = form;
      if (wantsJson(command)) {
        printJson(command, {
          ...descriptors,
          conditional: presence === undefined ? null : { dossiers: presence.dossiers, hiddenIn: Object.fromEntries(presence.missing) },
        });
        return;
      }
      const source = form.source === 'miroir' ? 'miroir local, tel qu’à la dernière synchronisation' : 'démarches-simplifiées';
      print(command, `Démarche ${number}${form.title ? ` — ${form.title}` : ''} (source : ${source})`);
      const columns = [
        { header: 'Identifiant', value: (l: Line) => l.id },
        { header: 'Type', value: (l: Line) => l.type },
        { header: 'Obligatoire', value: (l: Line) => (l.required ? 'oui' : 'non') },
        { header: 'Conditionnel', value: (l: Line) => l.conditional },
        { header: 'Libellé', value: (l: Line) => l.label },
      ];
      print(command, `\nChamps (${form.champs.length}) :`);
      printTable(command, lines(form.champs, presence), columns);
      print(
        command,
        presence === undefined || presence.dossiers === 0
          ? '« Conditionnel » : « ? » faute de dossiers synchronisés de cette révision (l’API de démarches-simplifiées ne décrit pas les conditions ; lancez « ds-ars sync » puis relancez sans --ds).'
          : `« Conditionnel » : d’après ${presence.dossiers >= 2 ? 'les ' : ''}${plural(presence.dossiers, 'dossier')} de cette révision dans le miroir ; démarches-simplifiées n’envoie pas un champ masqué par une condition du formulaire. Un champ jamais masqué jusqu’ici peut l’être plus tard.`,
      );
      print(command, '« › » : champ d’un bloc répétable, sous son bloc.');
      const choices = choiceLines(form.champs);
      if (choices.length > 0) {
        print(command, `\nChoix des listes (${choices.length}) :`);
        for (const line of choices) print(command, line);
      }
      print(command, `\nAnnotations privées (${form.annotations.length}) :`);
      if (form.annotations.length === 0) print(command, 'aucune');
      else {
        printTable(
          command,
          lines(form.annotations),
          columns.filter((c) => c.header !== 'Conditionnel'),
        );
        const annotationChoices = choiceLines(form.annotations);
        if (annotationChoices.length > 0) {
          print(command, `\nChoix des listes d’annotations (${annotationChoices.length}) :`);
          for (const line of annotationChoices) print(command, line);
        }
      }
    });
}
