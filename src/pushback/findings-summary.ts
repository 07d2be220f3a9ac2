import { VERDICT_LABELS, type Verdict } from './annotation-values.ts';

export interface SummaryFinding {
  ruleId: string;
  severity: 'bloquant' | 'alerte' | 'info';
  message: string;
  champLabel: string | null;
  position: number;
}

export interface SummaryInput {
  complet: boolean;
  eligible: Verdict;
  findings: readonly SummaryFinding[];
}

const SEVERITY_RANK = { bloquant: 0, alerte: 1, info: 2 } as const;
const SEVERITY_LABEL = { bloquant: 'Bloquant', alerte: 'Alerte', info: 'Info' } as const;

/** DS shows annotations in a narrow column; 4 000 characters keep it readable. */
export const SUMMARY_MAX_LENGTH = 4000;

function plural(n: number, word: string): string {
  return `${n} ${word}${n > 1 ? 's' : ''}`;
}

/**
 * The French summary of a dossier's findings written into the "synthèse" annotation. Stable
 * (same findings → same text, whatever their order in the table, no date inside) so an
 * unchanged dossier is never rewritten, and bounded to `max` characters.
 */
export function findingsSummary(input: SummaryInput, max = SUMMARY_MAX_LENGTH): string {
  const findings = [...input.findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.position - b.position ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.message.localeCompare(b.message),
  );
  const count = (s: SummaryFinding['severity']) => findings.filter((f) => f.severity === s).length;
  const header = [
    `Contrôle automatique : dossier ${input.complet ? 'complet' : 'incomplet'} ; éligibilité : ${VERDICT_LABELS[input.eligible]}.`,
    findings.length === 0
      ? 'Aucun constat.'
      : `${plural(count('bloquant'), 'bloquant')}, ${plural(count('alerte'), 'alerte')}, ${plural(count('info'), 'info')}.`,
  ].join('\n');
  const lines = findings.map(
    (f) => `- [${SEVERITY_LABEL[f.severity]}] ${f.message.trim()}${f.champLabel ? ` (champ « ${f.champLabel} »)` : ''}`,
  );
  let text = header;
  for (const [index, line] of lines.entries()) {
    const rest = lines.length - index - 1;
    const tail = rest > 0 ? `\n… et ${rest} autre${rest > 1 ? 's' : ''} constat${rest > 1 ? 's' : ''}` : '';
    // Keep room for the "… et N autres constats" line that would follow if this one were the last.
    const tailIfCut = `\n… et ${lines.length - index} autre${lines.length - index > 1 ? 's' : ''} constat${lines.length - index > 1 ? 's' : ''}`;
    if (text.length + 1 + line.length + tail.length > max) {
      return (text + tailIfCut).slice(0, max);
    }
    text += `\n${line}`;
  }
  return text.slice(0, max);
}
