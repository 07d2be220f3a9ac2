/**
 * Pure planning of annotation writes: plan = f(mirror, findings, config, last pushes).
 * Compare before write: a dossier whose annotations already hold the wanted values gets no
 * mutation; the date of the check only rides along with a real change. An annotation edited by
 * hand since the adapter's last push is not overwritten (conflict) unless `force`.
 */
import { booleanValue, dateValue, textValue, verdictValue, type AnnotationTarget, type Verdict } from './annotation-values.ts';
import { frenchDate } from '../shared/french-format.ts';
import { sameAnnotationValue } from './dossier-view.ts';
import { findingsSummary, type SummaryFinding } from './findings-summary.ts';
import { DOSSIER_STATES, type AnnotationValue, type PlanItemOf } from './plan.ts';

export interface AnnotationTargets {
  synthese?: AnnotationTarget;
  complet?: AnnotationTarget;
  eligibilite?: AnnotationTarget;
  dateControle?: AnnotationTarget;
}

export interface AnnotateDossier {
  number: number;
  id: string;
  demarcheNumber: number;
  /** Values as the mirror holds them, by annotation descriptor id. */
  annotations: ReadonlyMap<string, AnnotationValue | null>;
  dateDerniereModificationAnnotations: string;
  /** When the mirror last wrote this dossier (our clock). */
  syncedAt: string;
}

export interface AnnotateEvaluation {
  complet: boolean;
  eligible: Verdict;
  evaluatedAt: string;
  findings: readonly SummaryFinding[];
}

/** What the adapter last wrote into an annotation (table annotation_pushes). */
export interface AnnotationPush {
  annotationId: string;
  value: AnnotationValue;
  pushedAt: string;
  /** dateDerniereModificationAnnotations read right after the push. */
  annotationsModifiedAt: string | null;
}

export interface AnnotationPlanInput {
  dossiers: readonly AnnotateDossier[];
  evaluations: ReadonlyMap<number, AnnotateEvaluation>;
  pushes: ReadonlyMap<number, readonly AnnotationPush[]>;
  targets: AnnotationTargets;
  force?: boolean;
}

/** One annotation the plan would change on one dossier, with what DS holds now (for the mass-change rail). */
export interface PlannedAnnotationChange {
  dossierNumber: number;
  role: keyof AnnotationTargets;
  before: AnnotationValue | null;
  after: AnnotationValue;
  /** The adapter pushed this annotation before, or it holds a value: not a first fill. */
  written: boolean;
  /** Would actually be sent (no conflict, or --force). */
  sent: boolean;
}

export interface AnnotationPlan {
  items: PlanItemOf<'modifierAnnotations'>[];
  changes: PlannedAnnotationChange[];
  /** Dossiers whose annotations already hold the wanted values. */
  unchanged: number[];
  /** What DS holds now for each planned annotation (by dossier, then annotation id), counting our own pushes the mirror has not read back yet. */
  current: Map<number, Map<string, AnnotationValue | null>>;
  /** Dossiers without an evaluation (`ds-ars check` has not run on them). */
  notEvaluated: number[];
}

type Role = keyof AnnotationTargets;
interface Wanted {
  role: Role;
  target: AnnotationTarget;
  value: AnnotationValue;
}

export function wantedAnnotations(targets: AnnotationTargets, evaluation: AnnotateEvaluation): Wanted[] {
  const wanted: Wanted[] = [];
  const add = (role: Role, value: AnnotationValue | undefined) => {
    const target = targets[role];
    if (target !== undefined && value !== undefined) wanted.push({ role, target, value });
  };
  if (targets.synthese) add('synthese', textValue(targets.synthese, findingsSummary(evaluation)));
  if (targets.complet) add('complet', booleanValue(targets.complet, evaluation.complet));
  if (targets.eligibilite) add('eligibilite', verdictValue(targets.eligibilite, evaluation.eligible));
  if (targets.dateControle) add('dateControle', dateValue(targets.dateControle, evaluation.evaluatedAt));
  return wanted;
}

