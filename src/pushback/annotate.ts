/**
 * `annotate` use case: read the mirror, the findings and the last pushes, plan the annotation
 * writes (pure), save the plan, then execute it with --apply.
 */
import type { DemarcheConfig } from '../config/file.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { getDescriptors, listLiveDossiers } from '../mirror/mirror.repository.ts';
import type { AnnotationTarget } from './annotation-values.ts';
import { executeCheckedPlan } from './check-versions.ts';
import { normalizeText } from '../shared/names.ts';
import {
  planAnnotations,
  type AnnotateDossier,
  type AnnotateEvaluation,
  type AnnotationPlan,
  type AnnotationPush,
  type AnnotationTargets,
} from './annotations.plan.ts';
import { dossierViewFromNode } from './dossier-view.ts';
import type { DossierNode } from '../graphql/answers.ts';
import { countByStatus, type ExecuteOptions, type ExecutionReport, type ExecutorContext } from './executor.ts';
import { listAnnotationPushes } from './journal.repository.ts';
import { assessMassChange, DEFAULT_MASS_CHANGE, type MassChangeAssessment, type MassChangeSettings } from './mass-change.guard.ts';
import { annotationValueSchema, type SavedPlan } from './plan.ts';
import { readStoredOptions } from '../mirror/descriptor-options.ts';

type AnnotationsConfig = DemarcheConfig['annotations'];
type AnnotationRef = NonNullable<AnnotationsConfig['synthese']>;

const ROLE_LABELS: Record<keyof AnnotationsConfig, string> = {
  synthese: 'synthèse des constats',
  complet: 'dossier complet',
  eligibilite: 'éligibilité',
  dateControle: 'date du contrôle',
};

/** Resolves the configured annotations (descriptor id or `{ label }`) against the mirrored form. */
export async function resolveAnnotationTargets(db: Db, demarcheNumber: number, config: AnnotationsConfig): Promise<AnnotationTargets> {
  const descriptors = (await getDescriptors(db, demarcheNumber, 'annotation')).filter((d) => d.parent_id === null);
  const targets: AnnotationTargets = {};
  for (const role of Object.keys(ROLE_LABELS) as (keyof AnnotationsConfig)[]) {
    const ref: AnnotationRef | undefined = config[role];
    if (ref === undefined) continue;
    const found =
      typeof ref === 'string'
        ? descriptors.find((d) => d.id === ref)
        : (descriptors.find((d) => d.label === ref.label) ?? descriptors.find((d) => normalizeText(d.label) === normalizeText(ref.label)));
    if (found === undefined) {
      const wanted = typeof ref === 'string' ? `d’identifiant « ${ref} »` : `« ${ref.label} »`;
      const known = descriptors.map((d) => `« ${d.label} »`).join(', ') || 'aucune (lancez d’abord « ds-ars sync »)';
      throw new AppError(
        'config',
        `Annotation ${wanted} (${ROLE_LABELS[role]}) introuvable dans la démarche ${demarcheNumber}. Annotations privées connues : ${known}. Corrigez « annotations.${role} » dans la configuration.`,
      );
    }
    const target: AnnotationTarget = {
      id: found.id,
      label: found.label,
      typename: found.typename,
      options: readStoredOptions(found.options_json).options,
    };
    targets[role] = target;
  }
  return targets;
}

export interface AnnotateInputs {
  dossiers: AnnotateDossier[];
  evaluations: Map<number, AnnotateEvaluation>;
  pushes: Map<number, AnnotationPush[]>;
  /** Dossiers whose evaluation predates a change of their champs (`ds-ars check` must run again). */
  staleEvaluations: number[];
}

