import type { Kysely } from 'kysely';

// Frozen in time. Rule evaluations per dossier and their findings, with what they were computed on.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evaluations')
    .addColumn('dossier_number', 'integer', (c) => c.primaryKey())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('rule_pack_version', 'text', (c) => c.notNull())
    .addColumn('config_hash', 'text', (c) => c.notNull())
    .addColumn('dossier_version', 'text', (c) => c.notNull()) // dateDerniereModification evaluated
    .addColumn('evaluated_at', 'text', (c) => c.notNull())
    .addColumn('complet', 'integer', (c) => c.notNull())
    .addColumn('eligible', 'text', (c) => c.notNull()) // 'oui' | 'non' | 'a_verifier'
    .addColumn('bloquants', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alertes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('infos', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('evaluations_demarche_idx').on('evaluations').column('demarche_number').execute();

  await db.schema
    .createTable('findings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('dossier_number', 'integer', (c) => c.notNull())
    .addColumn('demarche_number', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull()) // 'bloquant' | 'alerte' | 'info'
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('champ_label', 'text')
    .addColumn('champ_value', 'text')
    .addColumn('evidence_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('rule_pack_version', 'text', (c) => c.notNull())
    .addColumn('config_hash', 'text', (c) => c.notNull())
    .addColumn('dossier_version', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull()) // kept across re-evaluations (digest: "new" findings)
    .execute();
  await db.schema.createIndex('findings_dossier_idx').on('findings').column('dossier_number').execute();
  await db.schema.createIndex('findings_demarche_idx').on('findings').columns(['demarche_number', 'severity']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('findings').ifExists().execute();
  await db.schema.dropTable('evaluations').ifExists().execute();
}
