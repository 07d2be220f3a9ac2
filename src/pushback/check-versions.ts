import { isReadOnly, type Db } from '../db/database.ts';
import { executePlan, type ExecuteOptions, type ExecutionReport, type ExecutorContext } from './executor.ts';
import { savePlan, type PlanItem, type PlanKind, type SavedPlan } from './plan.ts';

type Version = NonNullable<PlanItem['version']>;

/**
 * The dossier version each stored check was computed on, as plan items carry it: the
 * evaluation's dossier version (dateDerniereModification then, never older than the champs) and
 * when the check ran. A champs date beyond it in DS means the candidate edited the dossier since.
 */
export async function loadCheckVersions(db: Db, demarcheNumber: number): Promise<Map<number, Version>> {
  const rows = await db
    .selectFrom('evaluations')
    .select(['dossier_number', 'dossier_version', 'evaluated_at'])
    .where('demarche_number', '=', demarcheNumber)
    .execute();
  return new Map(rows.map((r) => [r.dossier_number, { champsModifiedAt: r.dossier_version, since: r.evaluated_at }]));
}

/** The items, each with the version of the check it was planned from (when there is one). */
export function withCheckVersions<T extends PlanItem>(items: readonly T[], versions: ReadonlyMap<number, Version>): T[] {
  return items.map((item) => {
    const version = versions.get(item.dossierNumber);
    return version === undefined ? item : { ...item, version };
  });
}

/**
 * `annotate` and `instruire` after planning: each item carries the version its verdict was
 * computed on (a dossier edited in DS since is not written), the plan is saved — except a plan
 * shown from a database this account may not write, which gets no number — then executed.
 */
export async function executeCheckedPlan(
  ctx: ExecutorContext,
  demarcheNumber: number,
  plan: { kind: PlanKind; items: readonly PlanItem[]; source: string },
  options: ExecuteOptions,
): Promise<{ plan: SavedPlan | undefined; execution: ExecutionReport }> {
  const items = withCheckVersions(plan.items, await loadCheckVersions(ctx.db, demarcheNumber));
  const saved =
    options.apply || !isReadOnly(ctx.db) ? await savePlan(ctx.db, plan.kind, items, plan.source, { demarcheNumber }) : undefined;
  return { plan: saved, execution: await executePlan(ctx, saved ?? items, options) };
}
