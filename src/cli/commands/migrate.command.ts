/**
 * `ds-ars migrate`: applies the pending migrations of the database named by DS_ARS_DB (SQLite
 * file or PostgreSQL URL) and says which ones ran. Every command also applies them when it opens
 * the database; this one lets an operator do it on purpose, before starting the workers.
 */
import type { Command } from 'commander';
import { openCommandContext } from '../command-context.ts';
import { print, printJson, wantsJson } from '../output.ts';
import { plural } from '../../shared/plural.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      'Appliquer les migrations en attente de la base (fichier SQLite ou URL PostgreSQL de DS_ARS_DB) et dire lesquelles ont été appliquées',
    )
    .addHelpText(
      'after',
      [
        '',
        'Les autres commandes appliquent aussi les migrations en attente en ouvrant la base ; « ds-ars migrate » le fait seul,',
        'par exemple après une mise à jour, avant de relancer les workers. Plusieurs processus peuvent le lancer en même temps :',
        'un seul migre, les autres trouvent la base à jour. Codes de sortie : 0 base à jour, 1 migration en échec (base inchangée),',
        '2 configuration ou base inutilisable.',
      ].join('\n'),
    )
    .action(async (_options: unknown, command: Command) => {
      const [{ migrateDatabase }, { describeDatabase }] = await Promise.all([
        import('../../db/database.ts'),
        import('../../db/dialect.ts'),
      ]);
      const { env } = await openCommandContext(command);
      const result = await migrateDatabase(env.DS_ARS_DB);
      const database = describeDatabase(env.DS_ARS_DB);
      if (wantsJson(command)) {
        printJson(command, { database, applied: result.applied, total: result.total });
        return;
      }
      print(command, `Base : ${database}`);
      if (result.applied.length === 0) {
        print(command, `Base à jour : les ${result.total} migrations sont déjà appliquées.`);
        return;
      }
      print(command, `${plural(result.applied.length, 'migration appliquée', 'migrations appliquées')} :`);
      for (const name of result.applied) print(command, `  - ${name}`);
      print(command, `Base à jour (${result.total} migrations).`);
    });
}
