import type { Db } from '../db/database.ts';
import type { PlanItem } from './plan.ts';

type Version = NonNullable<PlanItem['version']>;

/**
 * The dossier version each stored check was computed on, as plan items carry it: the
 * evaluation's dossier version (dateDerniereModification then, never older than the champs) and
 * when the check ran. A champs date beyond it in DS means the candidate edited the dossier since.
 */
export async function loadCheckVersions(db: Db, demarcheNumber: number): Promise<Map<number, Version>> {
  const rows = await db.selectFrom('evaluations').select(['dossier_number', 'dossier_version', 'evaluated_at']).where('demarche_number', '=', demarcheNumber).execute();
  return new Map(rows.map((r) => [r.dossier_number, { champsModifiedAt: r.dossier_version, since: r.evaluated_at }]));
}

/** The items, each with the version of the check it was planned from (when there is one). */
export function withCheckVersions<T extends PlanItem>(items: readonly T[], versions: ReadonlyMap<number, Version>): T[] {
  return items.map((item) => {
    const version = versions.get(item.dossierNumber);
    return version === undefined ? item : { ...item, version };
  });
}
