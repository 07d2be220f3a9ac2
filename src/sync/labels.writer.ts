import type { Db } from '../db/database.ts';
import { jsonWithKey } from '../db/dialect.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import { LABEL_COLUMNS } from './dossiers.writer.ts';

export interface LabelsNode {
  number: number;
  labels: ReadonlyArray<{ id: string; name: string }>;
}

/**
 * Applies one page of the labels pass: for each mirrored dossier whose label set differs, its
 * label rows and the labels of its raw node are replaced. Returns the number of dossiers changed.
 */
export async function writeLabelsPage(db: Db, runId: number, nodes: readonly LabelsNode[]): Promise<number> {
  if (nodes.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const numbers = nodes.map((n) => n.number);
    const rows = await trx
      .selectFrom('dossier_labels')
      .select(['dossier_number', 'label_id'])
      .where('dossier_number', 'in', numbers)
      .execute();
    const present = await trx.selectFrom('dossiers').select('number').where('number', 'in', numbers).execute();
    const mirrored = new Set(present.map((r) => r.number));
    const current = new Map<number, string[]>();
    for (const r of rows) current.set(r.dossier_number, [...(current.get(r.dossier_number) ?? []), r.label_id]);
    let changed = 0;
    for (const node of nodes) {
      if (!mirrored.has(node.number)) continue;
      const before = (current.get(node.number) ?? []).sort().join('\n');
      const after = node.labels
        .map((l) => l.id)
        .sort()
        .join('\n');
      if (before === after) continue;
      changed++;
      await trx.deleteFrom('dossier_labels').where('dossier_number', '=', node.number).execute();
      await bulkInsert(
        trx,
        'dossier_labels',
        LABEL_COLUMNS,
        node.labels.map((l) => ({ dossier_number: node.number, label_id: l.id, name: l.name })),
      );
      const labelsJson = JSON.stringify(node.labels.map((l) => ({ __typename: 'Label', id: l.id, name: l.name })));
      await trx
        .updateTable('dossiers')
        .set({ raw_json: jsonWithKey(trx, 'raw_json', 'labels', labelsJson) })
        .where('number', '=', node.number)
        .execute();
    }
    if (changed > 0) {
      await trx
        .updateTable('sync_runs')
        .set((eb) => ({ labels_changed: eb('labels_changed', '+', changed) }))
        .where('id', '=', runId)
        .execute();
    }
    return changed;
  });
}

export async function markLabelsPassDone(db: Db, demarche: number, at: string): Promise<void> {
  await db.updateTable('sync_state').set({ labels_synced_at: at }).where('demarche_number', '=', demarche).execute();
}
