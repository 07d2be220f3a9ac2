import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { bulkInsert } from './bulk-insert.ts';
import { flattenDossier, isOlder, type DossierNode, type FileToFetch, type NewChampRow, type NewFileRow, type NewLabelRow } from './flatten-dossier.ts';
import { flattenRevision, type DemarcheNode } from './revision.ts';
import { nextCursor } from './run-plan.ts';

const DOSSIER_COLUMNS = [
  'number',
  'id',
  'demarche_number',
  'revision_id',
  'state',
  'archived',
  'date_depot',
  'date_passage_en_instruction',
  'date_traitement',
  'date_derniere_modification',
  'date_derniere_modification_champs',
  'date_derniere_modification_annotations',
  'groupe_instructeur_id',
  'groupe_instructeur_label',
  'demandeur_type',
  'demandeur_nom',
  'demandeur_prenom',
  'demandeur_siret',
  'usager_email',
  'motivation',
  'raw_json',
  'synced_at',
] as const satisfies readonly (keyof Database['dossiers'])[];

const CHAMP_COLUMNS = [
  'dossier_number',
  'scope',
  'position',
  'champ_id',
  'descriptor_id',
  'parent_descriptor_id',
  'row_id',
  'label',
  'typename',
  'string_value',
  'typed_value',
  'updated_at',
] as const satisfies readonly (keyof Database['champs'])[];

const FILE_COLUMNS = [
  'dossier_number',
  'champ_id',
  'descriptor_id',
  'row_id',
  'position',
  'filename',
  'content_type',
  'byte_size',
  'checksum',
  'local_path',
  'downloaded_at',
  'download_error',
] as const satisfies readonly (keyof Database['files'])[];

const LABEL_COLUMNS = ['dossier_number', 'label_id', 'name'] as const satisfies readonly (keyof Database['dossier_labels'])[];

export interface DossierPageWrite {
  demarche: number;
  runId: number;
  nodes: readonly DossierNode[];
  /** `pageInfo.endCursor` of the page (null on an empty page: the stored cursor is kept). */
  endCursor: string | null;
  syncedAt: string;
}

export interface DossierPageResult {
  upserted: number;
  /** Re-delivered copies older than the stored one, left alone. */
  stale: number;
  /** Files of the written dossiers; `localPath` is set when a download with the same checksum exists. */
  files: Array<FileToFetch & { localPath: string | null }>;
  /** Local files no row points to any more (file replaced or removed in DS): safe to delete. */
  orphanPaths: string[];
}

const fileKey = (dossier: number, champId: string, position: number): string => `${dossier}|${champId}|${position}`;

/**
 * Writes one page of dossiers and its cursor in ONE transaction, so a crash repeats at most this
 * page and never skips it. Each dossier's champs, files and labels are replaced; a copy older
 * than the stored one (at-least-once delivery) is skipped; a downloaded file whose checksum did
 * not change keeps its local path.
 */
export async function writeDossierPage(db: Db, page: DossierPageWrite): Promise<DossierPageResult> {
  return db.transaction().execute(async (trx) => {
    const numbers = page.nodes.map((n) => n.number);
    const stored = numbers.length
      ? await trx.selectFrom('dossiers').select(['number', 'date_derniere_modification']).where('number', 'in', numbers).execute()
      : [];
    const storedDate = new Map(stored.map((r) => [r.number, r.date_derniere_modification]));
    // DS may deliver a dossier twice in one page window; keep the newest copy.
    const latest = new Map<number, DossierNode>();
    for (const node of page.nodes) {
      const seen = latest.get(node.number);
      if (seen === undefined || !isOlder(node.dateDerniereModification, seen.dateDerniereModification)) latest.set(node.number, node);
    }
    const fresh = [...latest.values()].filter((n) => {
      const previous = storedDate.get(n.number);
      return previous === undefined || !isOlder(n.dateDerniereModification, previous);
    });
    const kept = fresh.map((n) => n.number);

    const previousFiles = kept.length
      ? await trx
          .selectFrom('files')
          .select(['dossier_number', 'champ_id', 'position', 'checksum', 'local_path', 'downloaded_at', 'download_error'])
          .where('dossier_number', 'in', kept)
          .execute()
      : [];
    const previousByKey = new Map(previousFiles.map((f) => [fileKey(f.dossier_number, f.champ_id, f.position), f]));

    const flats = fresh.map((n) => flattenDossier(n, page.demarche, page.syncedAt));
    const champs: NewChampRow[] = [];
    const files: NewFileRow[] = [];
    const labels: NewLabelRow[] = [];
    const toFetch: DossierPageResult['files'] = [];
    for (const flat of flats) {
      champs.push(...flat.champs);
      labels.push(...flat.labels);
      for (const [i, file] of flat.files.entries()) {
        const previous = previousByKey.get(fileKey(file.dossier_number, file.champ_id, file.position));
        const same = previous !== undefined && previous.checksum === file.checksum;
        const row = same ? { ...file, local_path: previous.local_path, downloaded_at: previous.downloaded_at, download_error: previous.download_error } : file;
        files.push(row);
        const fetch = flat.fetches[i];
        if (fetch) toFetch.push({ ...fetch, localPath: row.local_path ?? null });
      }
    }
    const keptPaths = new Set(files.map((f) => f.local_path).filter((p): p is string => !!p));
    const orphanPaths = [...new Set(previousFiles.map((f) => f.local_path).filter((p): p is string => !!p && !keptPaths.has(p)))];

    if (kept.length) {
      await trx.deleteFrom('champs').where('dossier_number', 'in', kept).execute();
      await trx.deleteFrom('files').where('dossier_number', 'in', kept).execute();
      await trx.deleteFrom('dossier_labels').where('dossier_number', 'in', kept).execute();
      await bulkInsert(trx, 'dossiers', DOSSIER_COLUMNS, flats.map((f) => f.dossier), {
        conflict: 'number',
        // Deletion marks are not part of the node: an upsert leaves them as they are.
        update: DOSSIER_COLUMNS.filter((c) => c !== 'number'),
      });
      await bulkInsert(trx, 'champs', CHAMP_COLUMNS, champs);
      await bulkInsert(trx, 'files', FILE_COLUMNS, files);
      await bulkInsert(trx, 'dossier_labels', LABEL_COLUMNS, labels);
    }
    await saveCursor(trx, page.demarche, 'cursor', page.endCursor, page.syncedAt);
    await trx
      .updateTable('sync_runs')
      .set((eb) => ({ pages: eb('pages', '+', 1), upserted: eb('upserted', '+', kept.length) }))
      .where('id', '=', page.runId)
      .execute();
    return { upserted: kept.length, stale: page.nodes.length - kept.length, files: toFetch, orphanPaths };
  });
}

