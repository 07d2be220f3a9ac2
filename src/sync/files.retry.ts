import type { Db } from '../db/database.ts';
import type { DsClient } from '../graphql/client.ts';
import { GetDossierDocument } from '../generated/graphql.ts';
import type { DossierNode } from '../graphql/answers.ts';

/** At most this many dossiers re-read per run to retry their files (one request each). */
export const FILE_RETRY_LIMIT = 50;

/**
 * Live dossiers of the démarche with a file whose last download failed, except those this run
 * already tried. Their links have expired since: the dossier must be read again to retry.
 */
export async function dossiersWithFailedFiles(
  db: Db,
  demarche: number,
  exclude: ReadonlySet<number>,
  limit = FILE_RETRY_LIMIT,
): Promise<number[]> {
  const rows = await db
    .selectFrom('files')
    .innerJoin('dossiers', 'dossiers.number', 'files.dossier_number')
    .select('files.dossier_number')
    .distinct()
    .where('dossiers.demarche_number', '=', demarche)
    .where('dossiers.deleted_at', 'is', null)
    .where('files.download_error', 'is not', null)
    .orderBy('files.dossier_number')
    .execute();
  return rows
    .map((r) => r.dossier_number)
    .filter((n) => !exclude.has(n))
    .slice(0, limit);
}

/** One dossier with fresh file links. */
export async function fetchDossier(client: DsClient, number: number): Promise<DossierNode> {
  const data = await client.request(GetDossierDocument, { number }, { context: `dossier ${number}, nouvel essai des fichiers` });
  return data.dossier;
}
