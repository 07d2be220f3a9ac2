import type SQLite from 'better-sqlite3';
import { cachedStatement, rawSqlite, type Db } from '../db/database.ts';
import { inNumberList } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import {
  flattenDossier,
  isOlder,
  type FileToFetch,
  type FlatDossier,
  type NewChampRow,
  type NewFileRow,
  type NewLabelRow,
} from './flatten-dossier.ts';
import type { DossierNode } from '../graphql/answers.ts';
import { saveCursor } from './sync-state.repository.ts';

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

export const LABEL_COLUMNS = ['dossier_number', 'label_id', 'name'] as const satisfies readonly (keyof Database['dossier_labels'])[];

export interface DossierPageWrite {
  demarche: number;
  runId: number;
  nodes: readonly DossierNode[];
  /** `pageInfo.endCursor` of the page (null on an empty page: the stored cursor is kept). */
  endCursor: string | null;
  syncedAt: string;
  /** False for a dossier re-read on its own (file retry): not a page of the stream. */
  countsAsPage?: boolean;
}

export interface DossierPageResult {
  upserted: number;
  /** Re-delivered copies older than the stored one, left alone. */
  stale: number;
  /** Dossiers removed by `ds-ars purge`: never written back (see docs/garde-fous.md). */
  purged: number;
  /** Files of the written dossiers; `localPath` is set when a download with the same checksum exists. */
  files: Array<FileToFetch & { localPath: string | null }>;
  /** Local files no row points to any more (file replaced or removed in DS): safe to delete. */
  orphanPaths: string[];
}

// Raw path: one fixed SQL text per query whatever the page size (the numbers travel as one JSON
// array), so each statement is prepared once per connection.
const IN_NUMBERS = '(select value from json_each(?))';
const SELECT_PURGED = `select "number" from "purged_dossiers" where "number" in ${IN_NUMBERS}`;
const SELECT_STORED = `select "number", "date_derniere_modification" from "dossiers" where "number" in ${IN_NUMBERS}`;
const SELECT_PREVIOUS_FILES = `select "dossier_number", "champ_id", "position", "checksum", "local_path", "downloaded_at", "download_error" from "files" where "dossier_number" in ${IN_NUMBERS}`;

type StoredRow = { number: number; date_derniere_modification: string };
type PreviousFileRow = Pick<
  Database['files'],
  'dossier_number' | 'champ_id' | 'position' | 'checksum' | 'local_path' | 'downloaded_at' | 'download_error'
>;

function allIn<R>(sqlite: SQLite.Database, sql: string, numbers: readonly number[]): R[] {
  return numbers.length ? (cachedStatement(sqlite, sql).all(JSON.stringify(numbers)) as R[]) : [];
}

const fileKey = (dossier: number, champId: string, position: number): string => `${dossier}|${champId}|${position}`;

/** A page flattened into rows, ready for writePreparedPage. */
export interface PreparedDossierPage {
  page: DossierPageWrite;
  flatOf: ReadonlyMap<DossierNode, FlatDossier>;
}

/**
 * The pure CPU part of a page's write: its dossiers flattened into rows. Kept out of the
 * transaction, so the write lock is held briefly, and so the sync can flatten page k+1 while the
 * database commits page k (on PostgreSQL, another process does that work meanwhile).
 */
export function prepareDossierPage(page: DossierPageWrite): PreparedDossierPage {
  return { page, flatOf: new Map(page.nodes.map((n) => [n, flattenDossier(n, page.demarche, page.syncedAt)])) };
}

/**
 * Writes one page of dossiers and its cursor in ONE transaction, so a crash repeats at most this
 * page and never skips it. Each dossier's champs, files and labels are replaced; a copy older
 * than the stored one (at-least-once delivery) is skipped; a downloaded file whose checksum did
 * not change keeps its local path.
 */
export async function writeDossierPage(db: Db, page: DossierPageWrite): Promise<DossierPageResult> {
  return writePreparedPage(db, prepareDossierPage(page));
}

/**
 * writeDossierPage for a page prepared beforehand. What depends on the stored mirror (purged,
 * stored versions, previous files) is read inside the transaction, after the previous page's
 * commit: a dossier delivered on two successive pages is compared with its newest stored copy.
 */