type CursorColumn = 'cursor' | 'deleted_cursor' | 'pending_deleted_cursor';

async function saveCursor(trx: Kysely<Database>, demarche: number, column: CursorColumn, endCursor: string | null, at: string): Promise<void> {
  const state = await trx.selectFrom('sync_state').select(column).where('demarche_number', '=', demarche).executeTakeFirstOrThrow();
  const cursor = nextCursor(state[column], endCursor);
  await trx
    .updateTable('sync_state')
    .set(column === 'cursor' ? { cursor, cursor_at: at } : { [column]: cursor })
    .where('demarche_number', '=', demarche)
    .execute();
}

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
          : trx.updateTable('dossiers').set({ pending_deletion: 1, deleted_reason: node.reason }).where('pending_deletion', '=', 0).where('deleted_at', 'is', null);
      const result = await query.where('number', '=', node.number).where('demarche_number', '=', page.demarche).executeTakeFirst();
      changed += Number(result.numUpdatedRows);
    }
    await saveCursor(trx, page.demarche, page.kind === 'deleted' ? 'deleted_cursor' : 'pending_deleted_cursor', page.endCursor, new Date().toISOString());
    if (changed > 0) {
      await trx.updateTable('sync_runs').set((eb) => ({ deleted: eb('deleted', '+', changed) })).where('id', '=', page.runId).execute();
    }
    return changed;
  });
}

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
    const rows = await trx.selectFrom('dossier_labels').select(['dossier_number', 'label_id']).where('dossier_number', 'in', numbers).execute();
    const present = await trx.selectFrom('dossiers').select('number').where('number', 'in', numbers).execute();
    const mirrored = new Set(present.map((r) => r.number));
    const current = new Map<number, string[]>();
    for (const r of rows) current.set(r.dossier_number, [...(current.get(r.dossier_number) ?? []), r.label_id]);
    let changed = 0;
    for (const node of nodes) {
      if (!mirrored.has(node.number)) continue;
      const before = (current.get(node.number) ?? []).sort().join('\n');
      const after = node.labels.map((l) => l.id).sort().join('\n');
      if (before === after) continue;
      changed++;
      await trx.deleteFrom('dossier_labels').where('dossier_number', '=', node.number).execute();
      await bulkInsert(trx, 'dossier_labels', LABEL_COLUMNS, node.labels.map((l) => ({ dossier_number: node.number, label_id: l.id, name: l.name })));
      const labelsJson = JSON.stringify(node.labels.map((l) => ({ __typename: 'Label', id: l.id, name: l.name })));
      await trx
        .updateTable('dossiers')
        .set({ raw_json: sql<string>`json_set(raw_json, '$.labels', json(${labelsJson}))` })
        .where('number', '=', node.number)
        .execute();
    }
    if (changed > 0) {
      await trx.updateTable('sync_runs').set((eb) => ({ labels_changed: eb('labels_changed', '+', changed) })).where('id', '=', runId).execute();
    }
    return changed;
  });
}

export async function markLabelsPassDone(db: Db, demarche: number, at: string): Promise<void> {
  await db.updateTable('sync_state').set({ labels_synced_at: at }).where('demarche_number', '=', demarche).execute();
}

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
      await trx.deleteFrom('instructeurs').where('groupe_id', 'in', groupeIds.map((g) => g.id)).execute();
      await trx.deleteFrom('groupes_instructeurs').where('demarche_number', '=', node.number).execute();
    }
    for (const g of node.groupeInstructeurs) {
      await trx.insertInto('groupes_instructeurs').values({ id: g.id, demarche_number: node.number, number: g.number, label: g.label, closed: g.closed ? 1 : 0 }).execute();
      await bulkInsert(trx, 'instructeurs', ['groupe_id', 'id', 'email'], g.instructeurs.map((i) => ({ groupe_id: g.id, id: i.id, email: i.email })));
    }

    if (options.revisionChanged) {
      const revision = node.activeRevision;
      const revisionRow = { id: revision.id, demarche_number: node.number, date_creation: revision.dateCreation, date_publication: revision.datePublication, fetched_at: options.at };
      await trx
        .insertInto('revisions')
        .values(revisionRow)
        .onConflict((oc) => oc.column('id').doUpdateSet(revisionRow))
        .execute();
      await trx.deleteFrom('descriptors').where('revision_id', '=', revision.id).execute();
      await bulkInsert(trx, 'descriptors', ['revision_id', 'id', 'scope', 'parent_id', 'position', 'typename', 'label', 'description', 'required', 'options_json'], flattenRevision(revision));
      await trx.updateTable('sync_state').set({ revision_id: revision.id }).where('demarche_number', '=', node.number).execute();
    }
  });
}
