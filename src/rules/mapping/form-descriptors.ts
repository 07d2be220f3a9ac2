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

function split(demarche: number, source: FormDescriptors['source'], title: string | null, rows: ReadonlyArray<StoredDescriptor & { scope: string }>): FormDescriptors {
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
  const rows = flattenRevision(node.activeRevision).map((r) => ({ ...r, parent_id: r.parent_id ?? null, description: r.description ?? null, options_json: r.options_json ?? null }));
  return split(demarche, 'ds', node.title, rows);
}
