import type { Kysely } from 'kysely';
import { useFastCompression } from '../dialect.ts';

// Frozen in time. On PostgreSQL, compressing each dossier's raw_json with pglz took about half of
// a sync page's upsert of 100 dossiers (docs/BENCHMARKS.md, « postgres »); lz4 does it for a
// fraction of the CPU. Rows already stored keep their compression until rewritten. No-op on SQLite.

export async function up(db: Kysely<any>): Promise<void> {
  await useFastCompression(db, 'dossiers', 'raw_json');
}

export async function down(): Promise<void> {
  // The compression method changes nothing a reader sees.
}
