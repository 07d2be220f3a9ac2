import type { Candidature } from './candidature.ts';
import { COMPLETENESS_RULE_IDS, DEMARCHE_RULES, RULES } from './catalogue/index.ts';
import type { RuleContext } from './context.ts';
import { type Eligibility, type Finding, SEVERITY_ORDER } from './finding.ts';

// In its own module so that `ds-ars check --help` shows it without loading the rules.
export { RULE_PACK_VERSION } from './rule-pack-version.ts';

export interface DossierEvaluation {
  readonly dossierNumber: number;
  readonly findings: readonly Finding[];
  readonly complet: boolean;
  readonly eligible: Eligibility;
  readonly counts: { readonly bloquant: number; readonly alerte: number; readonly info: number };
}

// One collator: localeCompare with a locale argument builds a new one on every call.
const FRENCH = new Intl.Collator('fr');

function compare(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    FRENCH.compare(a.evidence[0]?.label ?? '', b.evidence[0]?.label ?? '') ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Findings in a stable order: severity, rule id, champ label. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compare);
}

/**
 * Verdicts (PROGRAMMES.md): complet = no bloquant among completeness rules; éligible = non on any
 * bloquant, à vérifier on any alerte, else oui. Info findings never change a verdict.
 */
export function verdictOf(dossierNumber: number, findings: readonly Finding[]): DossierEvaluation {
  const sorted = sortFindings(findings);
  const counts = { bloquant: 0, alerte: 0, info: 0 };
  for (const f of sorted) counts[f.severity]++;
  const complet = !sorted.some((f) => f.severity === 'bloquant' && COMPLETENESS_RULE_IDS.has(f.ruleId));
  const eligible: Eligibility = counts.bloquant > 0 ? 'non' : counts.alerte > 0 ? 'a_verifier' : 'oui';
  return { dossierNumber, findings: sorted, complet, eligible, counts };
}

/**
 * Single-dossier rules of the programme on one candidature. What a rule cannot check for the whole
 * démarche (an unmapped field) is left out: `uncheckedRules` reports it once per démarche.
 */
export function evaluateCandidature(c: Candidature, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (!rule.programmes.includes(ctx.programme.id)) continue;
    for (const f of rule.evaluate(c, ctx)) if (f.scope !== 'demarche') findings.push(f);
  }
  return sortFindings(findings);
}

/**
 * Evaluates every candidature of one démarche, cross-dossier rules (duplicates) included.
 * Pass all the démarche's non-deleted dossiers, not only the changed ones, so duplicates are seen.
 */
export function evaluateDemarche(candidatures: readonly Candidature[], ctx: RuleContext): Map<number, DossierEvaluation> {
  const crossFindings = new Map<number, Finding[]>();
  for (const rule of DEMARCHE_RULES) {
    if (!rule.programmes.includes(ctx.programme.id)) continue;
    for (const [number, findings] of rule.evaluateAll(candidatures, ctx)) {
      crossFindings.set(number, [...(crossFindings.get(number) ?? []), ...findings]);
    }
  }
  return evaluateWithCrossFindings(candidatures, ctx, crossFindings);
}

/**
 * Single-dossier rules on each candidature, plus cross-dossier findings computed elsewhere (the
 * incremental `check` derives duplicates from stored keys instead of re-reading every dossier).
 */
export function evaluateWithCrossFindings(
  candidatures: readonly Candidature[],
  ctx: RuleContext,
  crossFindings: ReadonlyMap<number, readonly Finding[]>,
): Map<number, DossierEvaluation> {
  const out = new Map<number, DossierEvaluation>();
  for (const c of candidatures) {
    const findings = [...evaluateCandidature(c, ctx), ...(crossFindings.get(c.dossierNumber) ?? [])];
    out.set(c.dossierNumber, verdictOf(c.dossierNumber, findings));
  }
  return out;
}
