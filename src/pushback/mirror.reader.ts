import type { Db } from '../db/database.ts';
import { getDossier } from '../mirror/mirror.repository.ts';
import { dossierViewFromNode, type DossierView } from './dossier-view.ts';
import type { DossierNode } from '../graphql/answers.ts';

export interface MirrorDossierView extends DossierView {
  /** When sync last wrote this dossier. */
  syncedAt: string;
}

/** The dossier as the mirror holds it (raw_json is the validated DossierFields node), or undefined. */
export async function mirrorDossierView(db: Db, number: number): Promise<MirrorDossierView | undefined> {
  const row = await getDossier(db, number);
  if (row === undefined || row.deleted_at !== null) return undefined;
  const view = dossierViewFromNode(JSON.parse(row.raw_json) as DossierNode, 'mirror');
  return { ...view, syncedAt: row.synced_at };
}
