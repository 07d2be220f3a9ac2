import type { Db } from '../db/database.ts';
import { saveCursor } from './sync-state.repository.ts';

export interface DeletedNode {
  number: number;
  reason: string;
  dateSupression: string;
}

export interface DeletionPageWrite {
  demarche: number;
  runId: number;
  kind: 'deleted' | 'pending';
  nodes: readonly DeletedNode[];
  endCursor: string | null;
}

/**
 * Marks the page's dossiers as deleted (deleted_at, reason) or pending deletion, with the page's
 * cursor, in one transaction. Rows are kept, never erased. Returns how many rows changed
 * (a re-delivered deletion counts once).
 */
export async function writeDeletionPage(db: Db, page: DeletionPageWrite): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const node of page.nodes) {
      const query =
        page.kind === 'deleted'
          ? trx
              .updateTable('dossiers')
              .set({ deleted_at: node.dateSupression, deleted_reason: node.reason, pending_deletion: 0 })
              .where('deleted_at', 'is', null)
          : trx
              .updateTable('dossiers')
              .set({ pending_deletion: 1, deleted_reason: node.reason })
              .where('pending_deletion', '=', 0)
              .where('deleted_at', 'is', null);
      const result = await query.where('number', '=', node.number).where('demarche_number', '=', page.demarche).executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    await saveCursor(
      trx,
      page.demarche,
      page.kind === 'deleted' ? 'deleted_cursor' : 'pending_deleted_cursor',
      page.endCursor,
      new Date().toISOString(),
    );
    if (changed > 0) {
      await trx
        .updateTable('sync_runs')
        .set((eb) => ({ deleted: eb('deleted', '+', changed) }))
        .where('id', '=', page.runId)
        .execute();
    }
    return changed;
  });
}
