/** `ds-ars demarche inspect N`: the champs and annotations of a form (id, type, label, required). */
import type { Command } from 'commander';
import type { ChampDescriptorInfo } from '../../rules/mapping/descriptors.ts';
import { loadForm, parsePositiveInt } from '../form-source.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';

interface Line {
  id: string;
  type: string;
  label: string;
  required: boolean;
}

function lines(descriptors: readonly ChampDescriptorInfo[]): Line[] {
  return descriptors.flatMap((d) => [
    { id: d.id, type: d.type, label: d.label, required: d.required },
    ...(d.children ?? []).map((c) => ({ id: c.id, type: c.type, label: `  › ${c.label}`, required: c.required })),
  ]);
}

export function registerDemarcheCommand(program: Command): void {
  const demarche = program.command('demarche').description('Informations sur une démarche');
  demarche
    .command('inspect')
    .description('Lister les champs et annotations du formulaire : identifiant, type, libellé, obligatoire')
    .argument('<numéro>', 'numéro de la démarche', parsePositiveInt)
    .option('--ds', 'lire le formulaire dans démarches-simplifiées plutôt que dans le miroir local')
    .action(async (number: number, options: { ds?: boolean }, command: Command) => {
      const form = await loadForm(command, number, options);
      if (wantsJson(command)) {
        printJson(command, form);
        return;
      }
      const source = form.source === 'miroir' ? 'miroir local (dernière synchronisation)' : 'démarches-simplifiées';
      print(command, `Démarche ${number}${form.title ? ` — ${form.title}` : ''} (source : ${source})`);
      const columns = [
        { header: 'Identifiant', value: (l: Line) => l.id },
        { header: 'Type', value: (l: Line) => l.type },
        { header: 'Obligatoire', value: (l: Line) => (l.required ? 'oui' : 'non') },
        { header: 'Libellé', value: (l: Line) => l.label },
      ];
      print(command, `\nChamps (${form.champs.length}) :`);
      printTable(command, lines(form.champs), columns);
      print(command, `\nAnnotations privées (${form.annotations.length}) :`);
      if (form.annotations.length === 0) print(command, 'aucune');
      else printTable(command, lines(form.annotations), columns);
    });
}
