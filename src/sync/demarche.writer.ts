import type { Db } from '../db/database.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import { flattenRevision, type DemarcheNode } from './revision.ts';

/**
 * Saves the démarche (title, state, labels), its groupes instructeurs with their instructeurs
 * (replaced every run: cheap, and needed to act as an instructeur), and, when the active
 * revision changed, the revision and its descriptors. One transaction.
 */
export async function writeDemarche(db: Db, node: DemarcheNode, options: { revisionChanged: boolean; at: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = {
      number: node.number,
      id: node.id,
      title: node.title,
      state: node.state,
      active_revision_id: node.activeRevision.id,
      date_creation: node.dateCreation,
      date_derniere_modification: node.dateDerniereModification,
      date_fermeture: node.dateFermeture,
      labels_json: JSON.stringify(node.labels.map((l) => ({ id: l.id, name: l.name, color: l.color }))),
      fetched_at: options.at,
    };
    await trx
      .insertInto('demarches')
      .values(row)
      .onConflict((oc) => oc.column('number').doUpdateSet(row))
      .execute();

    const groupeIds = await trx.selectFrom('groupes_instructeurs').select('id').where('demarche_number', '=', node.number).execute();
    if (groupeIds.length) {
      await trx
        .deleteFrom('instructeurs')
        .where(
          'groupe_id',
          'in',
          groupeIds.map((g) => g.id),
        )
        .execute();
      await trx.deleteFrom('groupes_instructeurs').where('demarche_number', '=', node.number).execute();
    }
    for (const g of node.groupeInstructeurs) {
      await trx
        .insertInto('groupes_instructeurs')
        .values({ id: g.id, demarche_number: node.number, number: g.number, label: g.label, closed: g.closed ? 1 : 0 })
        .execute();
      await bulkInsert(
        trx,
        'instructeurs',
        ['groupe_id', 'id', 'email'],
        g.instructeurs.map((i) => ({ groupe_id: g.id, id: i.id, email: i.email })),
      );
    }

    if (options.revisionChanged) {
      const revision = node.activeRevision;
      const revisionRow = {
        id: revision.id,
        demarche_number: node.number,
        date_creation: revision.dateCreation,
        date_publication: revision.datePublication,
        fetched_at: options.at,
      };
      await trx
        .insertInto('revisions')
        .values(revisionRow)
        .onConflict((oc) => oc.column('id').doUpdateSet(revisionRow))
        .execute();
      await trx.deleteFrom('descriptors').where('revision_id', '=', revision.id).execute();
      await bulkInsert(
        trx,
        'descriptors',
        ['revision_id', 'id', 'scope', 'parent_id', 'position', 'typename', 'label', 'description', 'required', 'options_json'],
        flattenRevision(revision),
      );
      await trx.updateTable('sync_state').set({ revision_id: revision.id }).where('demarche_number', '=', node.number).execute();
    }
  });
}
