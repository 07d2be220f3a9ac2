/**
 * `ds-ars check`: runs the rules on the mirror and stores findings and verdicts. Only dossiers
 * changed since their last check are rewritten, unless the rules or the configuration changed
 * (or --all). Exit 0 ok, 1 some démarche or dossier could not be checked, 2 usage/configuration.
 */
import type { Command } from 'commander';
import type { DemarcheCheckResult } from '../../rules/check.ts';
import { RULE_PACK_VERSION } from '../../rules/rule-pack-version.ts';
import { AppError } from '../../errors.ts';
import { uncheckedLine } from '../../rules/unchecked-line.ts';
import { PartialFailure } from '../exit.ts';
import { withCommandContext } from '../command-context.ts';
import { formatTable, print, printJson, wantsJson } from '../output.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { plural } from '../../shared/plural.ts';

function printResult(command: Command, r: DemarcheCheckResult): void {
  const head = `Démarche ${r.demarche} (${r.programme.toUpperCase()})`;
  if (r.status === 'failed') {
    print(command, `${head} : contrôle impossible — ${r.error ?? 'erreur inconnue'}`);
    return;
  }
  print(
    command,
    `${head} : ${plural(r.dossiers, 'dossier')} ; ${plural(r.written, 'contrôlé')} à nouveau, ${plural(r.unchanged, 'inchangé')}.`,
  );
  print(command, `  Complets : ${r.verdicts.complet} — incomplets : ${r.verdicts.incomplet}`);
  print(command, `  Éligibilité : oui ${r.verdicts.oui}, non ${r.verdicts.non}, à vérifier ${r.verdicts.a_verifier}`);
  const rules = Object.entries(r.rules).sort(([a], [b]) => a.localeCompare(b));
  if (rules.length > 0) {
    print(command, '  Constats par règle :');
    // Indented like the lines around it, under the démarche it belongs to.
    const table = formatTable(rules, [
      { header: 'Règle', value: ([id]) => id },
      { header: 'Bloquants', value: ([, c]) => c.bloquant, align: 'right' },
      { header: 'Alertes', value: ([, c]) => c.alerte, align: 'right' },
      { header: 'Infos', value: ([, c]) => c.info, align: 'right' },
    ]);
    print(command, table.replace(/^/gm, '    ').trimEnd());
  }
  if (r.unchecked.length > 0) {
    print(command, '  Contrôles non effectués pour toute la démarche (et pourquoi) :');
    for (const u of r.unchecked) print(command, `    - ${uncheckedLine(u)}`);
  }
  for (const p of r.mappingProblems) print(command, `  Correspondance à corriger dans la configuration : ${p}`);
  for (const u of r.unreadable) print(command, `  Dossier ${u.dossier} illisible, non contrôlé : ${u.error}`);
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('Contrôler les dossiers du miroir (complétude, éligibilité) et enregistrer les constats')
    .option(
      '-d, --demarche <numéro>',
      'démarche à contrôler (répétable) ; par défaut toutes celles de la configuration',
      parseDemarcheNumber,
    )
    .option('--all', 'recontrôler tous les dossiers, même ceux qui n’ont pas changé')
    .addHelpText('after', `\nVersion des règles : ${RULE_PACK_VERSION}. Lancez « ds-ars sync » avant pour contrôler des dossiers à jour.`)
    .action(async (options: { demarche?: number[]; all?: boolean }, command: Command) => {
      const [{ checkDemarche }, { selectDemarches }] = await Promise.all([
        import('../../rules/check.ts'),
        import('../pushback-context.ts'),
      ]);
      const results = await withCommandContext(command, async (context) => {
        const demarches = selectDemarches(await context.config(), options.demarche);
        const db = await context.database('write');
        const results: DemarcheCheckResult[] = [];
        for (const demarche of demarches) results.push(await checkDemarche(db, demarche, { all: options.all === true }));
        return results;
      });
      if (wantsJson(command)) printJson(command, { rulePackVersion: RULE_PACK_VERSION, demarches: results });
      else for (const r of results) printResult(command, r);
      const misconfigured = results.filter((r) => r.unreachableMapping.length > 0);
      if (misconfigured.length > 0) {
        throw new AppError(
          'config',
          `mapping à corriger dans la configuration pour la ou les démarches ${misconfigured.map((r) => r.demarche).join(', ')} (détail ci-dessus) : aucun contrôle enregistré pour elles.`,
        );
      }
      const problems = results.filter((r) => r.status !== 'ok');
      if (problems.length > 0) {
        throw new PartialFailure(
          `${plural(problems.length, 'démarche contrôlée', 'démarches contrôlées')} partiellement ou pas du tout : ${problems.map((r) => r.demarche).join(', ')}.`,
        );
      }
    });
}
