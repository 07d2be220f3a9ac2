/** `ds-ars db copy`: moves a SQLite mirror, journal included, into a new PostgreSQL database. */
import type { Command } from 'commander';
import { print, printJson, printTable, wantsJson } from '../output.ts';

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('Opérations sur la base elle-même (copie SQLite → PostgreSQL)');
  db.command('copy')
    .description('Copier une base SQLite existante (miroir, journal, résultats, plans…) dans une base PostgreSQL neuve, comptes vérifiés')
    .requiredOption('--from <fichier>', 'la base SQLite à copier (elle n’est pas modifiée, hormis ses migrations en attente)')
    .requiredOption('--to <url>', 'la base PostgreSQL de destination, vide : postgres://utilisateur:motdepasse@hôte:5432/base')
    .action(async (options: { from: string; to: string }, command: Command) => {
      const [{ copySqliteToPostgres }, { describeDatabase }] = await Promise.all([
        import('../../db/copy.ts'),
        import('../../db/dialect.ts'),
      ]);
      const report = await copySqliteToPostgres(options.from, options.to);
      if (wantsJson(command)) {
        printJson(command, report);
        return;
      }
      printTable(command, report.tables, [
        { header: 'Table', value: (t) => t.table },
        { header: 'Lignes copiées', value: (t) => t.rows, align: 'right' },
      ]);
      print(
        command,
        `Copie terminée vers ${describeDatabase(options.to)} : toutes les tables ont le même nombre de lignes que la source. Utilisez maintenant DS_ARS_DB=<cette URL>.`,
      );
    });
}