export async function writePreparedPage(db: Db, { page, flatOf }: PreparedDossierPage): Promise<DossierPageResult> {
  // Hot path: the page's statements run synchronously on the better-sqlite3 handle, inside the
  // Kysely transaction (same single connection), with statements prepared once.
  const sqlite = rawSqlite(db);
  return db.transaction().execute(async (trx) => {
    const purgedRows: Array<{ number: number }> = sqlite
      ? allIn<{ number: number }>(
          sqlite,
          SELECT_PURGED,
          page.nodes.map((n) => n.number),
        )
      : page.nodes.length
        ? await trx
            .selectFrom('purged_dossiers')
            .select('number')
            .where(
              inNumberList(
                trx,
                'number',
                page.nodes.map((n) => n.number),
              ),
            )
            .execute()
        : [];
    const purged = new Set(purgedRows.map((r) => r.number));
    const nodes = purged.size === 0 ? page.nodes : page.nodes.filter((n) => !purged.has(n.number));
    const numbers = nodes.map((n) => n.number);
    const stored: StoredRow[] = sqlite
      ? allIn<StoredRow>(sqlite, SELECT_STORED, numbers)
      : numbers.length
        ? await trx
            .selectFrom('dossiers')
            .select(['number', 'date_derniere_modification'])
            .where(inNumberList(trx, 'number', numbers))
            .execute()
        : [];
    const storedDate = new Map(stored.map((r) => [r.number, r.date_derniere_modification]));
    // DS may deliver a dossier twice in one page window; keep the newest copy.
    const latest = new Map<number, DossierNode>();
    for (const node of nodes) {
      const seen = latest.get(node.number);
      if (seen === undefined || !isOlder(node.dateDerniereModification, seen.dateDerniereModification)) latest.set(node.number, node);
    }
    const fresh = [...latest.values()].filter((n) => {
      const previous = storedDate.get(n.number);
      return previous === undefined || !isOlder(n.dateDerniereModification, previous);
    });
    const kept = fresh.map((n) => n.number);

    const previousFiles: PreviousFileRow[] = sqlite
      ? allIn<PreviousFileRow>(sqlite, SELECT_PREVIOUS_FILES, kept)
      : kept.length
        ? await trx
            .selectFrom('files')
            .select(['dossier_number', 'champ_id', 'position', 'checksum', 'local_path', 'downloaded_at', 'download_error'])
            .where(inNumberList(trx, 'dossier_number', kept))
            .execute()
        : [];
    const previousByKey = new Map(previousFiles.map((f) => [fileKey(f.dossier_number, f.champ_id, f.position), f]));

    const flats = fresh.map((n) => flatOf.get(n)!);
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
        const row = same
          ? { ...file, local_path: previous.local_path, downloaded_at: previous.downloaded_at, download_error: previous.download_error }
          : file;
        files.push(row);
        const fetch = flat.fetches[i];
        if (fetch) toFetch.push({ ...fetch, localPath: row.local_path ?? null });
      }
    }
    const keptPaths = new Set(files.map((f) => f.local_path).filter((p): p is string => !!p));
    const orphanPaths = [...new Set(previousFiles.map((f) => f.local_path).filter((p): p is string => !!p && !keptPaths.has(p)))];

    if (kept.length) {
      for (const table of ['champs', 'files', 'dossier_labels'] as const)
        await trx
          .deleteFrom(table)
          .where(inNumberList(trx, 'dossier_number', kept))
          .execute();
      await bulkInsert(
        trx,
        'dossiers',
        DOSSIER_COLUMNS,
        flats.map((f) => f.dossier),
        {
          conflict: 'number',
          // Deletion marks are not part of the node: an upsert leaves them as they are.
          update: DOSSIER_COLUMNS.filter((c) => c !== 'number'),
        },
      );
      await bulkInsert(trx, 'champs', CHAMP_COLUMNS, champs);
      await bulkInsert(trx, 'files', FILE_COLUMNS, files);
      await bulkInsert(trx, 'dossier_labels', LABEL_COLUMNS, labels);
    }
    await saveCursor(trx, page.demarche, 'cursor', page.endCursor, page.syncedAt);
    await trx
      .updateTable('sync_runs')
      .set((eb) => ({ pages: eb('pages', '+', page.countsAsPage === false ? 0 : 1), upserted: eb('upserted', '+', kept.length) }))
      .where('id', '=', page.runId)
      .execute();
    return {
      upserted: kept.length,
      stale: nodes.length - kept.length,
      purged: page.nodes.length - nodes.length,
      files: toFetch,
      orphanPaths,
    };
  });
}
