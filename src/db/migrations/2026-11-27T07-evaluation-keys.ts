import type { Kysely } from 'kysely';

// Frozen in time. The duplicate keys (normalised RPPS, nom|prénom|date of birth) a dossier had when
// it was evaluated, as JSON: a re-check takes the keys of up-to-date dossiers from here instead of
// reading their champs. NULL (rows written before) means unknown: the dossier is re-read once.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluations').addColumn('candidate_keys', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('evaluations').dropColumn('candidate_keys').execute();
}