export function planAnnotations(input: AnnotationPlanInput): AnnotationPlan {
  const plan: AnnotationPlan = { items: [], changes: [], unchanged: [], notEvaluated: [], current: new Map() };
  for (const dossier of input.dossiers) {
    const evaluation = input.evaluations.get(dossier.number);
    if (evaluation === undefined) {
      plan.notEvaluated.push(dossier.number);
      continue;
    }
    const pushes = new Map((input.pushes.get(dossier.number) ?? []).map((p) => [p.annotationId, p]));
    const wanted = wantedAnnotations(input.targets, evaluation).map((w) => ({
      ...w,
      ...currentValue(dossier, w.target.id, pushes.get(w.target.id)),
    }));
    plan.current.set(dossier.number, new Map(wanted.map((w) => [w.target.id, w.current])));

    const differs = wanted.filter((w) => !sameAnnotationValue(w.current, w.value));
    // The date of the check alone never justifies a write: it changes every night.
    if (!differs.some((w) => w.role !== 'dateControle')) {
      plan.unchanged.push(dossier.number);
      continue;
    }
    const edited = differs.filter((w) => w.handEdited);
    const conflict =
      edited.length > 0 && !input.force
        ? `Annotation(s) modifiée(s) à la main dans DS depuis le dernier envoi : ${edited.map((w) => `« ${w.target.label} »`).join(', ')}. Non écrasée(s) ; utilisez --force pour les remplacer.`
        : undefined;
    const item: PlanItemOf<'modifierAnnotations'> = {
      operation: 'modifierAnnotations',
      demarcheNumber: dossier.demarcheNumber,
      dossierNumber: dossier.number,
      dossierId: dossier.id,
      expectedStates: [...DOSSIER_STATES],
      reason: `Contrôle du ${frenchDate(evaluation.evaluatedAt)} : valeurs nouvelles`,
      payload: { annotations: differs.map((w) => ({ id: w.target.id, label: w.target.label, value: w.value })) },
      ...(conflict !== undefined ? { conflict } : {}),
      ...(input.force ? {} : { annotationsBefore: Object.fromEntries(differs.map((w) => [w.target.id, w.current])) }),
    };
    plan.items.push(item);
    for (const w of differs) {
      plan.changes.push({
        dossierNumber: dossier.number,
        role: w.role,
        before: w.current,
        after: w.value,
        written: pushes.has(w.target.id) || hasValue(w.current),
        sent: conflict === undefined,
      });
    }
  }
  return plan;
}

/** An annotation that holds something (an unticked box or an empty text holds nothing). */
export function hasValue(value: AnnotationValue | null): boolean {
  if (value === null) return false;
  if ('checkbox' in value) return value.checkbox;
  if ('multipleDropDownList' in value) return value.multipleDropDownList.length > 0;
  const scalar = Object.values(value)[0];
  return typeof scalar === 'string' ? scalar.trim() !== '' : scalar !== null && scalar !== undefined;
}

/**
 * What DS holds for one annotation, as far as we know. If the mirror was read before our last
 * push, DS still has what we pushed. Otherwise the mirror is right, and a value other than ours
 * means a hand edit.
 */
function currentValue(
  dossier: AnnotateDossier,
  annotationId: string,
  push: AnnotationPush | undefined,
): { current: AnnotationValue | null; handEdited: boolean } {
  const mirrored = dossier.annotations.get(annotationId) ?? null;
  if (push === undefined) return { current: mirrored, handEdited: false };
  // DS dates have a one-second resolution, too coarse to order a hand edit made in the same second
  // as our push; our own clock says whether the mirror was read before or after the push.
  if (Date.parse(dossier.syncedAt) < Date.parse(push.pushedAt)) return { current: push.value, handEdited: false };
  return { current: mirrored, handEdited: !sameAnnotationValue(mirrored, push.value) };
}