/** Everything the planner needs for one démarche, read from the mirror and the findings tables. */
export async function loadAnnotateInputs(db: Db, demarcheNumber: number): Promise<AnnotateInputs> {
  const rows = await listLiveDossiers(db, demarcheNumber);
  const dossiers = rows.map((row): AnnotateDossier => {
    const view = dossierViewFromNode(JSON.parse(row.raw_json) as DossierNode, 'mirror');
    return {
      number: row.number,
      id: row.id,
      demarcheNumber,
      annotations: view.annotations,
      dateDerniereModificationAnnotations: view.dateDerniereModificationAnnotations,
      syncedAt: row.synced_at,
    };
  });
  const champsAt = new Map(rows.map((r) => [r.number, r.date_derniere_modification_champs]));

  const evaluationRows = await db.selectFrom('evaluations').selectAll().where('demarche_number', '=', demarcheNumber).execute();
  const findingRows = await db.selectFrom('findings').selectAll().where('demarche_number', '=', demarcheNumber).execute();
  const evaluations = new Map<number, AnnotateEvaluation>();
  const staleEvaluations: number[] = [];
  for (const e of evaluationRows) {
    const changedAt = champsAt.get(e.dossier_number);
    if (changedAt !== undefined && Date.parse(changedAt) > Date.parse(e.dossier_version)) {
      staleEvaluations.push(e.dossier_number);
      continue;
    }
    evaluations.set(e.dossier_number, {
      complet: e.complet === 1,
      eligible: e.eligible,
      evaluatedAt: e.evaluated_at,
      findings: findingRows
        .filter((f) => f.dossier_number === e.dossier_number && f.dossier_version === e.dossier_version)
        .map((f) => ({ ruleId: f.rule_id, severity: f.severity, message: f.message, champLabel: f.champ_label, position: f.position })),
    });
  }

  const pushes = new Map<number, AnnotationPush[]>();
  for (const p of await listAnnotationPushes(
    db,
    dossiers.map((d) => d.number),
  )) {
    const value = annotationValueSchema.safeParse(JSON.parse(p.value_json));
    if (!value.success) continue;
    const list = pushes.get(p.dossier_number) ?? [];
    list.push({
      annotationId: p.annotation_id,
      value: value.data,
      pushedAt: p.pushed_at,
      annotationsModifiedAt: p.annotations_modified_at,
    });
    pushes.set(p.dossier_number, list);
  }
  return { dossiers, evaluations, pushes, staleEvaluations: staleEvaluations.sort((a, b) => a - b) };
}

export interface AnnotateDemarcheResult {
  demarcheNumber: number;
  /** Undefined when the mass-change rail refused the plan, or for a plan shown from a read-only
   * database: nothing saved then (the plan gets no number). */
  plan: SavedPlan | undefined;
  massChange: MassChangeAssessment;
  /** The plan tripped the mass-change rail and was not confirmed. */
  refused: boolean;
  unchanged: number[];
  notEvaluated: number[];
  staleEvaluations: number[];
  execution: ExecutionReport;
}

/** Plans (and with `apply`, sends) the annotation writes of one démarche. */
export async function annotateDemarche(
  ctx: ExecutorContext,
  demarche: Pick<DemarcheConfig, 'number' | 'annotations'>,
  options: ExecuteOptions & {
    force?: boolean;
    /** Thresholds of the mass-change rail; `confirmed` lets a plan over them go (never the worker). */
    massChange?: MassChangeSettings & { confirmed?: boolean };
  },
): Promise<AnnotateDemarcheResult> {
  const configured = Object.values(demarche.annotations).some((v) => v !== undefined);
  if (!configured) {
    throw new AppError(
      'config',
      `Aucune annotation configurée pour la démarche ${demarche.number} : renseignez « annotations » (synthese, complet, eligibilite, dateControle) dans la configuration.`,
    );
  }
  const targets = await resolveAnnotationTargets(ctx.db, demarche.number, demarche.annotations);
  const inputs = await loadAnnotateInputs(ctx.db, demarche.number);
  const planned: AnnotationPlan = planAnnotations({ ...inputs, targets, force: options.force ?? false });
  const notEvaluated = planned.notEvaluated.filter((n) => !inputs.staleEvaluations.includes(n));
  const massChange = assessMassChange({
    demarcheNumber: demarche.number,
    dossiers: inputs.dossiers,
    evaluations: inputs.evaluations,
    targets,
    changes: planned.changes,
    current: planned.current,
    settings: options.massChange ?? DEFAULT_MASS_CHANGE,
  });
  if (massChange.tripped && options.massChange?.confirmed !== true) {
    ctx.logger?.warn(
      { demarche: demarche.number, overwritten: massChange.overwritten, ouiToNon: massChange.ouiToNon, live: massChange.live },
      'plan d’annotations refusé par le garde-fou',
    );
    const execution: ExecutionReport = {
      planId: null,
      runId: '—',
      apply: options.apply,
      results: [],
      counts: countByStatus([]),
      interrupted: false,
    };
    return {
      demarcheNumber: demarche.number,
      plan: undefined,
      massChange,
      refused: true,
      unchanged: planned.unchanged,
      notEvaluated,
      staleEvaluations: inputs.staleEvaluations,
      execution,
    };
  }
  const source = options.force ? 'annotate --force' : 'annotate';
  const { plan, execution } = await executeCheckedPlan(ctx, demarche.number, { kind: 'annotate', items: planned.items, source }, options);
  return {
    demarcheNumber: demarche.number,
    plan,
    massChange,
    refused: false,
    unchanged: planned.unchanged,
    notEvaluated,
    staleEvaluations: inputs.staleEvaluations,
    execution,
  };
}
