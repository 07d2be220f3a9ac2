import type { Candidature } from './candidature.ts';
import type { RuleContext } from './context.ts';
import type { ProgrammeId } from '../domain/programmes/types.ts';

export type Severity = 'bloquant' | 'alerte' | 'info';
export type Eligibility = 'oui' | 'non' | 'a_verifier';

export interface Evidence {
  /** Label of the champ on the form (or what the value is, e.g. "Date de dépôt"). */
  readonly label: string;
  readonly champId: string | null;
  readonly value: string | null;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** French, for an instructor: what is wrong, in which champ, what to do. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /**
   * `demarche`: the rule cannot run for the whole démarche (a field it needs is not mapped). Such
   * a finding is never stored per dossier; `uncheckedRules` reports it once per démarche.
   */
  readonly scope?: 'demarche';
}

/** Is a semantic field bound to a champ of the démarche's form (configuration mapping)? */
export type IsMapped = (key: string) => boolean;

/** A rule reading one candidature. Pure: same candidature and context, same findings. */
export interface Rule {
  readonly id: string;
  readonly programmes: readonly ProgrammeId[];
  readonly severity: Severity;
  readonly title: string;
  evaluate(c: Candidature, ctx: RuleContext): Finding[];
  /** Why the rule cannot run for any dossier of the démarche (French reasons); empty when it can. */
  skipped(ctx: RuleContext, isMapped: IsMapped): string[];
}

/**
 * A rule over every dossier of a démarche (duplicates). Its findings are computed by `check` from
 * the duplicate keys of all live dossiers (engine `verdictsOf`); the rule itself says when it cannot run.
 */
export interface DemarcheRule {
  readonly id: string;
  readonly programmes: readonly ProgrammeId[];
  readonly severity: Severity;
  readonly title: string;
  skipped(ctx: RuleContext, isMapped: IsMapped): string[];
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { bloquant: 0, alerte: 1, info: 2 };
