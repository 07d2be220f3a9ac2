import { doublonCandidat } from './catalogue/doublon.ts';
import { RULES } from './catalogue/index.ts';
import type { RuleContext } from './context.ts';
import type { IsMapped } from './finding.ts';
import type { ResolvedMapping } from './mapping/resolve-mapping.ts';
import type { UncheckedRule } from './unchecked-line.ts';

export { uncheckedLine, type UncheckedRule } from './unchecked-line.ts';

/**
 * The « contrôles non effectués » of a démarche (PROGRAMMES.md: a rule never passes silently):
 * reported once for the démarche — check summary, Synthèse sheet, digest — not on each dossier.
 */
export function uncheckedRules(ctx: RuleContext, isMapped: IsMapped): UncheckedRule[] {
  const out: UncheckedRule[] = [];
  for (const rule of [...RULES, doublonCandidat]) {
    if (!rule.programmes.includes(ctx.programme.id)) continue;
    const reasons = rule.skipped(ctx, isMapped);
    if (reasons.length > 0) out.push({ ruleId: rule.id, title: rule.title, reasons });
  }
  return out;
}

export function uncheckedRulesOf(ctx: RuleContext, mapping: ResolvedMapping): UncheckedRule[] {
  return uncheckedRules(ctx, (key) => mapping.fields.has(key));
}
