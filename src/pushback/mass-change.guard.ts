/**
 * Circuit breaker on annotation plans (issue 13). A plan that would overwrite, at once, the
 * verdict-bearing annotations (complet, éligibilité) already written on a large share of a
 * démarche's live dossiers — or turn them from « oui » to « non » — is more likely a broken
 * configuration (a mapping pointing nowhere, a wrong closing date) than a real change. It is
 * refused with a French summary unless confirmed. A first fill of empty annotations is normal. Pure.
 */
import { matchVerdictOption, type Verdict } from './annotation-values.ts';
import type { AnnotateDossier, AnnotateEvaluation, AnnotationTargets, PlannedAnnotationChange } from './annotations.plan.ts';
import type { AnnotationValue } from './plan.ts';

export interface MassChangeSettings {
  /** Share of the live dossiers (percent) above which the plan is refused. */
  readonly percent: number;
  /** Below this many dossiers the plan is never refused (small démarches). */
  readonly minimum: number;
}

export const DEFAULT_MASS_CHANGE: MassChangeSettings = { percent: 20, minimum: 10 };

type Reading = Verdict | 'vide' | 'autre';
const READINGS: readonly Reading[] = ['oui', 'non', 'a_verifier', 'vide', 'autre'];
const READING_LABELS: Record<Reading, string> = { oui: 'oui', non: 'non', a_verifier: 'à vérifier', vide: 'vide', autre: 'autre' };
const VERDICT_ROLES = ['eligibilite', 'complet'] as const;
type VerdictRole = (typeof VERDICT_ROLES)[number];
const CAUSES = 5;

export interface MassChangeAssessment {
  readonly demarcheNumber: number;
  readonly live: number;
  readonly settings: MassChangeSettings;
  /** Dossiers whose verdict-bearing annotations, already written, would be overwritten. */
  readonly overwritten: number;
  /** Dossiers whose annotation would go from « oui » to « non ». */
  readonly ouiToNon: number;
  readonly tripped: boolean;
  /** Counts before → after, per verdict-bearing annotation, over the live dossiers. */
  readonly annotations: ReadonlyArray<{ label: string; before: Record<Reading, number>; after: Record<Reading, number> }>;
  /** The most common rule ids (bloquant or alerte) among the dossiers concerned. */
  readonly causes: ReadonlyArray<{ ruleId: string; dossiers: number }>;
}

/** What an annotation value says, read as a verdict. */
export function readVerdict(value: AnnotationValue | null | undefined): Reading {
  if (value === null || value === undefined) return 'vide';
  if ('checkbox' in value) return value.checkbox ? 'oui' : 'vide';
  if ('yesNo' in value) return value.yesNo ? 'oui' : 'non';
  const text = 'dropDownList' in value ? value.dropDownList : 'text' in value ? value.text : 'textarea' in value ? value.textarea : null;
  if (text === null) return 'autre';
  if (text.trim() === '') return 'vide';
  return (['oui', 'non', 'a_verifier'] as const).find((v) => matchVerdictOption([text], v) !== undefined) ?? 'autre';
}

function zero(): Record<Reading, number> {
  return { oui: 0, non: 0, a_verifier: 0, vide: 0, autre: 0 };
}

