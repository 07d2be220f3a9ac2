/** Expected verdicts per PROGRAMMES.md "Verdicts and edge semantics", from a dossier's scenario. */
import type { ExpectedFinding, ExpectedVerdict } from './model.ts';
import { SCENARIO_BY_ID } from './scenarios.ts';

const COMPLETENESS_RULES = new Set(['avis.complets', 'rgpd.consentement']);

function isCompletenessRule(rule: string): boolean {
  return rule.startsWith('complet.') || COMPLETENESS_RULES.has(rule);
}

export function verdictFromFindings(scenario: string, findings: ExpectedFinding[]): ExpectedVerdict {
  const bloquant = findings.some((f) => f.severity === 'bloquant');
  const alerte = findings.some((f) => f.severity === 'alerte');
  return {
    scenario,
    complet: !findings.some((f) => f.severity === 'bloquant' && isCompletenessRule(f.rule)),
    eligible: bloquant ? 'non' : alerte ? 'a_verifier' : 'oui',
    rules: [...new Set(findings.map((f) => f.rule))].sort(),
  };
}

export function expectedVerdictOf(scenarioId: string, hasLiveDuplicate: boolean): ExpectedVerdict {
  const findings = [...(SCENARIO_BY_ID.get(scenarioId)?.findings ?? [])];
  if (hasLiveDuplicate) findings.push({ rule: 'doublon.candidat', severity: 'alerte' });
  return verdictFromFindings(scenarioId, findings);
}

/** NFKD, no combining marks or zero-width characters, lower case, hyphens/apostrophes/spaces as one space. */
export function normalisedName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u200b-\u200d\u2060\ufeff]/g, '')
    .toLowerCase()
    .replace(/[-'’\s]+/g, ' ')
    .trim();
}
