/**
 * Read side of the mirror, for the other capabilities (rules, push-back, reports, decisions).
 * Plain functions taking `db` first; rows come back as stored, nodes as validated at the edge.
 */
import type { Db } from '../db/database.ts';
import type { ChampRow, DescriptorRow, DossierRow, FileRow } from '../db/tables/mirror.table.ts';
import type { DossierNode } from '../graphql/answers.ts';

export interface ListDossiersOptions {
  /** Only these states (DS `DossierState`). */
  states?: readonly string[];
  /** Include dossiers DS lists as pending deletion (hidden by the usager, expiring). Default false. */
  includePendingDeletion?: boolean;
}

/** Dossiers of a démarche that DS has not deleted, by number. */
export async function listLiveDossiers(db: Db, demarche: number, options: ListDossiersOptions = {}): Promise<DossierRow[]> {
  let query = db.selectFrom('dossiers').selectAll().where('demarche_number', '=', demarche).where('deleted_at', 'is', null);
  if (!options.includePendingDeletion) query = query.where('pending_deletion', '=', 0);
  if (options.states && options.states.length > 0) query = query.where('state', 'in', [...options.states]);
  return query.orderBy('number').execute();
}

export async function getDossier(db: Db, number: number): Promise<DossierRow | undefined> {
  return db.selectFrom('dossiers').selectAll().where('number', '=', number).executeTakeFirst();
}

/**
 * The dossier as DS last returned it (the `DossierFields` selection, validated). File URLs are
 * blanked: they expire after 1 h; use `listFiles` for the local copies.
 */
export async function getDossierNode(db: Db, number: number): Promise<DossierNode | undefined> {
  const row = await db.selectFrom('dossiers').select('raw_json').where('number', '=', number).executeTakeFirst();
  return row === undefined ? undefined : (JSON.parse(row.raw_json) as DossierNode);
}

/** Champs (or annotations) of a dossier in form order; repetition children follow their block. */
export async function getChamps(db: Db, number: number, scope?: 'champ' | 'annotation'): Promise<ChampRow[]> {
  let query = db.selectFrom('champs').selectAll().where('dossier_number', '=', number);
  if (scope) query = query.where('scope', '=', scope);
  return query.orderBy('position').execute();
}

export async function listFiles(db: Db, number: number): Promise<FileRow[]> {
  return db.selectFrom('files').selectAll().where('dossier_number', '=', number).orderBy('champ_id').orderBy('position').execute();
}

export async function getDossierLabels(db: Db, number: number): Promise<Array<{ id: string; name: string }>> {
  const rows = await db
    .selectFrom('dossier_labels')
    .select(['label_id', 'name'])
    .where('dossier_number', '=', number)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.label_id, name: r.name }));
}

/**
 * Descriptors of the démarche's active revision (as of the last sync), in form order: champs
 * then annotations; repetition children carry `parent_id`.
 */
export async function getDescriptors(db: Db, demarche: number, scope?: 'champ' | 'annotation'): Promise<DescriptorRow[]> {
  let query = db
    .selectFrom('descriptors')
    .innerJoin('demarches', 'demarches.active_revision_id', 'descriptors.revision_id')
    .selectAll('descriptors')
    .where('demarches.number', '=', demarche);
  if (scope) query = query.where('descriptors.scope', '=', scope);
  return query.orderBy('descriptors.position').execute();
}

/**
 * Descriptors of every revision of the démarche the mirror has seen (the active one and those
 * published before it, which older dossiers still follow), grouped by revision, in form order.
 */
export async function getDescriptorsOfEveryRevision(
  db: Db,
  demarche: number,
  scope?: 'champ' | 'annotation',
): Promise<Map<string, DescriptorRow[]>> {
  let query = db
    .selectFrom('descriptors')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('revision_id', 'in', eb.selectFrom('revisions').select('id').where('demarche_number', '=', demarche)),
        eb('revision_id', 'in', eb.selectFrom('demarches').select('active_revision_id').where('number', '=', demarche)),
      ]),
    );
  if (scope) query = query.where('scope', '=', scope);
  const byRevision = new Map<string, DescriptorRow[]>();
  for (const row of await query.orderBy('revision_id').orderBy('position').execute()) {
    const list = byRevision.get(row.revision_id) ?? [];
    list.push(row);
    byRevision.set(row.revision_id, list);
  }
  return byRevision;
}

export interface InstructeurMatch {
  id: string;
  email: string;
  groupes: Array<{ id: string; number: number; label: string; closed: boolean }>;
}

/** The instructeur with this email (case-insensitive) in the démarche's groupes, with those groupes. */
export async function findInstructeurByEmail(db: Db, demarche: number, email: string): Promise<InstructeurMatch | undefined> {
  const rows = await db
    .selectFrom('instructeurs')
    .innerJoin('groupes_instructeurs', 'groupes_instructeurs.id', 'instructeurs.groupe_id')
    .select([
      'instructeurs.id',
      'instructeurs.email',
      'groupes_instructeurs.id as groupe_id',
      'groupes_instructeurs.number',
      'groupes_instructeurs.label',
      'groupes_instructeurs.closed',
    ])
    .where('groupes_instructeurs.demarche_number', '=', demarche)
    .execute();
  const wanted = email.trim().toLowerCase();
  const matches = rows.filter((r) => r.email.toLowerCase() === wanted);
  const first = matches[0];
  if (first === undefined) return undefined;
  return {
    id: first.id,
    email: first.email,
    groupes: matches.map((r) => ({ id: r.groupe_id, number: r.number, label: r.label, closed: r.closed === 1 })),
  };
}
