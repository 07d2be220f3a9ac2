/** `instruire` use case: campaign transitions of one démarche, planned from the mirror, then executed. */
import type { DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { listLiveDossiers } from '../mirror/mirror.repository.ts';
import { parisDateOf } from '../shared/dates.ts';
import type { DossierNode } from '../graphql/answers.ts';
import { executeCheckedPlan } from './check-versions.ts';
import type { ExecuteOptions, ExecutionReport, ExecutorContext } from './executor.ts';
import type { SavedPlan } from './plan.ts';
import { planTransitions, type TransitionDossier, type TransitionEvaluation, type TransitionPlan } from './transitions.plan.ts';

export async function loadTransitionInputs(
  db: Db,
  demarcheNumber: number,
): Promise<{ dossiers: TransitionDossier[]; evaluations: Map<number, TransitionEvaluation> }> {
  const rows = await listLiveDossiers(db, demarcheNumber, { states: ['en_construction'] });
  const dossiers = rows.map((row): TransitionDossier => {
    const node = JSON.parse(row.raw_json) as DossierNode;
    return {
      number: row.number,
      id: row.id,
      demarcheNumber,
      state: row.state,
      dateDerniereModificationChamps: row.date_derniere_modification_champs,
      messageBodies: node.messages.map((m) => m.body),
      ...lastTraitement(node),
    };
  });
  const evaluations = new Map<number, TransitionEvaluation>();
  const evaluationRows = await db.selectFrom('evaluations').selectAll().where('demarche_number', '=', demarcheNumber).execute();
  const findingRows = await db.selectFrom('findings').selectAll().where('demarche_number', '=', demarcheNumber).execute();
  for (const e of evaluationRows) {
    evaluations.set(e.dossier_number, {
      complet: e.complet === 1,
      dossierVersion: e.dossier_version,
      findings: findingRows
        .filter((f) => f.dossier_number === e.dossier_number && f.dossier_version === e.dossier_version)
        .map((f) => ({ ruleId: f.rule_id, severity: f.severity, message: f.message, position: f.position })),
    });
  }
  return { dossiers, evaluations };
}

function lastTraitement(node: DossierNode): { lastTraitementAt?: string } {
  const dates = node.traitements.map((t) => t.dateTraitement).sort((a, b) => Date.parse(a) - Date.parse(b));
  const last = dates[dates.length - 1];
  return last === undefined ? {} : { lastTraitementAt: last };
}

export interface InstruireDemarcheResult {
  demarcheNumber: number;
  /** Undefined for a plan shown from a read-only database (not saved). */
  plan: SavedPlan | undefined;
  transitions: Omit<TransitionPlan, 'items'>;
  execution: ExecutionReport;
}

export async function instruireDemarche(
  ctx: ExecutorContext,
  demarche: Pick<DemarcheConfig, 'number' | 'session' | 'instruction'>,
  options: ExecuteOptions & { now?: Date },
): Promise<InstruireDemarcheResult> {
  const inputs = await loadTransitionInputs(ctx.db, demarche.number);
  const { items, ...transitions } = planTransitions({
    ...inputs,
    settings: {
      closingDate: demarche.session.closingDate,
      messageIncomplets: demarche.instruction.messageIncomplets,
      disableNotification: demarche.instruction.disableNotification,
    },
    today: parisDateOf((options.now ?? new Date()).toISOString())!,
  });
  const { plan, execution } = await executeCheckedPlan(ctx, demarche.number, { kind: 'instruire', items, source: 'instruire' }, options);
  return { demarcheNumber: demarche.number, plan, transitions, execution };
}
