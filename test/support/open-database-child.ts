/**
 * A process that opens (creating and migrating if needed) the SQLite file given as argument, as
 * every ds-ars command does at start, then exits: 0 when the database is ready, 1 with the error.
 * Usage: node --import tsx test/support/open-database-child.ts <db>
 */
import { openDatabase } from '../../src/db/database.ts';

const [path = ''] = process.argv.slice(2);
try {
  const db = await openDatabase(path);
  const applied = await db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute();
  await db.destroy();
  process.stdout.write(`${applied.length}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
