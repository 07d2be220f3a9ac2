import { sql, type Kysely } from 'kysely';

// Frozen in time. Views for analysts (BI tools, SQL), stable across versions: their names and
// columns only ever grow. No personal data beyond dossier numbers (no names, e-mails, champ values
// or motivations): a read-only role granted these views alone sees verdicts, not people.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create view analyse_dossiers as
    select d.number as dossier, d.demarche_number as demarche, d.state as etat, d.archived as archive,
      d.date_depot, d.date_passage_en_instruction, d.date_traitement, d.date_derniere_modification,
      d.groupe_instructeur_label as groupe_instructeur,
      e.complet, e.eligible, e.bloquants, e.alertes, e.infos, e.evaluated_at as evalue_le, e.rule_pack_version as version_regles
    from dossiers d left join evaluations e on e.dossier_number = d.number
    where d.deleted_at is null and d.pending_deletion = 0`.execute(db);
  await sql`create view analyse_constats as
    select f.dossier_number as dossier, f.demarche_number as demarche, f.position, f.rule_id as regle, f.severity as gravite,
      f.message, f.first_seen_at as vu_depuis, f.dossier_version as version_dossier, f.rule_pack_version as version_regles
    from findings f`.execute(db);
  await sql`create view analyse_decisions as
    select j.dossier_number as dossier, j.demarche_number as demarche, j.operation, j.status as statut,
      j.created_at as cree_le, j.sent_at as envoye_le, j.finished_at as termine_le, j.attempts as tentatives, j.plan_id as plan
    from mutation_journal j`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const view of ['analyse_decisions', 'analyse_constats', 'analyse_dossiers'])
    await sql`drop view if exists ${sql.table(view)}`.execute(db);
}