/** Trips when more than `percent` % of the live dossiers, and at least `minimum` of them, are hit. */
export function assessMassChange(input: {
  demarcheNumber: number;
  dossiers: readonly AnnotateDossier[];
  evaluations: ReadonlyMap<number, AnnotateEvaluation>;
  targets: AnnotationTargets;
  changes: readonly PlannedAnnotationChange[];
  /** The plan's reading of DS (`AnnotationPlan.current`): the mirror is stale until synced after a push. */
  current?: ReadonlyMap<number, ReadonlyMap<string, AnnotationValue | null>>;
  settings?: MassChangeSettings;
}): MassChangeAssessment {
  const settings = input.settings ?? DEFAULT_MASS_CHANGE;
  const sent = input.changes.filter((c) => c.sent && (VERDICT_ROLES as readonly string[]).includes(c.role));
  const overwritten = new Set(sent.filter((c) => c.written && readVerdict(c.before) !== readVerdict(c.after)).map((c) => c.dossierNumber));
  const ouiToNon = new Set(
    sent.filter((c) => readVerdict(c.before) === 'oui' && readVerdict(c.after) === 'non').map((c) => c.dossierNumber),
  );
  const live = input.dossiers.length;
  const hit = Math.max(overwritten.size, ouiToNon.size);
  const tripped = hit >= settings.minimum && hit * 100 > live * settings.percent;

  const annotations = [];
  for (const role of VERDICT_ROLES) {
    const target = input.targets[role as VerdictRole];
    if (target === undefined) continue;
    const changeOf = new Map(sent.filter((c) => c.role === role).map((c) => [c.dossierNumber, c]));
    const before = zero();
    const after = zero();
    for (const d of input.dossiers) {
      const change = changeOf.get(d.number);
      const known = input.current?.get(d.number);
      const now = change ? change.before : known?.has(target.id) ? (known.get(target.id) ?? null) : (d.annotations.get(target.id) ?? null);
      before[readVerdict(now)]++;
      after[readVerdict(change ? change.after : now)]++;
    }
    annotations.push({ label: target.label, before, after });
  }

  const concerned = new Set([...overwritten, ...ouiToNon]);
  const byRule = new Map<string, number>();
  for (const number of concerned) {
    const rules = new Set((input.evaluations.get(number)?.findings ?? []).filter((f) => f.severity !== 'info').map((f) => f.ruleId));
    for (const rule of rules) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  }
  const causes = [...byRule]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, CAUSES)
    .map(([ruleId, dossiers]) => ({ ruleId, dossiers }));
  return {
    demarcheNumber: input.demarcheNumber,
    live,
    settings,
    overwritten: overwritten.size,
    ouiToNon: ouiToNon.size,
    tripped,
    annotations,
    causes,
  };
}

function counts(c: Record<Reading, number>): string {
  return READINGS.filter((r) => c[r] > 0 || r === 'oui' || r === 'non')
    .map((r) => `${READING_LABELS[r]} ${c[r]}`)
    .join(', ');
}

/** The French refusal: what would change, why (rules), and the way out. */
export function massChangeSummary(a: MassChangeAssessment, override: string): string[] {
  const lines = [
    `Garde-fou : plan refusé pour la démarche ${a.demarcheNumber}. Il écraserait d’un coup des annotations déjà écrites sur ${a.overwritten} des ${a.live} dossiers de la démarche` +
      ` et en ferait passer ${a.ouiToNon} de « oui » à « non » (seuil : plus de ${a.settings.percent} % des dossiers et au moins ${a.settings.minimum}).`,
  ];
  for (const x of a.annotations) lines.push(`  « ${x.label} » : avant ${counts(x.before)} → après ${counts(x.after)}.`);
  if (a.causes.length > 0) {
    lines.push(
      `  Causes les plus fréquentes : ${a.causes.map((c) => `${c.ruleId} (${c.dossiers} dossier${c.dossiers > 1 ? 's' : ''})`).join(', ')}.`,
    );
    lines.push(
      `  Rien n’a été envoyé. Vérifiez d’abord la configuration (mapping, session) et relancez « ds-ars check » ; si ce changement est voulu, ${override}.`,
    );
  } else {
    // Verdicts « oui » without findings replacing other values: the values in DS did not come from this check.
    lines.push(
      '  Aucun constat du contrôle n’explique ces changements : les valeurs actuelles de DS ont sans doute été écrites à la main, ou par un autre outil ou une autre base ds-ars.',
    );
    lines.push(
      `  Rien n’a été envoyé. Relisez ces annotations dans DS (« ds-ars annotate » sans --apply liste les dossiers) ; pour les remplacer par le résultat du contrôle, ${override}.`,
    );
  }
  return lines;
}
