/**
 * `ds-ars sauvegarde <fichier> [--remplacer]`: a consistent copy of the database, taken while
 * the worker may be running (SQLite online backup). Restoring is described in docs/DEPLOIEMENT.md.
 */
import type { Command } from 'commander';
import type { BackupResult } from '../../db/backup.ts';
import { print, printJson, wantsJson } from '../output.ts';
import { openCommandContext } from '../command-context.ts';
import { plural } from '../../shared/plural.ts';

export function registerSauvegardeCommand(program: Command): void {
  program
    .command('sauvegarde')
    .description('Copier la base SQLite dans un fichier, de façon cohérente même pendant que le worker travaille')
    .argument('<fichier>', 'fichier de la sauvegarde (droits 0600) ; refusé s’il existe déjà, sauf avec --remplacer')
    .option('--remplacer', 'écraser le fichier s’il existe déjà')
    .addHelpText(
      'after',
      [
        '',
        'La copie est faite par l’API de sauvegarde de SQLite : elle ne bloque ni le worker ni une synchronisation en cours.',
        'Restaurer : arrêter le worker, remplacer le fichier de la base (DS_ARS_DB) par la sauvegarde, supprimer les fichiers',
        '« -wal » et « -shm » de l’ancienne base. Ce qu’une restauration perd : voir docs/DEPLOIEMENT.md.',
      ].join('\n'),
    )
    .action(async (file: string, options: { remplacer?: boolean }, command: Command) => {
      const [{ backupDatabase }, { pgDumpCommand }, { isPostgresUrl }, { AppError }] = await Promise.all([
        import('../../db/backup.ts'),
        import('../../db/dialect.ts'),
        import('../../db/database-url.ts'),
        import('../../errors.ts'),
      ]);
      const context = await openCommandContext(command);
      const { env } = context;
      // SQLite's online backup only: a PostgreSQL server has its own, consistent while workers run.
      if (isPostgresUrl(env.DS_ARS_DB)) {
        throw new AppError(
          'usage',
          `La base est sur PostgreSQL : « ds-ars sauvegarde » ne copie qu’une base SQLite. Sauvegardez-la avec pg_dump, cohérent même pendant que les workers travaillent : « ${pgDumpCommand(env.DS_ARS_DB, file)} » (mot de passe par PGPASSWORD ou ~/.pgpass ; restauration par pg_restore), voir docs/DEPLOIEMENT.md § 8.`,
        );
      }
      const db = await context.database('read');
      let result: BackupResult;
      try {
        result = await backupDatabase(db, file, { replace: options.remplacer === true });
      } finally {
        await context.close();
      }
      if (wantsJson(command)) {
        printJson(command, result);
        return;
      }
      const size = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(result.bytes / 1_048_576);
      print(
        command,
        `Sauvegarde écrite : ${result.path} (${size} Mo, ${plural(result.dossiers, 'dossier')}, ${plural(result.journalEntries, 'mutation journalisée', 'mutations journalisées')}), vérifiée.`,
      );
    });
}
