import type { Db } from '../../db/database.ts';
import type { DsClient } from '../../graphql/client.ts';
import { fetchDemarche } from '../../sync/demarche.fetch.ts';
import { getDescriptors } from '../../mirror/mirror.repository.ts';
import { flattenRevision } from '../../sync/revision.ts';
import { type ChampDescriptorInfo, descriptorsFromRows, type StoredDescriptor } from './descriptors.ts';

/** The champ and annotation descriptors of a démarche's form, and where they were read. */
export interface FormDescriptors {
  readonly demarche: number;
  readonly source: 'miroir' | 'ds';
  readonly title: string | null;
  readonly champs: readonly ChampDescriptorInfo[];
  readonly annotations: readonly ChampDescriptorInfo[];
}

function split(
  demarche: number,
  source: FormDescriptors['source'],
  title: string | null,
  rows: ReadonlyArray<StoredDescriptor & { scope: string }>,
): FormDescriptors {
  return {
    demarche,
    source,
    title,
    champs: descriptorsFromRows(rows.filter((r) => r.scope === 'champ')),
    annotations: descriptorsFromRows(rows.filter((r) => r.scope === 'annotation')),
  };
}

/** From the local mirror (active revision as of the last sync); undefined when never synchronised. */
export async function formFromMirror(db: Db, demarche: number): Promise<FormDescriptors | undefined> {
  const rows = await getDescriptors(db, demarche);
  if (rows.length === 0) return undefined;
  const title = await db.selectFrom('demarches').select('title').where('number', '=', demarche).executeTakeFirst();
  return split(demarche, 'miroir', title?.title ?? null, rows);
}

/** From DS directly (one request): the active revision. */
export async function formFromDs(client: DsClient, demarche: number): Promise<FormDescriptors> {
  const node = await fetchDemarche(client, demarche);
  const rows = flattenRevision(node.activeRevision).map((r) => ({
    ...r,
    parent_id: r.parent_id ?? null,
    description: r.description ?? null,
    options_json: r.options_json ?? null,
  }));
  return split(demarche, 'ds', node.title, rows);
}

/**
 * How many dossiers of the form's active revision carry each top-level champ. DS leaves out of a
 * dossier every champ its form's conditions hide (NOTES.md: only visible champs are returned), and
 * its API does not describe the conditions: a champ missing from some dossiers is conditional.
 */
export interface ChampPresence {
  /** Dossiers of the active revision read in the mirror. */
  readonly dossiers: number;
  /** Descriptor id → number of those dossiers that lack the champ (ids never missing are left out). */
  readonly missing: ReadonlyMap<string, number>;
}

export async function champPresence(db: Db, demarche: number, champIds: readonly string[]): Promise<ChampPresence> {
  const rows = await db
    .selectFrom('dossiers')
    .innerJoin('demarches', 'demarches.number', 'dossiers.demarche_number')
    .select('dossiers.raw_json')
    .where('dossiers.demarche_number', '=', demarche)
    .whereRef('dossiers.revision_id', '=', 'demarches.active_revision_id')
    .execute();
  const missing = new Map<string, number>();
  let dossiers = 0;
  for (const { raw_json } of rows) {
    let champs: unknown;
    try {
      champs = (JSON.parse(raw_json) as { champs?: unknown }).champs;
    } catch {
      continue;
    }
    if (!Array.isArray(champs)) continue;
    dossiers++;
    const present = new Set(champs.map((c: { champDescriptorId?: unknown }) => c?.champDescriptorId));
    for (const id of champIds) if (!present.has(id)) missing.set(id, (missing.get(id) ?? 0) + 1);
  }
  return { dossiers, missing };
}
