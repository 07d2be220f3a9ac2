import type { Candidature } from './candidature.ts';
import {
  type CandidateKeys,
  candidateKeysOf,
  duplicateEvidenceOf,
  duplicateFindingsFrom,
  type DuplicateMatch,
} from './catalogue/doublon.ts';
import { COMPLETENESS_RULE_IDS, RULES } from './catalogue/index.ts';
import type { RuleContext } from './context.ts';
import { type Eligibility, type Evidence, type Finding, SEVERITY_ORDER } from './finding.ts';

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

/** What `check` keeps of a dossier it read: its duplicate keys and evidence, its single-dossier findings (never the candidature). */
export interface ReadDossier {
  readonly keys: CandidateKeys;
  readonly evidence: readonly Evidence[];
  readonly findings: readonly Finding[];
}

export function readDossier(c: Candidature, ctx: RuleContext): ReadDossier {
  return { keys: candidateKeysOf(c), evidence: duplicateEvidenceOf(c), findings: evaluateCandidature(c, ctx) };
}

/**
 * Verdicts of the dossiers read: single-dossier findings plus duplicates, `matches` being computed
 * over every live dossier of the démarche (`duplicateMatches`), not only those read.
 */
export function verdictsOf(read: ReadonlyMap<number, ReadDossier>, matches: ReadonlyMap<number, DuplicateMatch>): DossierEvaluation[] {
  const evaluations: DossierEvaluation[] = [];
  for (const [number, r] of read) {
    const cross = duplicateFindingsFrom(r.evidence, matches.get(number));
    evaluations.push(verdictOf(number, cross.length === 0 ? r.findings : [...r.findings, ...cross]));
  }
  return evaluations;
}
